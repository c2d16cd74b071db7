"""Grid event time limits on the shared deadline engine.

Each event type has its own timer kind, `grid.event.<type>` (SLA policies per kind, per center and
risk level; the defaults below are local practice, not law). The engine's sweep gives the levels of
supervision (催办/督办):
- at the warn ratio (default 75 %): 临期催办 — the grid worker is reminded;
- at the limit: 黄牌督办 — the village center and the grid leader are told, the event counts as
  overdue, and a second timer (`grid.event.red`) starts;
- when that one runs out too (default: one more full limit, policy `grids.red_card_ratio`):
  红牌督办 — the township's leaders are told.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import policies, registry
from governance.models import Deadline, DeadlineState, Notification, Role, TimeUnit
from governance.selectors.people import users_by_center
from governance.services.deadlines import deadline_cancel, deadline_complete, deadline_open
from governance.services.notifications import notifications_build
from grids.models import EventCategory, GridEvent, Supervision
from grids.policies import RED_CARD_RATIO
from grids.services import stats

PREFIX = "grid.event."
RED = "grid.event.red"

# type → (unit, amount, basis)
DEFAULT_LIMITS = {
    EventCategory.EMERGENCY: (TimeUnit.CLOCK_HOURS, 2, gettext_lazy("突发事件2小时内处置或提级")),
    EventCategory.PUBLIC_SECURITY: (TimeUnit.CLOCK_HOURS, 24, gettext_lazy("治安隐患24小时内处置或提级")),
    EventCategory.DISPUTE: (TimeUnit.CALENDAR_DAYS, 3, gettext_lazy("矛盾纠纷3日内调处或提级（小事不出村）")),
    EventCategory.SPECIAL_GROUPS: (TimeUnit.WORKING_DAYS, 3, gettext_lazy("特殊人群事项3个工作日内处置")),
    EventCategory.PUBLIC_OPINION: (TimeUnit.WORKING_DAYS, 3, gettext_lazy("社情民意3个工作日内处置")),
    EventCategory.LIVELIHOOD: (TimeUnit.WORKING_DAYS, 5, gettext_lazy("民生服务5个工作日内办结")),
    EventCategory.LEGAL_PUBLICITY: (TimeUnit.WORKING_DAYS, 5, gettext_lazy("法治宣传5个工作日内完成")),
    EventCategory.OTHER: (TimeUnit.WORKING_DAYS, 5, gettext_lazy("其他事项5个工作日内处置")),
}


def kind_for(category: str) -> str:
    return f"{PREFIX}{category}"


def timer_open(event: GridEvent, start: datetime) -> Deadline:
    return deadline_open(
        kind=kind_for(event.category),
        subject_id=event.pk,
        center=event.center,
        start=start,
        case=event.case,
        service_line="grid",
        risk_level=event.risk_level,
    )


def timers_stop(event: GridEvent, at: datetime) -> bool:
    """The work is done (closed on site, escalated): stop the event's timers. True when this call
    found the limit exceeded (the sweep had not yet marked it), i.e. the event is newly overdue."""
    late = False
    if event.deadline_id:
        deadline = Deadline.objects.get(pk=event.deadline_id)
        state = deadline_complete(deadline=deadline, at=at)
        late = state == DeadlineState.BREACHED and deadline.breached_at == at
    if event.red_deadline_id:
        deadline_complete(deadline=Deadline.objects.get(pk=event.red_deadline_id), at=at)
    return late


def timers_cancel(event: GridEvent, at: datetime) -> None:
    """The work is not needed (the report was not valid)."""
    for deadline_id in (event.deadline_id, event.red_deadline_id):
        if deadline_id:
            deadline_cancel(deadline=Deadline.objects.get(pk=deadline_id), at=at)


# --- What the sweep does ------------------------------------------------------------------------


def _events_of(deadlines: list[Deadline], field: str) -> list[GridEvent]:
    # Rows being handled at this very moment are skipped rather than waited for (their handler
    # holds the event and waits for this very deadline row: waiting would deadlock).
    ids = [d.pk for d in deadlines]
    locked = (
        GridEvent.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(**{f"{field}__in": ids})
        .select_related("grid", "center", "case")
    )
    return list(locked)


def _raise_supervision(events: list[GridEvent], level: str, below: list[str]) -> list[GridEvent]:
    raised = [e for e in events if e.supervision in below]
    GridEvent.objects.filter(pk__in=[e.pk for e in raised]).update(supervision=level, updated_at=timezone.now())
    for event in raised:
        event.supervision = level
    return raised


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _notify(events: list[GridEvent], now: datetime, kind: str, title: str, extra: dict[int, list]) -> None:
    rows = []
    for event in events:
        recipients = [u for u in (event.worker, event.reported_by) if u is not None]
        recipients += extra.get(event.center_id, [])
        values = {"category": event.get_category_display(), "grid": event.grid.name, "id": event.pk}
        rows += notifications_build(
            recipients=recipients,
            kind=kind,
            title=title % values,
            body=event.summary[:200],
            case=event.case,
            link=f"/grids/events/{event.pk}/",
            at=now,
        )
    Notification.objects.bulk_create(rows, batch_size=1000)


def _on_warn(deadlines: list[Deadline], now: datetime) -> None:
    events = _events_of(deadlines, "deadline_id")
    raised = _raise_supervision(events, Supervision.REMINDED, [Supervision.NONE])
    _notify(raised, now, "grid_reminded", _("临期催办：%(grid)s%(category)s事件 #%(id)s 即将超时"), {})


def _on_breach(deadlines: list[Deadline], now: datetime) -> None:
    due_by_id = {d.pk: d for d in deadlines}
    events = _events_of(deadlines, "deadline_id")
    # Every breached event is overdue in the figures, whether or not it could be locked just now.
    counted = GridEvent.objects.filter(deadline_id__in=list(due_by_id)).select_related("grid", "center")
    stats.events_counted(list(counted), overdue=1)
    raised = _raise_supervision(events, Supervision.YELLOW, [Supervision.NONE, Supervision.REMINDED])
    for event in raised:
        first = due_by_id[event.deadline_id]
        ratio = float(policies.policy_value(RED_CARD_RATIO.key, event.center))
        event.red_deadline = deadline_open(
            kind=RED,
            subject_id=event.pk,
            center=event.center,
            start=now,
            case=event.case,
            unit=first.unit,
            amount=max(1, math.ceil(first.amount * ratio)),
            basis=_("黄牌督办后仍未处置"),
        )
        GridEvent.objects.filter(pk=event.pk).update(red_deadline=event.red_deadline)
    staff = users_by_center({e.center_id for e in raised}, Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER)
    _notify(raised, now, "grid_yellow", _("黄牌督办：%(grid)s%(category)s事件 #%(id)s 已超过处置时限"), staff)


def _on_red(deadlines: list[Deadline], now: datetime) -> None:
    events = _events_of(deadlines, "red_deadline_id")
    raised = _raise_supervision(events, Supervision.RED, [Supervision.NONE, Supervision.REMINDED, Supervision.YELLOW])
    townships = {e.center_id: e.center.scope_ids[1] if len(e.center.scope_ids) > 1 else e.center_id for e in raised}
    leaders = users_by_center(set(townships.values()), Role.LEADER, Role.CENTER_ADMIN)
    village_staff = users_by_center({e.center_id for e in raised}, Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER)
    extra: dict[int, list] = defaultdict(list)
    for village_id, township_id in townships.items():
        extra[village_id] = [*village_staff.get(village_id, []), *leaders.get(township_id, [])]
    _notify(raised, now, "grid_red", _("红牌督办：%(grid)s%(category)s事件 #%(id)s 严重超时仍未处置"), extra)


def register_deadline_kinds() -> None:
    labels = dict(EventCategory.choices)
    for category, (unit, amount, basis) in DEFAULT_LIMITS.items():
        registry.register_deadline_kind(
            registry.DeadlineKind(
                key=kind_for(category),
                label=format_lazy(gettext_lazy("网格事件处置（{type}）"), type=labels[category]),
                default_unit=unit,
                default_amount=amount,
                basis=basis,
                on_warn=_on_warn,
                on_breach=_on_breach,
            )
        )
    registry.register_deadline_kind(
        registry.DeadlineKind(
            key=RED,
            label=gettext_lazy("网格事件红牌督办"),
            default_unit=TimeUnit.CLOCK_HOURS,
            default_amount=24,
            basis=gettext_lazy("黄牌督办后再超过一个处置时限仍未处置"),
            on_breach=_on_red,
        )
    )
