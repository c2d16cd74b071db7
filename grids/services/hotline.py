"""12345+网格: hotline tickets of a dispute kind, already on the ledger, sent straight to a grid."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseStatus, Channel, ServiceLine, User
from governance.services.notifications import notify
from governance.services.timeline import event_record
from grids.models import EventCategory, EventSource, EventStatus, Grid, GridEvent, GridMember
from grids.services import stats
from grids.services.deadlines import timer_open
from grids.services.events import responsible_worker


def _grid_users(grid: Grid) -> list[User]:
    return [
        m.user
        for m in GridMember.objects.filter(
            grid_id__in=grid.lineage_ids, is_active=True, user__isnull=False
        ).select_related("user")
    ]


@transaction.atomic
def hotline_assign_to_grid(
    *, actor: User | None, case: Case, grid: Grid, instructions: str = "", at: datetime | None = None
) -> GridEvent:
    """12345+网格: a hotline ticket of a dispute kind, already on the ledger, is sent straight to a
    grid for on-the-spot mediation. It enters the loop reviewed (the center's dispatcher decided),
    as a dispute event of that grid with the dispute time limit; the grid closes it on site or
    escalates it (no second case: the ticket is the case)."""
    roles.require(actor, roles.DISPATCH)
    case = Case.objects.select_for_update().select_related("center", "category", "first_handler").get(pk=case.pk)
    if case.channel != Channel.HOTLINE:
        raise InvalidInput(_("只有12345热线工单可以直派网格"), field="case")
    if case.service_line not in (ServiceLine.MEDIATION, ServiceLine.GRID):
        raise InvalidInput(_("只有矛盾纠纷类工单可以直派网格"), field="case")
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("工单已办结，不能再派至网格"))
    if GridEvent.objects.filter(case=case).exists():
        raise Conflict(_("该工单已派至网格"))
    grid = Grid.objects.select_related("center").get(pk=grid.pk)
    if not grid.is_active:
        raise InvalidInput(_("该网格已停用"), field="grid")
    if not grid.center.path.startswith(case.center.path):
        raise InvalidInput(_("网格不在该工单受理中心的辖区内"), field="grid")
    at = at or timezone.now()
    event = GridEvent.objects.create(
        grid=grid,
        center=grid.center,
        category=EventCategory.DISPUTE,
        source=EventSource.HOTLINE,
        status=EventStatus.ACCEPTED,
        summary=case.summary,
        dispute_category=case.category,
        risk_level=case.risk_level,
        case=case,
        reported_by=actor,
        worker=responsible_worker(grid),
        reported_at=at,
        reported_on=timezone.localdate(at),
        reviewed_by=actor,
        reviewed_at=at,
        review_note=instructions.strip()[:500],
    )
    event.deadline = timer_open(event, at)
    event.save(update_fields=["deadline"])
    stats.event_counted(event, reported=1, events=1, disputes=1, hotline=1)
    event_record(
        case=case,
        kind="grid_assigned",
        actor=actor,
        at=at,
        message=_("12345工单派至网格：%(grid)s（%(center)s），须于 %(due)s 前处置")
        % {
            "grid": grid.name,
            "center": grid.center.name,
            "due": timezone.localtime(event.deadline.due_at).strftime("%m-%d %H:%M"),
        },
        data={"grid_event": event.pk, "grid": grid.pk},
    )
    notify(
        recipients=_grid_users(grid),
        kind="grid_assigned",
        title=_("12345工单 %(number)s 派至%(grid)s，请现场调处") % {"number": case.number, "grid": grid.name},
        body=instructions,
        case=case,
        link=f"/grids/events/{event.pk}/",
        at=at,
    )
    return event
