"""The one deadline engine. Every timer of every center is a `Deadline` row; the sweep is the
clock (no long Celery countdowns: the database is the source of truth)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import calendar, policies, registry
from governance.exceptions import InvalidInput, TransitionNotAllowed
from governance.models import (
    Case,
    CaseEvent,
    Center,
    Deadline,
    DeadlineChange,
    DeadlineState,
    Department,
    SlaPolicy,
    TimeUnit,
    User,
)
from governance.services import stats

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sla:
    unit: str
    amount: int
    warn_ratio: float
    basis: str


def sla_resolve(*, kind: str, center: Center, service_line: str = "", risk_level: str = "") -> Sla:
    """The SLA for a timer: the most specific policy — the one naming more of (service line, risk
    level), then the one of the nearest center (own, then ancestors, then global) — else the kind's
    default."""
    definition = registry.deadline_kind(kind)
    scope_ids = center.scope_ids
    candidates = SlaPolicy.objects.filter(
        Q(center_id__in=scope_ids) | Q(center__isnull=True),
        kind=kind,
        service_line__in=[service_line, ""],
        risk_level__in=[risk_level, ""],
    )

    def rank(policy: SlaPolicy):
        distance = scope_ids.index(policy.center_id) if policy.center_id else len(scope_ids)
        unnamed = (policy.service_line == "") + (policy.risk_level == "")
        return (unnamed, distance, policy.service_line == "")

    best = min(candidates, key=rank, default=None)
    default_ratio = float(policies.policy_value(policies.DEADLINE_WARN_RATIO.key, center))
    if best is None:
        return Sla(definition.default_unit, definition.default_amount, default_ratio, str(definition.basis))
    return Sla(best.unit, best.amount, best.warn_ratio, best.basis or str(definition.basis))


def deadline_open(
    *,
    kind: str,
    subject_id: int,
    center: Center,
    start: datetime,
    case: Case | None = None,
    department: Department | None = None,
    service_line: str = "",
    risk_level: str = "",
    unit: str | None = None,
    amount: int | None = None,
    basis: str | None = None,
) -> Deadline:
    """Start a timer. Its length comes from the SLA policies unless the caller fixes it (a rule of
    law, or a deadline set by a decision such as 交办 with a time limit)."""
    if unit is None or amount is None:
        sla = sla_resolve(kind=kind, center=center, service_line=service_line, risk_level=risk_level)
    else:
        ratio = float(policies.policy_value(policies.DEADLINE_WARN_RATIO.key, center))
        sla = Sla(unit, amount, ratio, basis or str(registry.deadline_kind(kind).basis))
    due = calendar.compute_due(start, sla.unit, sla.amount)
    deadline = Deadline.objects.create(
        kind=kind,
        subject_id=subject_id,
        case=case,
        center=center,
        department=department,
        basis=basis or sla.basis,
        unit=sla.unit,
        amount=sla.amount,
        warn_ratio=sla.warn_ratio,
        started_at=start,
        started_on=timezone.localdate(start),
        due_at=due.at,
        warn_at=calendar.warn_time(start, due.at, sla.warn_ratio),
        calendar_unconfirmed=due.unconfirmed,
    )
    stats.deadlines_counted([deadline], "opened")
    return deadline


def deadline_complete(*, deadline: Deadline, at: datetime | None = None) -> str:
    """Stop a timer because the work was done: met if on time, breached if late. Safe against a
    concurrent sweep: exactly one of them decides the state."""
    at = at or timezone.now()
    if deadline.state == DeadlineState.OPEN:
        late = deadline.due_at is not None and at > deadline.due_at
        new_state = DeadlineState.BREACHED if late else DeadlineState.MET
        updated = Deadline.objects.filter(pk=deadline.pk, state=DeadlineState.OPEN).update(
            state=new_state, completed_at=at, breached_at=at if late else None
        )
        if updated:
            deadline.state, deadline.completed_at = new_state, at
            if late:
                deadline.breached_at = at
            stats.deadlines_counted([deadline], new_state)
            return new_state
        deadline.refresh_from_db()
    if deadline.state == DeadlineState.BREACHED and deadline.completed_at is None:
        Deadline.objects.filter(pk=deadline.pk, completed_at__isnull=True).update(completed_at=at)
        deadline.completed_at = at
    return deadline.state


def deadline_cancel(*, deadline: Deadline, at: datetime | None = None) -> None:
    """Stop a timer whose work is no longer needed (it counts neither as met nor as breached)."""
    at = at or timezone.now()
    if Deadline.objects.filter(pk=deadline.pk, state=DeadlineState.OPEN).update(
        state=DeadlineState.CANCELLED, completed_at=at
    ):
        deadline.state, deadline.completed_at = DeadlineState.CANCELLED, at
        stats.deadlines_counted([deadline], "cancelled")
    elif deadline.state == DeadlineState.BREACHED:
        Deadline.objects.filter(pk=deadline.pk, completed_at__isnull=True).update(completed_at=at)


def _lock_open(deadline: Deadline) -> Deadline:
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.state != DeadlineState.OPEN:
        raise TransitionNotAllowed(_("该时限已结束，不能再调整"))
    return locked


@transaction.atomic
def deadline_extend(
    *,
    deadline: Deadline,
    amount: int,
    reason: str,
    approver: User | None,
    actor: User | None,
    unit: str | None = None,
    at: datetime | None = None,
) -> Deadline:
    """Push a running timer back (an approved extension). Callers enforce their own caps."""
    at = at or timezone.now()
    if amount < 1:
        raise InvalidInput(_("延期时长至少为1"), field="amount")
    if not reason.strip():
        raise InvalidInput(_("请填写延期理由"), field="reason")
    locked = _lock_open(deadline)
    if locked.due_at is None:
        raise TransitionNotAllowed(_("计时已中止，请先恢复计时"))
    due = calendar.extend_due(locked.due_at, unit or locked.unit, amount)
    before = locked.due_at
    locked.due_at = due.at
    locked.warn_at = calendar.warn_time(locked.started_at, due.at, locked.warn_ratio)
    if locked.warn_at > at:
        locked.warned_at = None
    locked.extensions += 1
    locked.calendar_unconfirmed = locked.calendar_unconfirmed or due.unconfirmed
    locked.save(update_fields=["due_at", "warn_at", "warned_at", "extensions", "calendar_unconfirmed"])
    DeadlineChange.objects.create(
        deadline=locked,
        action=DeadlineChange.Action.EXTEND,
        reason=reason,
        approver=approver,
        by=actor,
        at=at,
        due_before=before,
        due_after=due.at,
    )
    _timeline(
        locked,
        "deadline_extended",
        actor,
        at,
        _("%(kind)s延期至 %(due)s：%(reason)s")
        % {
            "kind": registry.deadline_kind(locked.kind).label,
            "due": _fmt(due.at),
            "reason": reason,
        },
    )
    return locked


@transaction.atomic
def deadline_suspend(*, deadline: Deadline, reason: str, actor: User | None, at: datetime | None = None) -> Deadline:
    """Stop the clock (expert appraisal, hearing…): the time left is kept for the resumption."""
    at = at or timezone.now()
    if not reason.strip():
        raise InvalidInput(_("请填写中止计时的理由"), field="reason")
    locked = _lock_open(deadline)
    if locked.due_at is None:
        raise TransitionNotAllowed(_("计时已经中止"))
    if locked.unit == TimeUnit.CLOCK_HOURS:
        locked.remaining_seconds = max(0, int((locked.due_at - at).total_seconds()))
    else:
        locked.remaining_days = calendar.remaining_days(at, locked.due_at, locked.unit)
    before = locked.due_at
    locked.due_at = locked.warn_at = None
    locked.suspended_at = at
    locked.save(update_fields=["due_at", "warn_at", "suspended_at", "remaining_seconds", "remaining_days"])
    DeadlineChange.objects.create(
        deadline=locked, action=DeadlineChange.Action.SUSPEND, reason=reason, by=actor, at=at, due_before=before
    )
    _timeline(
        locked,
        "deadline_suspended",
        actor,
        at,
        _("%(kind)s中止计时：%(reason)s")
        % {
            "kind": registry.deadline_kind(locked.kind).label,
            "reason": reason,
        },
    )
    return locked


@transaction.atomic
def deadline_resume(
    *, deadline: Deadline, actor: User | None, reason: str = "", at: datetime | None = None
) -> Deadline:
    """Restart a suspended clock with the time that was left when it stopped."""
    at = at or timezone.now()
    locked = _lock_open(deadline)
    if locked.due_at is not None:
        raise TransitionNotAllowed(_("计时未中止"))
    if locked.unit == TimeUnit.CLOCK_HOURS:
        due = calendar.Due(at + timedelta(seconds=locked.remaining_seconds or 0), False)
    else:
        due = calendar.compute_due(at, locked.unit, locked.remaining_days or 1)
    locked.due_at = due.at
    locked.warn_at = calendar.warn_time(at, due.at, locked.warn_ratio) if locked.warned_at is None else None
    locked.suspended_at = None
    locked.remaining_seconds = locked.remaining_days = None
    locked.calendar_unconfirmed = locked.calendar_unconfirmed or due.unconfirmed
    locked.save(
        update_fields=[
            "due_at",
            "warn_at",
            "suspended_at",
            "remaining_seconds",
            "remaining_days",
            "calendar_unconfirmed",
        ]
    )
    DeadlineChange.objects.create(
        deadline=locked,
        action=DeadlineChange.Action.RESUME,
        reason=reason or _("恢复计时"),
        by=actor,
        at=at,
        due_after=due.at,
    )
    _timeline(
        locked,
        "deadline_resumed",
        actor,
        at,
        _("%(kind)s恢复计时，到期 %(due)s")
        % {
            "kind": registry.deadline_kind(locked.kind).label,
            "due": _fmt(due.at),
        },
    )
    return locked


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _timeline(deadline: Deadline, kind: str, actor: User | None, at: datetime, message: str) -> None:
    if deadline.case_id:
        CaseEvent.objects.create(
            case_id=deadline.case_id,
            kind=kind,
            actor=actor,
            at=at,
            message=message[:500],
            data={"deadline": deadline.pk, "deadline_kind": deadline.kind},
        )


# --- The sweep ----------------------------------------------------------------------------------


@dataclass
class SweepReport:
    now: datetime
    warned: list[int] = field(default_factory=list)
    breached: list[int] = field(default_factory=list)

    @property
    def escalated(self) -> list[int]:
        # every breach is escalated once, in the same transaction that marks it
        return self.breached

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "warned": len(self.warned),
            "breached": len(self.breached),
            "escalated": len(self.escalated),
        }


def deadlines_sweep(*, now: datetime | None = None, batch_size: int = 500) -> SweepReport:
    """One tick of the clock: warn what is nearly due (临期提醒), mark what is overdue and
    escalate it (督办) — each exactly once, even with several sweeps running at once.

    Each batch is one transaction: rows are claimed with `FOR UPDATE SKIP LOCKED`, flipped with a
    conditional UPDATE, and their timeline events, notifications and statistics are written
    before the commit. A crash loses nothing: the next sweep picks up what was not committed.
    """
    now = now or timezone.now()
    report = SweepReport(now=now)
    while _sweep_batch(now, batch_size, report, warn=True):
        pass
    while _sweep_batch(now, batch_size, report, warn=False):
        pass
    return report


def _sweep_batch(now: datetime, batch_size: int, report: SweepReport, *, warn: bool) -> bool:
    with transaction.atomic():
        if warn:
            due = Deadline.objects.filter(
                state=DeadlineState.OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
            ).order_by("warn_at")
        else:
            due = Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=now).order_by("due_at")
        ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:batch_size])
        if not ids:
            return False
        claimed = Deadline.objects.filter(pk__in=ids, state=DeadlineState.OPEN)
        if warn:
            claimed.filter(warned_at__isnull=True).update(warned_at=now)
        else:
            claimed.update(state=DeadlineState.BREACHED, breached_at=now, escalated_at=now)
        deadlines = list(Deadline.objects.filter(pk__in=ids).select_related("case", "department"))
        by_kind: dict[str, list[Deadline]] = defaultdict(list)
        for deadline in deadlines:
            by_kind[deadline.kind].append(deadline)
        if not warn:
            stats.deadlines_counted(deadlines, "breached", stats.scope_map(d.center_id for d in deadlines))
        for kind_key, batch in by_kind.items():
            kind = registry.deadline_kind(kind_key)
            handler = kind.on_warn if warn else kind.on_breach
            if handler is not None:
                handler(batch, now)
        (report.warned if warn else report.breached).extend(ids)
        return len(ids) == batch_size
