"""The agreement [law: 人民调解法第二十八至三十一条], term-by-term performance with its state
machine and follow-up checks, and judicial confirmation (30-day window, acceptance, ruling)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from governance.exceptions import Conflict, InvalidInput, TransitionNotAllowed
from governance.models import CaseEvent, Deadline, DeadlineState
from governance.selectors.dashboard import open_overdue_count
from governance.services.deadlines import deadlines_sweep
from mediation import deadlines
from mediation.choices import (
    AgreementForm,
    CheckMethod,
    ConfirmationStatus,
    FileStatus,
    Performance,
    TermStatus,
)
from mediation.models import CONFIRMATION_TRANSITIONS, TERM_TRANSITIONS, Agreement, JudicialConfirmation, Term
from mediation.services import agreements as svc
from mediation.services import confirmations
from mediation.services import files as file_svc
from mediation.services.agreements import TermInput
from tests.mediation.conftest import agreement_input, local


@pytest.fixture
def agreed(med, open_file):
    """agreed(at=…, **agreement fields) → the agreement of a file mediated by `med.mediator`."""

    def make(at=None, **extra) -> Agreement:
        file = open_file(at=at)
        file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file, **extra), at=at)
        return Agreement.objects.get(file=file)

    return make


def _refused_unchanged(med, file, data, match):
    with pytest.raises(InvalidInput, match=match):
        file_svc.file_agree(actor=med.mediator, file=file, agreement=data)
    file.refresh_from_db()
    assert file.status == FileStatus.MEDIATING
    assert not Agreement.objects.filter(file=file).exists()
    assert not Term.objects.exists()


def test_a_written_agreement_needs_every_signature_and_the_seal(med, open_file):
    file = open_file()
    data = agreement_input(file)
    unsigned = replace(data, parties=[replace(data.parties[0], signed=False), data.parties[1]])
    _refused_unchanged(med, file, unsigned, "签名")
    _refused_unchanged(med, file, replace(data, sealed=False), "印章")


def test_an_agreement_names_both_sides_facts_and_terms(med, open_file):
    file = open_file()
    data = agreement_input(file)
    _refused_unchanged(med, file, replace(data, parties=[data.parties[0]]), "双方当事人")
    _refused_unchanged(med, file, replace(data, facts=" "), "事实")
    _refused_unchanged(med, file, replace(data, terms=[]), "至少有一条")
    late = replace(data.terms[0], due_on=date(2020, 1, 1))
    _refused_unchanged(med, file, replace(data, terms=[late]), "履行期限")
    stranger = replace(data.parties[0], case_party=999999)
    _refused_unchanged(med, file, replace(data, parties=[stranger, data.parties[1]]), "本案当事人")


def test_an_oral_agreement_is_recorded_without_signatures(agreed):
    agreement = agreed(form=AgreementForm.ORAL)
    assert (agreement.form, agreement.sealed) == (AgreementForm.ORAL, False)
    assert agreement.file.status == FileStatus.AGREED
    assert agreement.effective_at == agreement.signed_at


def test_the_agreement_records_parties_responsibilities_terms_mediator_and_date(med, agreed):
    agreement = agreed(at=local(2026, 3, 2, 10))
    assert [(p.side, p.responsibility, p.signed) for p in agreement.parties.all()] == [
        ("applicant", "配合拆除部分", True),
        ("respondent", "承担拆除费用", True),
    ]
    term = agreement.terms.get()
    assert (term.order, term.method, term.due_on, term.obligor.side) == (1, "银行转账", date(2026, 3, 22), "respondent")
    assert agreement.mediator == med.profile(med.mediator)
    assert agreement.signed_at == local(2026, 3, 2, 10)
    assert agreement.copies == 3  # each party and the committee


def test_each_term_has_its_own_timer_to_its_date(agreed):
    """Due 2026-10-03 (a National Day holiday): the term's period ends with the next working day."""
    agreement = agreed(
        at=local(2026, 9, 16, 10),
        terms=[TermInput(content="支付赔偿款5000元", method="现金", due_on=date(2026, 10, 3))],
    )
    deadline = agreement.terms.get().deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.TERM, "calendar_days", 17)
    assert deadline.due_at == local(2026, 10, 9, 0)


