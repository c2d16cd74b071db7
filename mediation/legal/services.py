"""Use cases of public legal services: each matter is a case on the ledger (service line
`legal_services`) with its own procedure, deadlines fixed by law, and outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import roles
from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseStatus, Category, Center, Channel, RiskLevel, ServiceLine, User
from governance.services.cases import case_register
from governance.services.deadlines import (
    deadline_cancel,
    deadline_complete,
    deadline_extend,
    deadline_open,
    deadline_resume,
    deadline_suspend,
)
from governance.services.persons import PartyInput
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.legal.models import (
    LEGAL_TRANSITIONS,
    OUTCOMES_BY_KIND,
    LegalKind,
    LegalOutcome,
    LegalService,
    LegalStatus,
)
from mediation.services import stats
from mediation.services.common import RESOLVED, UNRESOLVED, WITHDRAWN, case_conclude, move, now_or

# The decision timer opened on application, and the handling timer opened on acceptance.
DECISION_TIMER = {
    LegalKind.LEGAL_AID: deadlines.LEGAL_AID_REVIEW,
    LegalKind.LABOUR_ARBITRATION: deadlines.ARBITRATION_ACCEPTANCE,
}
HANDLING_TIMER = {
    LegalKind.NOTARISATION: deadlines.NOTARISATION,
    LegalKind.LABOUR_ARBITRATION: deadlines.ARBITRATION_AWARD,
}
# What each outcome means for the ledger case.
CASE_OUTCOME = dict.fromkeys(LegalOutcome.values, RESOLVED) | {LegalOutcome.NOTARISATION_TERMINATED: UNRESOLVED}


def _lock(service: LegalService) -> LegalService:
    return (
        LegalService.objects.select_for_update(of=("self",))
        .select_related("case", "case__center", "decision_deadline", "handling_deadline")
        .get(pk=service.pk)
    )


def _move(service: LegalService, status: str, **values) -> None:
    move(service, LEGAL_TRANSITIONS[service.kind], status, LegalStatus, **values)


def _timer(service: LegalService, kind: str, start: datetime):
    return deadline_open(
        kind=kind,
        subject_id=service.pk,
        center=service.case.center,
        start=start,
        case=service.case,
        **deadlines.law_timer(kind),
    )


def _due(deadline) -> str:
    return timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M") if deadline and deadline.due_at else ""


@transaction.atomic
def legal_service_open(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    request: str,
    agency: str = "",
    at: datetime | None = None,
) -> LegalService:
    """Take a legal-service matter on an existing case of the legal-services line (e.g. registered
    at the window). Legal aid must be decided in 7 days; arbitration accepted or not in 5."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    at = now_or(at)
    case = Case.objects.select_for_update().select_related("center").get(pk=case.pk)
    if case.service_line != ServiceLine.LEGAL_SERVICES:
        raise InvalidInput(_("只有“公共法律服务”条线的案件可以办理法律服务"), field="case")
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("案件已办结"))
    if kind not in LegalKind.values:
        raise InvalidInput(_("无效的服务类型"), field="kind")
    if not request.strip():
        raise InvalidInput(_("请填写申请或咨询事项"), field="request")
    if LegalService.objects.filter(case=case).exists():
        raise Conflict(_("该案件已在办理法律服务"))
    service = LegalService.objects.create(
        case=case,
        case_center_id=case.center_id,
        case_registered_on=case.registered_on,
        kind=kind,
        request=request,
        agency=agency,
        applied_at=at,
        handled_by=actor,
    )
    if kind in DECISION_TIMER:
        service.decision_deadline = _timer(service, DECISION_TIMER[kind], at)
        service.save(update_fields=["decision_deadline"])
    event_record(
        case=case,
        kind="legal_opened",
        actor=actor,
        at=at,
        message=_("%(kind)s：%(request)s%(due)s")
        % {
            "kind": LegalKind(kind).label,
            "request": request[:200],
            "due": _("，应于 %(due)s 前作出决定") % {"due": _due(service.decision_deadline)}
            if service.decision_deadline
            else "",
        },
        data={"legal_service": service.pk},
    )
    stats.legal_counted(service)
    return service


