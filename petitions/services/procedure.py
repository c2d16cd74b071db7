"""The legal procedure of a petition (信访工作条例), one service per step:

registered ─forward/assign→ handling ─reply→ replied ─request_review→ review_requested
    └─refuse→ refused            (extend once)     │             ─answer_review→ reviewed
                                                   └─30 days pass→ closed        │
              reviewed ─request_re_review→ re_review_requested ─answer_re_review→ closed
                  └─30 days pass→ closed

Each step checks `ALLOWED_TRANSITIONS`, moves the row with a conditional UPDATE, stops and starts
its timers on the core engine and writes its timeline event, all in one transaction. The ledger
case follows: forwarding or assigning to a stationed department dispatches the case (the core's
dispatch, sign-for and feedback); a refusal or the reply closes it (办结); review and re-review
are recorded on the closed case (the reviewing organ is the next level up): see review.py.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import policies, registry, roles
from governance.exceptions import InvalidInput, TransitionNotAllowed
from governance.models import (
    ACTIVE_DISPATCH_STATUSES,
    Case,
    CaseStatus,
    DeadlineState,
    Department,
    Outcome,
    TimeUnit,
    User,
)
from governance.services.cases import case_close
from governance.services.deadlines import deadline_extend
from governance.services.dispatch import dispatch_create
from governance.services.timeline import event_record
from petitions import roles as petition_roles
from petitions.choices import (
    Decision,
    RefusalReason,
    ReplyOutcome,
    Step,
    Track,
)
from petitions.models import (
    HANDLING_DAYS,
    MAX_EXTENSION_DAYS,
    Petition,
    PetitionAccused,
)
from petitions.origin import ORIGIN
from petitions.policies import FAST_TRACK
from petitions.services import deadlines
from petitions.services.machine import check_step, lock, move

# How the ledger case is closed when the petition's handling ends.
CASE_OUTCOME_BY_REFUSAL = {RefusalReason.LITIGATION: Outcome.LITIGATION}


def _check_routable(case: Case, department: Department) -> None:
    """[law] Accusation material is never handed to the accused or their department. Registered
    with the core as a dispatch check, so no route (petition decision or plain dispatch) gets it there."""
    if PetitionAccused.objects.filter(case=case, department=department).exists():
        raise InvalidInput(_("检举控告事项不得转交被检举控告的部门办理"), field="department")


def register_dispatch_check() -> None:
    registry.register_dispatch_check(_check_routable)


def handling_period(*, center, track: str) -> tuple[str, int]:
    """(unit, amount) of the handling timer for a track: the legal 60 days, or the local fast track."""
    if track == Track.STANDARD:
        return TimeUnit.CALENDAR_DAYS, HANDLING_DAYS
    fast = policies.policy_value(FAST_TRACK.key, center)
    if not fast:
        raise InvalidInput(_("本中心未启用快速办理，请选择一般程序"), field="track")
    return fast["unit"], fast[track]


def _accept(
    *,
    step: str,
    actor: User | None,
    petition: Petition,
    department: Department | None,
    organ: str,
    track: str,
    deadline_days: int | None,
    note: str,
    at: datetime | None,
) -> Petition:
    roles.require(actor, petition_roles.STAFF)
    if track not in Track.values:
        raise InvalidInput(_("无效的办理程序"), field="track")
    organ = organ.strip()
    if (department is None) == (not organ):
        raise InvalidInput(_("请选择承办部门，或填写中心以外的承办机关（二者选一）"), field="department")
    at = at or timezone.now()
    petition = lock(petition)
    check_step(petition, step)
    case = petition.case
    unit, amount = handling_period(center=case.center, track=track)
    if deadline_days is not None:
        if not 1 <= deadline_days <= amount:
            raise InvalidInput(
                _("交办期限应为1至%(max)s日（不超过所选办理程序的期限）") % {"max": amount}, field="deadline_days"
            )
        unit, amount = TimeUnit.CALENDAR_DAYS, deadline_days
    if department is not None:
        _check_routable(case, department)
    move(
        petition,
        step,
        decision=Decision.FORWARD if step == Step.FORWARD else Decision.ASSIGN,
        decided_at=at,
        decided_by=actor,
        track=track,
        handling_department=department,
        handling_organ=department.name if department else organ,
        assigned_days=deadline_days,
        decision_note=note.strip(),
    )
    decision_state = deadlines.complete_for(petition, deadlines.DECISION, at)
    basis = deadlines.BASES[deadlines.HANDLING] if track == Track.STANDARD and deadline_days is None else None
    if basis is None:
        basis = (
            _("交办期限%(days)s日") % {"days": deadline_days}
            if deadline_days is not None
            else _("本地快速办理（%(track)s）") % {"track": Track(track).label}
        )
    handling = deadlines.open_for(petition, deadlines.HANDLING, at, unit=unit, amount=amount, basis=basis)
    if department is not None:
        dispatch_create(actor=actor, case=case, department=department, instructions=note, at=at, origin=ORIGIN)
    values = {
        "step": Step(step).label,
        "organ": petition.handling_organ,
        "track": Track(track).label,
        "due": timezone.localtime(handling.due_at).strftime("%Y-%m-%d"),
        "late": _("（已超过15日处理期限）") if decision_state == DeadlineState.BREACHED else "",
    }
    event_record(
        case=case,
        kind=f"petition_{step}ed",
        actor=actor,
        at=at,
        message=_("%(step)s%(organ)s办理（%(track)s），%(due)s 前办结答复%(late)s") % values,
        data={"petition": petition.pk, "department": department.pk if department else None},
    )
    return petition


def petition_forward(
    *,
    actor: User | None,
    petition: Petition,
    department: Department | None = None,
    organ: str = "",
    track: str = Track.STANDARD,
    note: str = "",
    at: datetime | None = None,
) -> Petition:
    """转送: the matter goes to the department (or outside organ) with the power to handle it; the
    handling clock (60 days, or the local fast track) starts."""
    with transaction.atomic():
        return _accept(
            step=Step.FORWARD,
            actor=actor,
            petition=petition,
            department=department,
            organ=organ,
            track=track,
            deadline_days=None,
            note=note,
            at=at,
        )


def petition_assign(
    *,
    actor: User | None,
    petition: Petition,
    department: Department | None = None,
    organ: str = "",
    track: str = Track.STANDARD,
    deadline_days: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Petition:
    """交办: as forwarding, with a deadline of our own (at most the track's period) by which the
    handler reports the result."""
    with transaction.atomic():
        return _accept(
            step=Step.ASSIGN,
            actor=actor,
            petition=petition,
            department=department,
            organ=organ,
            track=track,
            deadline_days=deadline_days,
            note=note,
            at=at,
        )


@transaction.atomic
def petition_refuse(
    *, actor: User | None, petition: Petition, reason: str, notice: str, at: datetime | None = None
) -> Petition:
    """不予受理, told to the petitioner in writing with the reason (e.g. already in litigation,
    arbitration or administrative review, or accepted elsewhere). Closes the ledger case."""
    roles.require(actor, petition_roles.STAFF)
    if reason not in RefusalReason.values:
        raise InvalidInput(_("请选择不予受理的理由"), field="reason")
    if not notice or not notice.strip():
        raise InvalidInput(_("请填写书面告知的内容"), field="notice")
    at = at or timezone.now()
    petition = lock(petition)
    move(
        petition,
        Step.REFUSE,
        decision=Decision.REFUSE,
        decided_at=at,
        decided_by=actor,
        refusal_reason=reason,
        refusal_notice=notice.strip(),
    )
    state = deadlines.complete_for(petition, deadlines.DECISION, at)
    event_record(
        case=petition.case,
        kind="petition_refused",
        actor=actor,
        at=at,
        message=_("不予受理，已书面告知信访人：%(reason)s%(late)s")
        % {
            "reason": RefusalReason(reason).label,
            "late": _("（已超过15日处理期限）") if state == DeadlineState.BREACHED else "",
        },
        data={"petition": petition.pk},
    )
    _close_case(actor, petition.case, CASE_OUTCOME_BY_REFUSAL.get(reason, Outcome.UNRESOLVED), notice, at)
    return petition


def _close_case(actor: User | None, case: Case, outcome: str, note: str, at: datetime) -> None:
    if case.status != CaseStatus.CLOSED:
        case_close(actor=actor, case=case, outcome=outcome, note=note[:2000], at=at, origin=ORIGIN)


@transaction.atomic
def petition_extend(
    *,
    actor: User | None,
    petition: Petition,
    days: int,
    reason: str,
    approver: User,
    at: datetime | None = None,
) -> Petition:
    """Extend the handling period [law]: once only, by at most 30 days, approved by a leader, and the
    petitioner told why (the reason is shown on their progress page)."""
    roles.require(actor, petition_roles.EXTEND)
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(_("延长期限不得超过%(max)s日") % {"max": MAX_EXTENSION_DAYS}, field="days")
    if not reason or not reason.strip():
        raise InvalidInput(_("请填写延期理由（将告知信访人）"), field="reason")
    at = at or timezone.now()
    petition = lock(petition)
    check_step(petition, Step.EXTEND)
    if not approver.is_active or not approver.has_role(*petition_roles.APPROVE_EXTENSION):
        raise InvalidInput(_("延期须经领导批准，请选择批准的领导"), field="approver")
    if approver.center_id not in petition.case.center.scope_ids:
        raise InvalidInput(_("批准人须为本中心或上级中心的领导"), field="approver")
    handling = deadlines.deadline_of(petition, deadlines.HANDLING)
    if petition.extension_days is not None or handling.extensions:
        raise TransitionNotAllowed(_("办理期限只能延长一次"))
    move(
        petition,
        Step.EXTEND,
        extension_days=days,
        extension_reason=reason.strip(),
        extension_approver=approver,
        extended_at=at,
    )
    handling = deadline_extend(
        deadline=handling,
        amount=days,
        unit=TimeUnit.CALENDAR_DAYS,
        reason=reason.strip(),
        approver=approver,
        actor=actor,
        at=at,
    )
    event_record(
        case=petition.case,
        kind="petition_extended",
        actor=actor,
        at=at,
        message=_("经%(approver)s批准，办理期限延长%(days)s日至 %(due)s，已告知信访人延期理由")
        % {"approver": approver, "days": days, "due": timezone.localtime(handling.due_at).strftime("%Y-%m-%d")},
        data={"petition": petition.pk, "approver": approver.pk},
    )
    return petition


@transaction.atomic
def petition_reply(
    *,
    actor: User | None,
    petition: Petition,
    outcome: str,
    text: str,
    resolved: bool | None = None,
    at: datetime | None = None,
) -> Petition:
    """The written reply (信访处理意见书): support, explain or not support. Stops the handling clock,
    opens the petitioner's 30 days to ask for a review, and closes the ledger case — resolved
    when the request is supported unless the caller says otherwise."""
    roles.require(actor, petition_roles.STAFF)
    if outcome not in ReplyOutcome.values:
        raise InvalidInput(_("请选择处理意见"), field="outcome")
    if not text or not text.strip():
        raise InvalidInput(_("请填写答复内容"), field="text")
    at = at or timezone.now()
    petition = lock(petition)
    check_step(petition, Step.REPLY)
    if petition.case.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).exists():
        raise TransitionNotAllowed(_("承办部门尚未反馈办理结果，暂不能答复"))
    move(petition, Step.REPLY, reply_outcome=outcome, reply_text=text.strip(), replied_at=at, replied_by=actor)
    state = deadlines.complete_for(petition, deadlines.HANDLING, at)
    window = deadlines.open_for(petition, deadlines.REVIEW_WINDOW, at)
    event_record(
        case=petition.case,
        kind="petition_replied",
        actor=actor,
        at=at,
        message=_("书面答复信访人：%(outcome)s%(late)s；可于 %(until)s 前请求复查")
        % {
            "outcome": ReplyOutcome(outcome).label,
            "late": _("（超过办理期限）") if state == DeadlineState.BREACHED else "",
            "until": timezone.localtime(window.due_at).strftime("%Y-%m-%d"),
        },
        data={"petition": petition.pk},
    )
    if resolved is None:
        resolved = outcome == ReplyOutcome.SUPPORT
    _close_case(actor, petition.case, Outcome.RESOLVED if resolved else Outcome.UNRESOLVED, text, at)
    return petition
