"""Public legal services: consultation, legal aid, notarisation and labour arbitration, each a
case on the ledger with its own procedure, outcomes and time limits fixed by law."""

import pytest

from governance.exceptions import Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import CaseEvent, CaseStatus, DeadlineState, Outcome, ServiceLine
from mediation import deadlines
from mediation.legal import services as svc
from mediation.legal.models import (
    LEGAL_TRANSITIONS,
    OUTCOMES_BY_KIND,
    LegalKind,
    LegalOutcome,
    LegalService,
    LegalStatus,
)
from tests.factories import category
from tests.mediation.conftest import local, parties


@pytest.fixture
def legal(world):
    def make(kind: str, at=None) -> LegalService:
        return svc.legal_service_register(
            actor=world.window,
            center=world.county,
            kind=kind,
            category=category("labour"),
            request="被拖欠工资三个月共计1.2万元",
            parties=parties()[:1],
            at=at,
        )

    return make


FIRST_OUTCOME = {kind: sorted(outcomes)[0] for kind, outcomes in OUTCOMES_BY_KIND.items()}


def _act(world, service, target):
    if target == LegalStatus.ACCEPTED:
        return svc.legal_service_accept(actor=world.window, service=service, agency="法律援助中心", assignee="李律师")
    if target == LegalStatus.REFUSED:
        return svc.legal_service_refuse(actor=world.window, service=service, reason="经济状况不符合援助条件")
    if target == LegalStatus.CONCLUDED:
        return svc.legal_service_conclude(
            actor=world.window, service=service, outcome=FIRST_OUTCOME[service.kind], result_note="已答复"
        )
    if target == LegalStatus.WITHDRAWN:
        return svc.legal_service_withdraw(actor=world.window, service=service, reason="申请人撤回")
    raise AssertionError(target)


def _to(world, legal, kind, status):
    service = legal(kind)
    path = {
        LegalStatus.APPLIED: [],
        LegalStatus.ACCEPTED: [LegalStatus.ACCEPTED],
        LegalStatus.CONCLUDED: [LegalStatus.CONCLUDED]
        if kind == LegalKind.CONSULTATION
        else [LegalStatus.ACCEPTED, LegalStatus.CONCLUDED],
        LegalStatus.REFUSED: [LegalStatus.REFUSED],
        LegalStatus.WITHDRAWN: [LegalStatus.WITHDRAWN],
    }[status]
    for step in path:
        _act(world, LegalService.objects.get(pk=service.pk), step)
    return LegalService.objects.get(pk=service.pk)


LEGAL_CASES = [
    (kind, start, target)
    for kind, table in LEGAL_TRANSITIONS.items()
    for start in table
    for target in LegalStatus.values
    if target != LegalStatus.APPLIED
]


@pytest.mark.parametrize(("kind", "start", "target"), LEGAL_CASES, ids=[f"{k}:{s}->{t}" for k, s, t in LEGAL_CASES])
def test_every_legal_service_transition(world, legal, kind, start, target):
    service = _to(world, legal, kind, start)
    assert service.status == start
    if target in LEGAL_TRANSITIONS[kind][start]:
        _act(world, service, target)
        assert LegalService.objects.get(pk=service.pk).status == target
    else:
        events = CaseEvent.objects.filter(case=service.case).count()
        with pytest.raises(TransitionNotAllowed):
            _act(world, service, target)
        after = LegalService.objects.get(pk=service.pk)
        assert (after.status, after.outcome) == (service.status, service.outcome)
        assert CaseEvent.objects.filter(case=service.case).count() == events


def test_each_kind_has_its_own_outcomes(world, legal):
    notarisation = legal(LegalKind.NOTARISATION)
    svc.legal_service_accept(actor=world.window, service=notarisation, agency="示范县公证处")
    with pytest.raises(InvalidInput):
        svc.legal_service_conclude(actor=world.window, service=notarisation, outcome=LegalOutcome.AWARD)
    svc.legal_service_conclude(
        actor=world.window,
        service=notarisation,
        outcome=LegalOutcome.CERTIFICATE_ISSUED,
        reference="（2026）示证字第15号",
    )
    notarisation.refresh_from_db()
    assert (notarisation.status, notarisation.outcome, notarisation.case.outcome) == (
        LegalStatus.CONCLUDED,
        LegalOutcome.CERTIFICATE_ISSUED,
        Outcome.RESOLVED,
    )
    consultation = legal(LegalKind.CONSULTATION)
    with pytest.raises(InvalidInput, match="答复"):
        svc.legal_service_conclude(actor=world.window, service=consultation, outcome=LegalOutcome.ANSWERED)
    svc.legal_service_conclude(
        actor=world.window,
        service=consultation,
        outcome=LegalOutcome.REFERRED_ARBITRATION,
        result_note="告知可向劳动人事争议仲裁委员会申请仲裁",
    )
    consultation.refresh_from_db()
    assert consultation.case.status == CaseStatus.CLOSED
    assert consultation.case.service_line == ServiceLine.LEGAL_SERVICES