TERM_CASES = [(start, target) for start in TermStatus.values for target in TermStatus.values]


@pytest.mark.parametrize(("start", "target"), TERM_CASES, ids=[f"{s}->{t}" for s, t in TERM_CASES])
def test_every_term_transition(med, agreed, start, target):
    term = agreed().terms.get()
    if start != TermStatus.PENDING:
        path = {
            TermStatus.PARTLY: [TermStatus.PARTLY],
            TermStatus.DEFAULTED: [TermStatus.DEFAULTED],
            TermStatus.PERFORMED: [TermStatus.PERFORMED],
        }[start]
        for step in path:
            svc.term_record(actor=med.mediator, term=term, status=step)
    term.refresh_from_db()
    assert term.status == start
    if target in TERM_TRANSITIONS[start]:
        svc.term_record(actor=med.mediator, term=term, status=target, note="核实")
        term.refresh_from_db()
        assert term.status == target
    else:
        events = CaseEvent.objects.count()
        with pytest.raises(TransitionNotAllowed):
            svc.term_record(actor=med.mediator, term=term, status=target)
        term.refresh_from_db()
        assert term.status == start
        assert CaseEvent.objects.count() == events


def test_performance_is_followed_term_by_term(world, med, agreed):
    first, second = (
        TermInput(content="返还借款2万元", method="银行转账", due_on=date(2026, 4, 1)),
        TermInput(content="赔礼道歉", method="当面", due_on=date(2026, 3, 10)),
    )
    agreement = agreed(at=local(2026, 3, 2, 10), terms=[first, second])
    t1, t2 = agreement.terms.all()
    assert agreement.performance == Performance.PERFORMING

    svc.term_record(actor=med.mediator, term=t2, status=TermStatus.PERFORMED, at=local(2026, 3, 5, 10))
    agreement.refresh_from_db()
    assert agreement.performance == Performance.PERFORMING
    svc.term_record(actor=med.mediator, term=t1, status=TermStatus.DEFAULTED, at=local(2026, 4, 3, 10))
    agreement.refresh_from_db()
    assert agreement.performance == Performance.PARTLY_PERFORMED

    # the follow-up visit finds the money paid late: everything performed
    check = svc.agreement_check(
        actor=world.window,
        agreement=agreement,
        method=CheckMethod.VISIT,
        finding="上门回访，借款已还清",
        terms={t1.pk: TermStatus.PERFORMED},
        at=local(2026, 4, 10, 10),
    )
    agreement.refresh_from_db()
    assert (check.performance, agreement.performance) == (Performance.FULLY_PERFORMED, Performance.FULLY_PERFORMED)
    assert agreement.fully_performed_at == local(2026, 4, 10, 10)
    states = dict(Deadline.objects.filter(kind=deadlines.TERM).values_list("subject_id", "state"))
    assert states == {t2.pk: DeadlineState.MET, t1.pk: DeadlineState.BREACHED}


def test_a_check_refuses_terms_of_another_agreement(world, agreed):
    one, other = agreed(), agreed()
    with pytest.raises(InvalidInput):
        svc.agreement_check(
            actor=world.window,
            agreement=one,
            method=CheckMethod.PHONE,
            finding="电话回访",
            terms={other.terms.get().pk: TermStatus.PERFORMED},
        )
    assert not one.checks.exists()
    assert other.terms.get().status == TermStatus.PENDING


def test_outsiders_do_not_record_performance(med, agreed):
    from governance.exceptions import Forbidden

    term = agreed().terms.get()
    with pytest.raises(Forbidden):
        svc.term_record(actor=med.mediator_b, term=term, status=TermStatus.PERFORMED)
    term.refresh_from_db()
    assert term.status == TermStatus.PENDING


# --- judicial confirmation ---------------------------------------------------------------------------