@transaction.atomic
def legal_service_register(
    *,
    actor: User | None,
    center: Center,
    kind: str,
    category: Category,
    request: str,
    parties: Sequence[PartyInput],
    summary: str = "",
    channel: str = Channel.WALK_IN,
    risk_level: str = RiskLevel.BLUE,
    agency: str = "",
    at: datetime | None = None,
) -> LegalService:
    """Register the matter on the ledger and take it, in one step (the legal-services hall)."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    at = now_or(at)
    case = case_register(
        actor=actor,
        center=center,
        channel=channel,
        service_line=ServiceLine.LEGAL_SERVICES,
        category=category,
        risk_level=risk_level,
        summary=summary or f"{LegalKind(kind).label}：{request}"[:2000],
        parties=parties,
        registered_at=at,
    )
    return legal_service_open(actor=actor, case=case, kind=kind, request=request, agency=agency, at=at)


@transaction.atomic
def legal_service_accept(
    *,
    actor: User | None,
    service: LegalService,
    agency: str = "",
    assignee: str = "",
    reference: str = "",
    at: datetime | None = None,
) -> LegalService:
    """Accept (受理) — for legal aid: the decision to give aid, with the agency and lawyer."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    at = now_or(at)
    before = stats.legal_state(service)
    _move(
        service,
        LegalStatus.ACCEPTED,
        decided_at=at,
        agency=agency or service.agency,
        assignee=assignee,
        reference=reference,
    )
    if service.decision_deadline_id:
        deadline_complete(deadline=service.decision_deadline, at=at)
    if service.kind in HANDLING_TIMER:
        service.handling_deadline = _timer(service, HANDLING_TIMER[service.kind], at)
        LegalService.objects.filter(pk=service.pk).update(handling_deadline=service.handling_deadline)
    event_record(
        case=service.case,
        kind="legal_accepted",
        actor=actor,
        at=at,
        message=_("%(kind)s已受理%(who)s%(due)s")
        % {
            "kind": LegalKind(service.kind).label,
            "who": f"（{service.agency} {assignee}）".replace(" ）", "）") if service.agency or assignee else "",
            "due": _("，应于 %(due)s 前办结") % {"due": _due(service.handling_deadline)}
            if service.handling_deadline
            else "",
        },
        data={"legal_service": service.pk},
    )
    stats.legal_counted(service, before)
    return service


@transaction.atomic
def legal_service_refuse(
    *, actor: User | None, service: LegalService, reason: str, at: datetime | None = None
) -> LegalService:
    """Refuse with the reason (不予受理 / 不予法律援助, notified in writing); the case closes."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    if not reason.strip():
        raise InvalidInput(_("请填写不予受理的理由"), field="reason")
    at = now_or(at)
    before = stats.legal_state(service)
    _move(service, LegalStatus.REFUSED, decided_at=at, concluded_at=at, refusal_reason=reason)
    if service.decision_deadline_id:
        deadline_complete(deadline=service.decision_deadline, at=at)
    event_record(
        case=service.case,
        kind="legal_refused",
        actor=actor,
        at=at,
        message=_("%(kind)s不予受理：%(reason)s") % {"kind": LegalKind(service.kind).label, "reason": reason},
        data={"legal_service": service.pk},
    )
    case_conclude(
        case=service.case, outcome=UNRESOLVED, note=_("不予受理：%(reason)s") % {"reason": reason}, actor=actor, at=at
    )
    stats.legal_counted(service, before)
    return service


@transaction.atomic
def legal_service_conclude(
    *,
    actor: User | None,
    service: LegalService,
    outcome: str,
    result_note: str = "",
    reference: str = "",
    at: datetime | None = None,
) -> LegalService:
    """Conclude with the kind's own outcome (answered / referred on; aid completed; certificate
    issued or notarisation terminated; award or arbitral mediation); the case closes."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    if outcome not in OUTCOMES_BY_KIND[service.kind]:
        raise InvalidInput(_("该类服务没有此结果"), field="outcome")
    if service.kind == LegalKind.CONSULTATION and not result_note.strip():
        raise InvalidInput(_("请填写答复内容"), field="result_note")
    if service.handling_deadline_id and service.handling_deadline.due_at is None:
        raise TransitionNotAllowed(_("计时已中止，请先恢复计时"))
    at = now_or(at)
    before = stats.legal_state(service)
    _move(
        service,
        LegalStatus.CONCLUDED,
        outcome=outcome,
        result_note=result_note,
        reference=reference or service.reference,
        concluded_at=at,
        **({"decided_at": at} if service.decided_at is None else {}),
    )
    if service.handling_deadline_id:
        deadline_complete(deadline=service.handling_deadline, at=at)
    label = LegalOutcome(outcome).label
    event_record(
        case=service.case,
        kind="legal_concluded",
        actor=actor,
        at=at,
        message=_("%(kind)s办结：%(outcome)s。%(note)s")
        % {"kind": LegalKind(service.kind).label, "outcome": label, "note": result_note[:200]},
        data={"legal_service": service.pk},
    )
    case_conclude(case=service.case, outcome=CASE_OUTCOME[outcome], note=str(label), actor=actor, at=at)
    stats.legal_counted(service, before)
    return service


