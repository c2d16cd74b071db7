"""Helpers shared by the mediation services: conditional state moves and closing the ledger case
with the outcome of its mediation or legal service."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import Conflict, TransitionNotAllowed
from governance.models import ACTIVE_DISPATCH_STATUSES, Case, CaseStatus, Outcome, User
from governance.services.cases import case_close
from governance.services.timeline import event_record


def move(
    obj: models.Model,
    table: dict[str, frozenset[str]],
    new_status: str,
    labels: type[models.TextChoices],
    **values,
) -> None:
    """Move `obj` to `new_status` (with `values` in the same UPDATE) if `table` allows it and
    nobody changed it meanwhile; a missing entry is refused."""
    current = obj.status
    if new_status not in table.get(current, frozenset()):
        raise TransitionNotAllowed(
            _("当前为“%(status)s”，不能改为“%(new)s”")
            % {"status": labels(current).label, "new": labels(new_status).label}
        )
    updated = type(obj).objects.filter(pk=obj.pk, status=current).update(status=new_status, **values)
    if not updated:
        raise Conflict()
    obj.status = new_status
    for name, value in values.items():
        setattr(obj, name, value)


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def case_conclude(*, case: Case, outcome: str, note: str, actor: User | None, at: datetime) -> bool:
    """Close the ledger case with the outcome of its mediation or legal service. The center's
    closing rule still holds: while a department has not fed back, the case stays open and the
    window closes it later. Returns whether the case was closed now."""
    if Case.objects.filter(pk=case.pk, status=CaseStatus.CLOSED).exists():
        return False
    if case.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).exists():
        event_record(
            case=case,
            kind="note",
            actor=actor,
            at=at,
            message=_("%(note)s；仍有部门在办理，待其反馈后由窗口办结") % {"note": note},
        )
        return False
    # The system closes it (the mediator's own action is on the timeline just before).
    case_close(actor=None, case=case, outcome=outcome, note=note, at=at)
    case.status, case.outcome = CaseStatus.CLOSED, outcome
    return True


RESOLVED, UNRESOLVED, WITHDRAWN, LITIGATION = (
    Outcome.RESOLVED,
    Outcome.UNRESOLVED,
    Outcome.WITHDRAWN,
    Outcome.LITIGATION,
)
