"""The agreement and what follows it: term-by-term performance, follow-up checks, and judicial
confirmation (application within 30 days of taking effect, acceptance, ruling)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import InvalidInput
from governance.models import CaseParty, Deadline, TimeUnit, User
from governance.services.deadlines import deadline_complete, deadline_open
from governance.services.timeline import event_record
from mediation import deadlines, permissions
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    Performance,
    Side,
    TermStatus,
)
from mediation.models import (
    TERM_TRANSITIONS,
    Agreement,
    AgreementParty,
    MediationFile,
    PerformanceCheck,
    Term,
)
from mediation.services import stats
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
        agreement.window_deadline = open_window(agreement, case)
        agreement.save(update_fields=["window_deadline"])
    return agreement


def open_window(agreement: Agreement, case) -> Deadline:
    return deadline_open(
        kind=deadlines.CONFIRMATION_WINDOW,
        subject_id=agreement.pk,
        center=case.center,
        start=agreement.effective_at,
        case=case,
        **deadlines.law_timer(deadlines.CONFIRMATION_WINDOW),
    )


def lock_agreement(agreement: Agreement) -> Agreement:
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
    agreement = lock_agreement(term.agreement)
    permissions.require_mediate_or_staff(actor, agreement.file)
    term = Term.objects.select_for_update(of=("self",)).select_related("deadline").get(pk=term.pk)
    if status not in TermStatus.values:
        raise InvalidInput(_("无效的履行情况"), field="status")
    at = now_or(at)
    before = stats.agreement_state(agreement)
    _term_move(term=term, status=status, note=note, actor=actor, at=at, case=agreement.file.case)
    _performance_refresh(agreement, at)
    stats.agreement_counted(agreement, before)
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
    agreement = lock_agreement(agreement)
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
    before = stats.agreement_state(agreement)
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
    stats.agreement_counted(agreement, before)
    return check
