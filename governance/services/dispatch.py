"""One-click dispatch (一键派单) and what a liaison does with it: accept (签收), reject (退回),
feed back (反馈). Response and feedback deadlines run on the shared engine."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import registry, roles
from governance.exceptions import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import (
    ACTIVE_DISPATCH_STATUSES,
    DISPATCH_TRANSITIONS,
    Case,
    CaseEvent,
    CaseStatus,
    Deadline,
    Department,
    Dispatch,
    DispatchStatus,
    Notification,
    Role,
    TimeUnit,
    User,
)
from governance.selectors.people import liaisons_by_department, users_by_center
from governance.services import stats
from governance.services.cases import case_transition
from governance.services.deadlines import deadline_complete, deadline_open
from governance.services.notifications import notifications_build, notify
from governance.services.timeline import event_record, events_record

RESPONSE = "dispatch.response"
FEEDBACK = "dispatch.feedback"


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("center", "category").get(pk=case.pk)


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


@transaction.atomic
def dispatch_create(
    *,
    actor: User | None,
    case: Case,
    department: Department,
    instructions: str = "",
    lead: bool | None = None,
    at: datetime | None = None,
    origin: str = "",
) -> Dispatch:
    """Send a case to a stationed department. The first live dispatch is the lead (主办); more
    departments join as assisting (协办) unless `lead` says otherwise."""
    roles.require(actor, roles.DISPATCH)
    at = at or timezone.now()
    case = _lock_case(case)
    for guard in registry.case_guards():
        guard(case, "dispatch", origin)
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("案件已办结，不能再派单"))
    if not department.is_active:
        raise InvalidInput(_("该部门已停用"), field="department")
    for check in registry.dispatch_checks():
        check(case, department)
    live = case.dispatches.exclude(status=DispatchStatus.REJECTED)
    if live.filter(department=department, status__in=ACTIVE_DISPATCH_STATUSES).exists():
        raise Conflict(_("该部门已在办理此案件"))
    has_lead = live.filter(is_lead=True).exists()
    if lead is None:
        lead = not has_lead
    elif lead and has_lead:
        raise Conflict(_("该案件已有主办部门，请以协办派单"))

    dispatch = Dispatch.objects.create(
        case=case,
        department=department,
        is_lead=lead,
        instructions=instructions,
        dispatched_by=actor,
        dispatched_at=at,
        dispatched_on=timezone.localdate(at),
    )
    dispatch.response_deadline = deadline_open(
        kind=RESPONSE,
        subject_id=dispatch.pk,
        center=case.center,
        start=at,
        case=case,
        department=department,
        service_line=case.service_line,
        risk_level=case.risk_level,
    )
    dispatch.save(update_fields=["response_deadline"])
    if case.status == CaseStatus.REGISTERED:
        case_transition(case, CaseStatus.DISPATCHED)
    role = _("主办") if lead else _("协办")
    event_record(
        case=case,
        kind="dispatched",
        actor=actor,
        at=at,
        message=_("派单至%(department)s（%(role)s），须于 %(due)s 前签收")
        % {"department": department.name, "role": role, "due": _fmt(dispatch.response_deadline.due_at)},
        data={"dispatch": dispatch.pk, "department": department.pk},
    )
    notify(
        recipients=liaisons_by_department([department.pk]).get(department.pk, []),
        kind="dispatched",
        title=_("新派单：%(number)s（%(role)s）") % {"number": case.number, "role": role},
        body=instructions,
        case=case,
        at=at,
    )
    stats.dispatch_counted(dispatch, dispatched=1)
    return dispatch


def _check_liaison(actor: User | None, dispatch: Dispatch) -> None:
    roles.require(actor, roles.HANDLE_DISPATCH)
    if actor is not None and not actor.is_superuser and actor.department_id != dispatch.department_id:
        raise Forbidden(_("只能处理派给本部门的案件"))


def _move(dispatch: Dispatch, new_status: str, **values) -> None:
    """Conditional update from the current status: of two liaisons pressing at once, one wins."""
    if new_status not in DISPATCH_TRANSITIONS[dispatch.status]:
        raise TransitionNotAllowed(
            _("派单当前为“%(status)s”，不能%(action)s")
            % {"status": DispatchStatus(dispatch.status).label, "action": _ACTION_LABELS[new_status]}
        )
    if not Dispatch.objects.filter(pk=dispatch.pk, status=dispatch.status).update(status=new_status, **values):
        current = Dispatch.objects.get(pk=dispatch.pk)
        raise Conflict(_("该派单已被处理（当前为“%(status)s”）") % {"status": DispatchStatus(current.status).label})
    dispatch.status = new_status
    for name, value in values.items():
        setattr(dispatch, name, value)


_ACTION_LABELS = {
    DispatchStatus.ACCEPTED: gettext_lazy("签收"),
    DispatchStatus.REJECTED: gettext_lazy("退回"),
    DispatchStatus.FED_BACK: gettext_lazy("反馈"),
}


@transaction.atomic
def dispatch_accept(*, actor: User | None, dispatch: Dispatch, at: datetime | None = None) -> Dispatch:
    """签收: the department takes the case; the feedback clock starts."""
    _check_liaison(actor, dispatch)
    at = at or timezone.now()
    _move(dispatch, DispatchStatus.ACCEPTED, accepted_by=actor, accepted_at=at)
    case = dispatch.case = _lock_case(dispatch.case)  # the caller renders the dispatch afterwards
    deadline_complete(deadline=dispatch.response_deadline, at=at)
    dispatch.feedback_deadline = deadline_open(
        kind=FEEDBACK,
        subject_id=dispatch.pk,
        center=case.center,
        start=at,
        case=case,
        department=dispatch.department,
        service_line=case.service_line,
        risk_level=case.risk_level,
    )
    dispatch.save(update_fields=["feedback_deadline"])
    if case.status == CaseStatus.DISPATCHED:
        case_transition(case, CaseStatus.IN_PROGRESS)
    event_record(
        case=case,
        kind="accepted",
        actor=actor,
        at=at,
        message=_("%(department)s签收，须于 %(due)s 前反馈")
        % {"department": dispatch.department.name, "due": _fmt(dispatch.feedback_deadline.due_at)},
        data={"dispatch": dispatch.pk},
    )
    return dispatch


@transaction.atomic
def dispatch_reject(*, actor: User | None, dispatch: Dispatch, reason: str, at: datetime | None = None) -> Dispatch:
    """退回: the department gives the case back to the center, with a reason, to be re-dispatched."""
    _check_liaison(actor, dispatch)
    if not reason or not reason.strip():
        raise InvalidInput(_("请填写退回理由"), field="reason")
    at = at or timezone.now()
    _move(dispatch, DispatchStatus.REJECTED, rejected_by=actor, rejected_at=at, reject_reason=reason.strip())
    case = dispatch.case = _lock_case(dispatch.case)  # the caller renders the dispatch afterwards
    deadline_complete(deadline=dispatch.response_deadline, at=at)
    if not case.dispatches.exclude(status=DispatchStatus.REJECTED).exists() and case.status == CaseStatus.DISPATCHED:
        case_transition(case, CaseStatus.REGISTERED)
    event_record(
        case=case,
        kind="rejected",
        actor=actor,
        at=at,
        message=_("%(department)s退回：%(reason)s") % {"department": dispatch.department.name, "reason": reason},
        data={"dispatch": dispatch.pk},
    )
    center_staff = users_by_center([case.center_id], Role.CENTER_ADMIN)[case.center_id]
    notify(
        recipients=[case.first_handler, *center_staff],
        kind="rejected",
        title=_("案件 %(number)s 被%(department)s退回，请重新派单")
        % {"number": case.number, "department": dispatch.department.name},
        body=reason,
        case=case,
        at=at,
    )
    stats.dispatch_counted(dispatch, rejected=1)
    return dispatch


@transaction.atomic
def dispatch_feedback(
    *, actor: User | None, dispatch: Dispatch, result: str, resolved: bool, at: datetime | None = None
) -> Dispatch:
    """反馈: the department reports what it did and whether the dispute is resolved. The center
    then closes the case and follows up."""
    _check_liaison(actor, dispatch)
    if not result or not result.strip():
        raise InvalidInput(_("请填写办理结果"), field="result")
    at = at or timezone.now()
    _move(
        dispatch,
        DispatchStatus.FED_BACK,
        fed_back_by=actor,
        fed_back_at=at,
        feedback_result=result.strip(),
        feedback_resolved=resolved,
    )
    case = dispatch.case = _lock_case(dispatch.case)  # the caller renders the dispatch afterwards
    deadline_complete(deadline=dispatch.feedback_deadline, at=at)
    event_record(
        case=case,
        kind="fed_back",
        actor=actor,
        at=at,
        message=_("%(department)s反馈（%(resolved)s）：%(result)s")
        % {
            "department": dispatch.department.name,
            "resolved": _("已化解") if resolved else _("未化解"),
            "result": result,
        },
        data={"dispatch": dispatch.pk, "resolved": resolved},
    )
    notify(
        recipients=[case.first_handler],
        kind="fed_back",
        title=_("案件 %(number)s：%(department)s已反馈，请办结并回访")
        % {"number": case.number, "department": dispatch.department.name},
        body=result,
        case=case,
        at=at,
    )
    stats.dispatch_counted(dispatch, fed_back=1, resolved=1 if resolved else 0)
    return dispatch


# --- What the sweep does with dispatch timers ------------------------------------------------------


def _dispatches_of(deadlines: list[Deadline]) -> dict[int, Dispatch]:
    ids = [d.subject_id for d in deadlines]
    return {d.pk: d for d in Dispatch.objects.filter(pk__in=ids).select_related("case", "department")}


def _on_deadlines(deadlines: list[Deadline], now: datetime, *, breach: bool) -> None:
    """Timeline events and notifications for a batch of dispatch timers, written in bulk: a
    warning goes to the department's liaisons; a breach (督办) also to the center's leaders."""
    dispatches = _dispatches_of(deadlines)
    liaisons = liaisons_by_department(d.department_id for d in dispatches.values())
    leaders = users_by_center({d.case.center_id for d in dispatches.values()}, Role.LEADER) if breach else {}
    events, notifications = [], []
    for deadline in deadlines:
        dispatch = dispatches[deadline.subject_id]
        values = {
            "department": dispatch.department.name,
            "number": dispatch.case.number,
            "due": _fmt(deadline.due_at),
            "what": _("签收") if deadline.kind == RESPONSE else _("反馈"),
        }
        if breach:
            message = _("督办：%(department)s超时未%(what)s（时限 %(due)s）") % values
            title = _("督办：案件 %(number)s %(department)s超时未%(what)s") % values
            recipients = [*leaders.get(dispatch.case.center_id, []), *liaisons.get(dispatch.department_id, [])]
        else:
            message = _("临期提醒：%(department)s须于 %(due)s 前%(what)s") % values
            title = _("临期提醒：案件 %(number)s 须于 %(due)s 前%(what)s") % values
            recipients = liaisons.get(dispatch.department_id, [])
        kind = "escalated" if breach else "warned"
        events.append(CaseEvent(case=dispatch.case, kind=kind, at=now, message=message, data={"deadline": deadline.pk}))
        notifications += notifications_build(recipients=recipients, kind=kind, title=title, case=dispatch.case, at=now)
    events_record(events)
    Notification.objects.bulk_create(notifications, batch_size=1000)


def _on_warn(deadlines: list[Deadline], now: datetime) -> None:
    _on_deadlines(deadlines, now, breach=False)


def _on_breach(deadlines: list[Deadline], now: datetime) -> None:
    _on_deadlines(deadlines, now, breach=True)


def register_deadline_kinds() -> None:
    registry.register_deadline_kind(
        registry.DeadlineKind(
            key=RESPONSE,
            label=gettext_lazy("派单签收"),
            default_unit=TimeUnit.CLOCK_HOURS,
            default_amount=2,
            basis=gettext_lazy("派单后2小时内签收（濮阳“一键派单”机制）"),
            on_warn=_on_warn,
            on_breach=_on_breach,
        )
    )
    registry.register_deadline_kind(
        registry.DeadlineKind(
            key=FEEDBACK,
            label=gettext_lazy("办理反馈"),
            default_unit=TimeUnit.CLOCK_HOURS,
            default_amount=24,
            basis=gettext_lazy("签收后24小时内反馈（濮阳“一键派单”机制）"),
            on_warn=_on_warn,
            on_breach=_on_breach,
        )
    )
