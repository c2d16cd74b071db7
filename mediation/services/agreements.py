"""The agreement and what follows it: term-by-term performance, follow-up checks, and judicial
confirmation (application within 30 days of taking effect, acceptance, ruling)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import CaseParty, Deadline, DeadlineState, TimeUnit, User
from governance.services.deadlines import deadline_cancel, deadline_complete, deadline_extend, deadline_open
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    ConfirmationStatus,
    FileStatus,
    Performance,
    Side,
    TermStatus,
)
from mediation.models import (
    CONFIRMATION_TRANSITIONS,
    TERM_TRANSITIONS,
    Agreement,
    AgreementParty,
    JudicialConfirmation,
    MediationFile,
    PerformanceCheck,
    Term,
)
from mediation.services.common import move, now_or


@dataclass(frozen=True)
class PartyInput:
    case_party: int  # a CaseParty of the file's case
    side: str
    responsibility: str = ""
    signed: bool = False


@dataclass(frozen=True)
class TermInput:
    content: str
    method: str
    due_on: date
    obligor: int | None = None  # a CaseParty of the file's case


@dataclass(frozen=True)
class AgreementInput:
    form: str
    facts: str
    parties: Sequence[PartyInput]
    terms: Sequence[TermInput]
    sealed: bool = False
    recorder: str = ""
    copies: int | None = None
    confirmation_wanted: bool = False


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def _validate(file: MediationFile, data: AgreementInput, at: datetime) -> dict[int, CaseParty]:
    if data.form not in AgreementForm.values:
        raise InvalidInput(_("无效的协议形式"), field="form")
    if not data.facts.strip():
        raise InvalidInput(_("请写明纠纷的主要事实、争议事项"), field="facts")
    case_parties = {p.pk: p for p in CaseParty.objects.filter(case=file.case).select_related("person")}
    seen = set()
    for party in data.parties:
        if party.case_party not in case_parties:
            raise InvalidInput(_("协议当事人须为本案当事人"), field="parties")
        if party.case_party in seen:
            raise InvalidInput(_("协议当事人重复"), field="parties")
        if party.side not in Side.values:
            raise InvalidInput(_("无效的当事方"), field="parties")
        seen.add(party.case_party)
    if {p.side for p in data.parties} != set(Side.values):
        raise InvalidInput(_("协议须列明双方当事人"), field="parties")
    if data.form == AgreementForm.WRITTEN:
        if not all(p.signed for p in data.parties):
            raise InvalidInput(_("书面调解协议须各方当事人签名、盖章或按指印"), field="parties")
        if not data.sealed:
            raise InvalidInput(_("书面调解协议须加盖人民调解委员会印章"), field="sealed")
    if not data.terms:
        raise InvalidInput(_("协议须至少有一条协议内容"), field="terms")
    today = timezone.localdate(at)
    for term in data.terms:
        if not term.content.strip() or not term.method.strip():
            raise InvalidInput(_("每条协议内容须写明履行方式"), field="terms")
        if term.due_on < today:
            raise InvalidInput(_("履行期限不能早于协议签订日期"), field="terms")
        if term.obligor is not None and term.obligor not in seen:
            raise InvalidInput(_("履行人须为协议当事人"), field="terms")
    if data.copies is not None and data.copies < 1:
        raise InvalidInput(_("协议份数至少为1"), field="copies")
    return case_parties


def agreement_create(*, actor: User | None, file: MediationFile, data: AgreementInput, at: datetime) -> Agreement:
    """Write the agreement of a file (called by `file_agree`, inside its transaction). A written
    agreement takes effect when every party has signed and the committee has sealed it; an oral
    one when it is reached and recorded (人民调解法第二十八、二十九条). Each term's date and, when
    the parties intend to, the 30-day window for judicial confirmation run on the deadline engine."""
    _validate(file, data, at)
    case = file.case
    agreement = Agreement.objects.create(
        file=file,
        form=data.form,
        facts=data.facts,
        mediator=file.mediator,
        recorder=data.recorder,
        sealed=data.sealed,
        copies=data.copies or len(data.parties) + 1,
        signed_at=at,
        effective_at=at,
        confirmation_wanted=data.confirmation_wanted,
        recorded_by=actor,
    )
    by_case_party = {}
    for order, party in enumerate(data.parties):
        by_case_party[party.case_party] = AgreementParty.objects.create(
            agreement=agreement,
            case_party_id=party.case_party,
            side=party.side,
            responsibility=party.responsibility,
            signed=party.signed,
            order=order,
        )
    today = timezone.localdate(at)
    for order, item in enumerate(data.terms, start=1):
        term = Term.objects.create(
            agreement=agreement,
            order=order,
            obligor=by_case_party.get(item.obligor),
            content=item.content,
            method=item.method,
            due_on=item.due_on,
        )
        term.deadline = deadline_open(
            kind=deadlines.TERM,
            subject_id=term.pk,
            center=case.center,
            start=at,
            case=case,
            unit=TimeUnit.CALENDAR_DAYS,
            amount=(item.due_on - today).days,
        )
        term.save(update_fields=["deadline"])
    if data.confirmation_wanted:
        agreement.window_deadline = _open_window(agreement, case)
        agreement.save(update_fields=["window_deadline"])
    return agreement


def _open_window(agreement: Agreement, case) -> Deadline:
    return deadline_open(
        kind=deadlines.CONFIRMATION_WINDOW,
        subject_id=agreement.pk,
        center=case.center,
        start=agreement.effective_at,
        case=case,
        **deadlines.law_timer(deadlines.CONFIRMATION_WINDOW),
    )


def _lock_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("file", "file__case", "file__case__center", "file__committee", "file__mediator")
        .get(pk=agreement.pk)
    )


def _performance(statuses: list[str]) -> str:
    if statuses and all(s == TermStatus.PERFORMED for s in statuses):
        return Performance.FULLY_PERFORMED
    if TermStatus.DEFAULTED in statuses:
        some = any(s in (TermStatus.PERFORMED, TermStatus.PARTLY) for s in statuses)
        return Performance.PARTLY_PERFORMED if some else Performance.NOT_PERFORMED
    return Performance.PERFORMING


def _performance_refresh(agreement: Agreement, at: datetime) -> str:
    performance = _performance(list(agreement.terms.values_list("status", flat=True)))
    fully_at = at if performance == Performance.FULLY_PERFORMED else None
    Agreement.objects.filter(pk=agreement.pk).update(performance=performance, fully_performed_at=fully_at)
    agreement.performance, agreement.fully_performed_at = performance, fully_at
    return performance


def _term_move(*, term: Term, status: str, note: str, actor: User | None, at: datetime, case) -> None:
    values = {"note": note or term.note}
    if status == TermStatus.PERFORMED:
        values["performed_at"] = at
    move(term, TERM_TRANSITIONS, status, TermStatus, **values)
    if status == TermStatus.PERFORMED and term.deadline_id:
        deadline_complete(deadline=term.deadline, at=at)
    event_record(
        case=case,
        kind="agreement_term",
        actor=actor,
        at=at,
        message=_("协议第%(order)s条（%(content)s）：%(status)s。%(note)s")
        % {"order": term.order, "content": term.content[:60], "status": TermStatus(status).label, "note": note},
        data={"term": term.pk},
    )


@transaction.atomic
def term_record(*, actor: User | None, term: Term, status: str, note: str = "", at: datetime | None = None) -> Term:
    """Record how one term was performed (履行情况): performed, partly, or not performed."""
    agreement = _lock_agreement(term.agreement)
    permissions.require_mediate_or_staff(actor, agreement.file)
    term = Term.objects.select_for_update(of=("self",)).select_related("deadline").get(pk=term.pk)
    if status not in TermStatus.values:
        raise InvalidInput(_("无效的履行情况"), field="status")
    at = now_or(at)
    _term_move(term=term, status=status, note=note, actor=actor, at=at, case=agreement.file.case)
    _performance_refresh(agreement, at)
    return term


@transaction.atomic
def agreement_check(
    *,
    actor: User | None,
    agreement: Agreement,
    method: str,
    finding: str,
    terms: Mapping[int, str] | None = None,
    at: datetime | None = None,
) -> PerformanceCheck:
    """A follow-up visit or call that checks performance (回访), updating terms as found."""
    agreement = _lock_agreement(agreement)
    permissions.require_mediate_or_staff(actor, agreement.file)
    if method not in CheckMethod.values:
        raise InvalidInput(_("无效的回访方式"), field="method")
    if not finding.strip():
        raise InvalidInput(_("请填写回访情况"), field="finding")
    at = now_or(at)
    own_terms = {t.pk: t for t in agreement.terms.select_for_update(of=("self",)).select_related("deadline")}
    for term_id, status in (terms or {}).items():
        if term_id not in own_terms:
            raise InvalidInput(_("条款不属于该协议"), field="terms")
        if status not in TermStatus.values:
            raise InvalidInput(_("无效的履行情况"), field="terms")
    case = agreement.file.case
    for term_id, status in (terms or {}).items():
        term = own_terms[term_id]
        if term.status != status:
            _term_move(term=term, status=status, note=_("回访核实"), actor=actor, at=at, case=case)
    performance = _performance_refresh(agreement, at)
    check = PerformanceCheck.objects.create(
        agreement=agreement, method=method, checked_at=at, by=actor, finding=finding, performance=performance
    )
    event_record(
        case=case,
        kind="agreement_checked",
        actor=actor,
        at=at,
        message=_("履行回访（%(method)s）：%(performance)s。%(finding)s")
        % {"method": CheckMethod(method).label, "performance": Performance(performance).label, "finding": finding},
        data={"agreement": agreement.pk},
    )
    return check


# --- Judicial confirmation ------------------------------------------------------------------------


def _lock_confirmation(confirmation: JudicialConfirmation) -> JudicialConfirmation:
    return (
        JudicialConfirmation.objects.select_for_update(of=("self",))
        .select_related(
            "agreement",
            "agreement__file",
            "agreement__file__case",
            "agreement__file__case__center",
            "acceptance_deadline",
            "ruling_deadline",
        )
        .get(pk=confirmation.pk)
    )


@transaction.atomic
def confirmation_apply(
    *, actor: User | None, agreement: Agreement, court: str, joint: bool, at: datetime | None = None
) -> JudicialConfirmation:
    """The parties jointly apply to a court to confirm the agreement, within 30 days of its taking
    effect (人民调解法第三十三条). The window is a timer on the engine: opened when the agreement
    took effect if the parties said they would apply, or now from that same start."""
    agreement = _lock_agreement(agreement)
    file = agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    if file.status != FileStatus.AGREED:
        raise TransitionNotAllowed(_("调解成功后才能申请司法确认"))
    if not joint:
        raise InvalidInput(_("司法确认须由双方当事人共同申请（人民调解法第三十三条）"), field="joint")
    if agreement.form != AgreementForm.WRITTEN:
        raise InvalidInput(_("口头协议不能申请司法确认，请先制作书面调解协议书"), field="agreement")
    if not court.strip():
        raise InvalidInput(_("请填写受理法院"), field="court")
    if JudicialConfirmation.objects.filter(agreement=agreement).exists():
        raise Conflict(_("该协议已申请司法确认"))
    window = agreement.window_deadline
    if window is None:
        window = _open_window(agreement, file.case)
        Agreement.objects.filter(pk=agreement.pk).update(window_deadline=window)
    if window.state != DeadlineState.OPEN or (window.due_at is not None and at > window.due_at):
        raise TransitionNotAllowed(
            _("已超过调解协议生效后30日的申请期限（%(due)s 届满）")
            % {"due": timezone.localtime(window.due_at).strftime("%Y-%m-%d %H:%M") if window.due_at else ""}
        )
    deadline_complete(deadline=window, at=at)
    confirmation = JudicialConfirmation.objects.create(agreement=agreement, court=court, applied_at=at)
    confirmation.acceptance_deadline = deadline_open(
        kind=deadlines.CONFIRMATION_ACCEPTANCE,
        subject_id=confirmation.pk,
        center=file.case.center,
        start=at,
        case=file.case,
        **deadlines.law_timer(deadlines.CONFIRMATION_ACCEPTANCE),
    )
    confirmation.save(update_fields=["acceptance_deadline"])
    event_record(
        case=file.case,
        kind="confirmation_applied",
        actor=actor,
        at=at,
        message=_("双方当事人共同向%(court)s申请司法确认") % {"court": court},
        data={"confirmation": confirmation.pk},
    )
    return confirmation


@transaction.atomic
def confirmation_accept(
    *, actor: User | None, confirmation: JudicialConfirmation, court_case_number: str = "", at: datetime | None = None
) -> JudicialConfirmation:
    """The court accepted the application; it rules within 15 days."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    move(
        confirmation,
        CONFIRMATION_TRANSITIONS,
        ConfirmationStatus.ACCEPTED,
        ConfirmationStatus,
        accepted_at=at,
        court_case_number=court_case_number,
    )
    if confirmation.acceptance_deadline_id:
        deadline_complete(deadline=confirmation.acceptance_deadline, at=at)
    confirmation.ruling_deadline = deadline_open(
        kind=deadlines.CONFIRMATION_RULING,
        subject_id=confirmation.pk,
        center=file.case.center,
        start=at,
        case=file.case,
        **deadlines.law_timer(deadlines.CONFIRMATION_RULING),
    )
    JudicialConfirmation.objects.filter(pk=confirmation.pk).update(ruling_deadline=confirmation.ruling_deadline)
    event_record(
        case=file.case,
        kind="confirmation_accepted",
        actor=actor,
        at=at,
        message=_("%(court)s受理司法确认申请%(number)s，应于 %(due)s 前裁定")
        % {
            "court": confirmation.court,
            "number": f"（{court_case_number}）" if court_case_number else "",
            "due": _fmt(confirmation.ruling_deadline.due_at),
        },
        data={"confirmation": confirmation.pk},
    )
    return confirmation