def test_the_window_runs_30_days_from_the_agreement_taking_effect(agreed):
    agreement = agreed(at=local(2026, 3, 2, 10), confirmation_wanted=True)
    window = agreement.window_deadline
    assert (window.kind, window.amount, window.started_at) == (deadlines.CONFIRMATION_WINDOW, 30, local(2026, 3, 2, 10))
    assert window.due_at == local(2026, 4, 2, 0)


def test_applying_jointly_within_the_window(med, agreed):
    agreement = agreed(at=local(2026, 3, 2, 10), confirmation_wanted=True)
    confirmation = confirmations.confirmation_apply(
        actor=med.mediator, agreement=agreement, court="示范县人民法院", joint=True, at=local(2026, 4, 1, 16)
    )
    assert confirmation.status == ConfirmationStatus.APPLIED
    agreement.window_deadline.refresh_from_db()
    assert agreement.window_deadline.state == DeadlineState.MET
    # the court decides on acceptance within 3 days: 04-04 falls in the Qingming holiday (04-04 to
    # 04-06), so the period ends with Tuesday 04-07
    assert confirmation.acceptance_deadline.due_at == local(2026, 4, 8, 0)
    assert confirmation.acceptance_deadline.amount == 3


def test_applying_after_30_days_is_refused_and_nothing_changes(med, agreed):
    """Without a stated intention the window is still the same 30 days from taking effect."""
    agreement = agreed(at=local(2026, 3, 2, 10))
    assert agreement.window_deadline is None
    with pytest.raises(TransitionNotAllowed, match="30日"):
        confirmations.confirmation_apply(
            actor=med.mediator, agreement=agreement, court="示范县人民法院", joint=True, at=local(2026, 4, 2, 0, 1)
        )
    agreement.refresh_from_db()
    assert agreement.window_deadline is None
    assert not JudicialConfirmation.objects.exists()
    assert not Deadline.objects.filter(kind=deadlines.CONFIRMATION_WINDOW).exists()


def test_confirmation_needs_a_joint_application_and_a_written_agreement(med, agreed):
    written = agreed()
    with pytest.raises(InvalidInput, match="共同申请"):
        confirmations.confirmation_apply(actor=med.mediator, agreement=written, court="示范县人民法院", joint=False)
    oral = agreed(form=AgreementForm.ORAL)
    with pytest.raises(InvalidInput, match="口头协议"):
        confirmations.confirmation_apply(actor=med.mediator, agreement=oral, court="示范县人民法院", joint=True)
    assert not JudicialConfirmation.objects.exists()
    confirmations.confirmation_apply(actor=med.mediator, agreement=written, court="示范县人民法院", joint=True)
    with pytest.raises(Conflict):
        confirmations.confirmation_apply(actor=med.mediator, agreement=written, court="示范县人民法院", joint=True)


def test_a_lapsed_window_is_marked_once_and_is_not_left_overdue(world, med, agreed):
    agreement = agreed(at=local(2026, 3, 2, 10), confirmation_wanted=True)
    deadlines_sweep(now=local(2026, 4, 2, 0, 1))
    window = Deadline.objects.get(pk=agreement.window_deadline_id)
    assert window.state == DeadlineState.BREACHED
    assert window.completed_at == local(2026, 4, 2, 0, 1)
    assert open_overdue_count(world.county, [deadlines.CONFIRMATION_WINDOW]) == 0
    lapsed = CaseEvent.objects.get(case=agreement.file.case, kind="escalated", message__contains="司法确认")
    assert "申请期限届满" in lapsed.message