@transaction.atomic
def legal_service_withdraw(
    *, actor: User | None, service: LegalService, reason: str, at: datetime | None = None
) -> LegalService:
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    if not reason.strip():
        raise InvalidInput(_("请填写撤回原因"), field="reason")
    at = now_or(at)
    before = stats.legal_state(service)
    _move(service, LegalStatus.WITHDRAWN, concluded_at=at, result_note=reason)
    for deadline in (service.decision_deadline, service.handling_deadline):
        if deadline is not None:
            deadline_cancel(deadline=deadline, at=at)
    event_record(
        case=service.case,
        kind="legal_withdrawn",
        actor=actor,
        at=at,
        message=_("申请人撤回：%(reason)s") % {"reason": reason},
        data={"legal_service": service.pk},
    )
    case_conclude(case=service.case, outcome=WITHDRAWN, note=_("申请人撤回"), actor=actor, at=at)
    stats.legal_counted(service, before)
    return service


@transaction.atomic
def legal_service_extend(
    *, actor: User | None, service: LegalService, days: int, reason: str, at: datetime | None = None
) -> LegalService:
    """An arbitration award may take at most 15 more days, once, with the commission director's
    approval and written notice to the parties (劳动争议调解仲裁法第四十三条)."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    deadline = service.handling_deadline
    if service.status != LegalStatus.ACCEPTED or deadline is None or deadline.kind not in deadlines.EXTENSION_CAPS:
        raise TransitionNotAllowed(_("只有受理后的劳动仲裁可以延长裁决期限"))
    if deadline.extensions >= 1:
        raise TransitionNotAllowed(_("仲裁裁决期限只能延长一次"))
    cap = deadlines.EXTENSION_CAPS[deadline.kind]
    if days < 1 or days > cap:
        raise InvalidInput(_("延长天数须在1至%(cap)s之间") % {"cap": cap}, field="days")
    if not reason.strip():
        raise InvalidInput(_("请填写延期理由"), field="reason")
    deadline_extend(
        deadline=deadline,
        amount=days,
        reason=_("经仲裁委主任批准延长%(days)s日并书面通知当事人：%(reason)s") % {"days": days, "reason": reason},
        approver=None,
        actor=actor,
        at=now_or(at),
    )
    return service


@transaction.atomic
def legal_service_pause(
    *, actor: User | None, service: LegalService, reason: str, at: datetime | None = None
) -> LegalService:
    """Notarisation: time to supply documents or verify facts is not counted (公证程序规则第三十五条)."""
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    deadline = service.handling_deadline
    if service.kind != LegalKind.NOTARISATION or service.status != LegalStatus.ACCEPTED or deadline is None:
        raise TransitionNotAllowed(_("只有受理后的公证事项可以中止计时"))
    deadline_suspend(
        deadline=deadline, reason=_("补充材料或核实情况：%(reason)s") % {"reason": reason}, actor=actor, at=now_or(at)
    )
    return service


@transaction.atomic
def legal_service_resume(
    *, actor: User | None, service: LegalService, reason: str = "", at: datetime | None = None
) -> LegalService:
    roles.require(actor, permissions.LEGAL_SERVICES)
    service = _lock(service)
    deadline = service.handling_deadline
    if service.kind != LegalKind.NOTARISATION or service.status != LegalStatus.ACCEPTED or deadline is None:
        raise TransitionNotAllowed(_("只有受理后的公证事项可以恢复计时"))
    deadline_resume(deadline=deadline, actor=actor, reason=reason, at=now_or(at))
    return service