@transaction.atomic
def confirmation_not_accept(
    *, actor: User | None, confirmation: JudicialConfirmation, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    if not reason.strip():
        raise InvalidInput(_("请填写法院不予受理的理由"), field="reason")
    at = now_or(at)
    move(confirmation, CONFIRMATION_TRANSITIONS, ConfirmationStatus.NOT_ACCEPTED, ConfirmationStatus, note=reason)
    if confirmation.acceptance_deadline_id:
        deadline_complete(deadline=confirmation.acceptance_deadline, at=at)
    event_record(
        case=file.case,
        kind="confirmation_not_accepted",
        actor=actor,
        at=at,
        message=_("法院不予受理司法确认申请：%(reason)s") % {"reason": reason},
        data={"confirmation": confirmation.pk},
    )
    return confirmation


@transaction.atomic
def confirmation_ruling_extend(
    *, actor: User | None, confirmation: JudicialConfirmation, days: int, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    """The court president approved more time to rule: once, at most 10 days."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    deadline = confirmation.ruling_deadline
    if confirmation.status != ConfirmationStatus.ACCEPTED or deadline is None:
        raise TransitionNotAllowed(_("法院受理后、裁定前才能延长裁定期限"))
    cap = deadlines.EXTENSION_CAPS[deadlines.CONFIRMATION_RULING]
    if deadline.extensions >= 1:
        raise TransitionNotAllowed(_("司法确认裁定期限只能延长一次"))
    if days < 1 or days > cap:
        raise InvalidInput(_("延长天数须在1至%(cap)s之间") % {"cap": cap}, field="days")
    deadline_extend(
        deadline=deadline,
        amount=days,
        reason=_("经院长批准延长%(days)s日：%(reason)s") % {"days": days, "reason": reason},
        approver=None,
        actor=actor,
        at=now_or(at),
    )
    return confirmation


@transaction.atomic
def confirmation_rule(
    *,
    actor: User | None,
    confirmation: JudicialConfirmation,
    confirmed: bool,
    note: str = "",
    at: datetime | None = None,
) -> JudicialConfirmation:
    """The court's ruling: the agreement is confirmed (enforceable), or the application refused
    (the parties may then change the agreement through mediation, or sue)."""
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    at = now_or(at)
    status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.REFUSED
    move(confirmation, CONFIRMATION_TRANSITIONS, status, ConfirmationStatus, ruled_at=at, note=note)
    if confirmation.ruling_deadline_id:
        deadline_complete(deadline=confirmation.ruling_deadline, at=at)
    if confirmed:
        message = _("法院裁定调解协议有效，一方拒绝履行的，对方可以申请强制执行。%(note)s")
    else:
        message = _("法院裁定驳回申请：当事人可以通过调解变更原协议或达成新协议，也可以向人民法院提起诉讼。%(note)s")
    event_record(
        case=file.case,
        kind="confirmation_ruled",
        actor=actor,
        at=at,
        message=message % {"note": note},
        data={"confirmation": confirmation.pk},
    )
    return confirmation


@transaction.atomic
def confirmation_withdraw(
    *, actor: User | None, confirmation: JudicialConfirmation, reason: str, at: datetime | None = None
) -> JudicialConfirmation:
    confirmation = _lock_confirmation(confirmation)
    file = confirmation.agreement.file
    permissions.require_mediate_or_staff(actor, file)
    if not reason.strip():
        raise InvalidInput(_("请填写撤回原因"), field="reason")
    at = now_or(at)
    move(confirmation, CONFIRMATION_TRANSITIONS, ConfirmationStatus.WITHDRAWN, ConfirmationStatus, note=reason)
    for deadline in (confirmation.acceptance_deadline, confirmation.ruling_deadline):
        if deadline is not None:
            deadline_cancel(deadline=deadline, at=at)
    event_record(
        case=file.case,
        kind="confirmation_withdrawn",
        actor=actor,
        at=at,
        message=_("当事人撤回司法确认申请：%(reason)s") % {"reason": reason},
        data={"confirmation": confirmation.pk},
    )
    return confirmation