CONFIRMATION_ACTIONS = {
    ConfirmationStatus.ACCEPTED: lambda u, c: confirmations.confirmation_accept(
        actor=u, confirmation=c, court_case_number="（2026）示民特1号"
    ),
    ConfirmationStatus.NOT_ACCEPTED: lambda u, c: confirmations.confirmation_not_accept(
        actor=u, confirmation=c, reason="不属于本院管辖"
    ),
    ConfirmationStatus.CONFIRMED: lambda u, c: confirmations.confirmation_rule(actor=u, confirmation=c, confirmed=True),
    ConfirmationStatus.REFUSED: lambda u, c: confirmations.confirmation_rule(
        actor=u, confirmation=c, confirmed=False, note="协议内容违反法律"
    ),
    ConfirmationStatus.WITHDRAWN: lambda u, c: confirmations.confirmation_withdraw(
        actor=u, confirmation=c, reason="双方已自动履行"
    ),
}
PATHS = {
    ConfirmationStatus.APPLIED: [],
    ConfirmationStatus.ACCEPTED: [ConfirmationStatus.ACCEPTED],
    ConfirmationStatus.NOT_ACCEPTED: [ConfirmationStatus.NOT_ACCEPTED],
    ConfirmationStatus.CONFIRMED: [ConfirmationStatus.ACCEPTED, ConfirmationStatus.CONFIRMED],
    ConfirmationStatus.REFUSED: [ConfirmationStatus.ACCEPTED, ConfirmationStatus.REFUSED],
    ConfirmationStatus.WITHDRAWN: [ConfirmationStatus.WITHDRAWN],
}
CONF_CASES = [(s, t) for s in ConfirmationStatus.values for t in CONFIRMATION_ACTIONS]


@pytest.mark.parametrize(("start", "target"), CONF_CASES, ids=[f"{s}->{t}" for s, t in CONF_CASES])
def test_every_confirmation_transition(med, agreed, start, target):
    agreement = agreed()
    confirmation = confirmations.confirmation_apply(
        actor=med.mediator, agreement=agreement, court="示范县人民法院", joint=True
    )
    for step in PATHS[start]:
        CONFIRMATION_ACTIONS[step](med.mediator, confirmation)
    confirmation.refresh_from_db()
    assert confirmation.status == start
    if target in CONFIRMATION_TRANSITIONS[start]:
        CONFIRMATION_ACTIONS[target](med.mediator, confirmation)
        confirmation.refresh_from_db()
        assert confirmation.status == target
    else:
        events = CaseEvent.objects.count()
        with pytest.raises(TransitionNotAllowed):
            CONFIRMATION_ACTIONS[target](med.mediator, confirmation)
        confirmation.refresh_from_db()
        assert confirmation.status == start
        assert CaseEvent.objects.count() == events


def test_the_court_rules_within_15_days_extendable_once_by_10(med, agreed):
    agreement = agreed(at=local(2026, 3, 2, 10))
    confirmation = confirmations.confirmation_apply(
        actor=med.mediator, agreement=agreement, court="示范县人民法院", joint=True, at=local(2026, 3, 3, 10)
    )
    confirmations.confirmation_accept(actor=med.mediator, confirmation=confirmation, at=local(2026, 3, 4, 10))
    confirmation.refresh_from_db()
    assert confirmation.acceptance_deadline.state == DeadlineState.MET
    ruling = confirmation.ruling_deadline
    assert (ruling.amount, ruling.due_at) == (15, local(2026, 3, 20, 0))
    with pytest.raises(InvalidInput, match="1至10"):
        confirmations.confirmation_ruling_extend(
            actor=med.mediator, confirmation=confirmation, days=11, reason="案情复杂"
        )
    confirmations.confirmation_ruling_extend(actor=med.mediator, confirmation=confirmation, days=10, reason="案情复杂")
    ruling.refresh_from_db()
    # 03-19 + 10 = 03-29, a Sunday → Monday 03-30
    assert (ruling.due_at, ruling.extensions) == (local(2026, 3, 31, 0), 1)
    with pytest.raises(TransitionNotAllowed, match="只能延长一次"):
        confirmations.confirmation_ruling_extend(actor=med.mediator, confirmation=confirmation, days=1, reason="再延")
    confirmations.confirmation_rule(
        actor=med.mediator, confirmation=confirmation, confirmed=True, at=local(2026, 3, 25, 10)
    )
    ruling.refresh_from_db()
    assert ruling.state == DeadlineState.MET
    assert timedelta(0) < ruling.due_at - local(2026, 3, 25, 10)