def test_legal_aid_is_decided_within_7_days(world, legal):
    """[law] 法律援助法第四十三条: 7 days from receiving the application."""
    service = legal(LegalKind.LEGAL_AID, at=local(2026, 3, 2, 10))
    deadline = service.decision_deadline
    assert (deadline.kind, deadline.amount, deadline.due_at) == (deadlines.LEGAL_AID_REVIEW, 7, local(2026, 3, 10, 0))
    svc.legal_service_refuse(
        actor=world.window, service=service, reason="不符合经济困难标准", at=local(2026, 3, 12, 10)
    )
    deadline.refresh_from_db()
    service.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert (service.case.status, service.case.outcome) == (CaseStatus.CLOSED, Outcome.UNRESOLVED)


def test_notarisation_15_working_days_with_time_for_documents_not_counted(world, legal):
    """[reg] 公证程序规则第三十五条. Accepted 2026-09-28: National Day skipped, the adjusted Saturday
    10-10 counts → the 15th working day is Friday 2026-10-23. Three days waiting for documents
    (10-12 to 10-15) are not counted."""
    service = legal(LegalKind.NOTARISATION, at=local(2026, 9, 25, 10))
    assert service.decision_deadline is None
    svc.legal_service_accept(actor=world.window, service=service, agency="示范县公证处", at=local(2026, 9, 28, 9))
    service.refresh_from_db()
    deadline = service.handling_deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.NOTARISATION, "working_days", 15)
    assert deadline.due_at == local(2026, 10, 24, 0)
    svc.legal_service_pause(actor=world.window, service=service, reason="申请人补充房产证明", at=local(2026, 10, 12, 9))
    deadline.refresh_from_db()
    # working days left after 10-12: 10-13 … 10-23 = 9
    assert (deadline.due_at, deadline.remaining_days) == (None, 9)
    with pytest.raises(TransitionNotAllowed, match="恢复计时"):
        svc.legal_service_conclude(actor=world.window, service=service, outcome=LegalOutcome.CERTIFICATE_ISSUED)
    svc.legal_service_resume(actor=world.window, service=service, at=local(2026, 10, 15, 9))
    deadline.refresh_from_db()
    # 9 working days after 10-15: 10-16, 19, 20, 21, 22, 23, 26, 27, 28 → ends 24:00 of 10-28
    assert deadline.due_at == local(2026, 10, 29, 0)


def test_labour_arbitration_accepted_in_5_days_and_awarded_in_45_plus_15(world, legal):
    """[law] 劳动争议调解仲裁法第二十九条 (5 days) and 第四十三条 (45 days, once +15 with approval)."""
    service = legal(LegalKind.LABOUR_ARBITRATION, at=local(2026, 3, 2, 10))
    # 03-02 + 5 = 03-07, a Saturday → Monday 03-09
    assert service.decision_deadline.due_at == local(2026, 3, 10, 0)
    svc.legal_service_accept(
        actor=world.window,
        service=service,
        agency="示范县劳动人事争议仲裁委员会",
        reference="示劳人仲案字〔2026〕12号",
        at=local(2026, 3, 4, 10),
    )
    service.refresh_from_db()
    award = service.handling_deadline
    # 03-04 + 45 = 04-18, a Saturday → Monday 04-20
    assert (award.amount, award.due_at) == (45, local(2026, 4, 21, 0))
    with pytest.raises(InvalidInput, match="1至15"):
        svc.legal_service_extend(actor=world.window, service=service, days=16, reason="案情复杂")
    svc.legal_service_extend(actor=world.window, service=service, days=15, reason="需要鉴定工伤等级")
    award.refresh_from_db()
    assert award.extensions == 1
    with pytest.raises(TransitionNotAllowed, match="只能延长一次"):
        svc.legal_service_extend(actor=world.window, service=service, days=1, reason="再延")


def test_legal_services_are_the_halls_work(med, legal, world):
    service = legal(LegalKind.CONSULTATION)
    for outsider in (med.mediator, world.liaison, world.leader):
        with pytest.raises(Forbidden):
            svc.legal_service_conclude(actor=outsider, service=service, outcome=LegalOutcome.ANSWERED, result_note="x")
    assert LegalService.objects.get(pk=service.pk).status == LegalStatus.APPLIED


def test_opening_on_an_existing_case_of_the_legal_line_only(world, mediation_case):
    mediation = mediation_case()
    with pytest.raises(InvalidInput):
        svc.legal_service_open(actor=world.window, case=mediation, kind=LegalKind.CONSULTATION, request="咨询")
    legal_case = mediation_case(service_line="legal_services")
    service = svc.legal_service_open(
        actor=world.window, case=legal_case, kind=LegalKind.CONSULTATION, request="咨询继承"
    )
    assert service.case == legal_case
