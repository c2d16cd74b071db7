"""The mediation file's state machine: every allowed and every refused transition, and on every
refusal nothing changed (file, case, timeline, timers)."""

import pytest

from governance.exceptions import Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import CaseEvent, CaseStatus, Deadline, Outcome
from mediation.choices import ConsentForm, FailureRoute, FileStatus, Side
from mediation.models import FILE_TRANSITIONS, Consent, MediationFile
from mediation.services import files as svc
from tests.mediation.conftest import agreement_input


def _consents(world, file, *answers):
    for side, agreed in zip(Side.values, answers, strict=True):
        svc.file_consent(actor=world.window, file=file, side=side, agreed=agreed, form=ConsentForm.ORAL)


@pytest.fixture
def at_status(world, med, open_file):
    def make(status: str) -> MediationFile:
        if status == FileStatus.APPLIED:
            file = open_file(accepted=False)
            _consents(world, file, True, True)  # so that "accept" is refused only by the table
        elif status == FileStatus.REFUSED:
            file = open_file(accepted=False)
            svc.file_refuse(actor=med.mediator, file=file, reason="一方明确拒绝调解")
        elif status == FileStatus.WITHDRAWN:
            file = open_file(accepted=False)
            svc.file_withdraw(actor=med.mediator, file=file, reason="申请人撤回")
        else:
            file = open_file()
            if status == FileStatus.AGREED:
                svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
            elif status == FileStatus.FAILED:
                svc.file_fail(actor=med.mediator, file=file, reason="分歧过大", routes=[FailureRoute.LITIGATION])
        return MediationFile.objects.get(pk=file.pk)

    return make


ACTIONS = {
    FileStatus.MEDIATING: lambda med, f: svc.file_accept(actor=med.mediator, file=f),
    FileStatus.REFUSED: lambda med, f: svc.file_refuse(actor=med.mediator, file=f, reason="不属于人民调解范围"),
    FileStatus.WITHDRAWN: lambda med, f: svc.file_withdraw(actor=med.mediator, file=f, reason="自行和解"),
    FileStatus.AGREED: lambda med, f: svc.file_agree(actor=med.mediator, file=f, agreement=agreement_input(f)),
    FileStatus.FAILED: lambda med, f: svc.file_fail(
        actor=med.mediator, file=f, reason="分歧过大", routes=[FailureRoute.LITIGATION]
    ),
}
CASES = [(start, target) for start in FileStatus.values for target in ACTIONS]


def _snapshot(file):
    file = MediationFile.objects.get(pk=file.pk)
    return (
        file.status,
        file.case.status,
        file.case.outcome,
        CaseEvent.objects.filter(case=file.case).count(),
        list(Deadline.objects.filter(case=file.case).values_list("state", "due_at", "completed_at")),
    )


@pytest.mark.parametrize(("start", "target"), CASES, ids=[f"{s}->{t}" for s, t in CASES])
def test_every_file_transition(med, at_status, start, target):
    file = at_status(start)
    allowed = target in FILE_TRANSITIONS[start]
    if allowed:
        ACTIONS[target](med, file)
        assert MediationFile.objects.get(pk=file.pk).status == target
    else:
        before = _snapshot(file)
        with pytest.raises(TransitionNotAllowed):
            ACTIONS[target](med, file)
        assert _snapshot(file) == before


def test_the_table_is_complete_and_terminal_states_are_final():
    assert set(FILE_TRANSITIONS) == set(FileStatus.values)
    for final in (FileStatus.AGREED, FileStatus.FAILED, FileStatus.REFUSED, FileStatus.WITHDRAWN):
        assert FILE_TRANSITIONS[final] == frozenset()


def test_accepting_needs_both_parties_consent(world, med, open_file):
    """[law] 人民调解法第十七条: no consent, one consent, or a refusal — never accepted."""
    file = open_file(accepted=False)
    before = _snapshot(file)
    with pytest.raises(TransitionNotAllowed, match="须双方当事人同意调解"):
        svc.file_accept(actor=med.mediator, file=file)
    svc.file_consent(actor=world.window, file=file, side=Side.APPLICANT, agreed=True, form=ConsentForm.WRITTEN)
    with pytest.raises(TransitionNotAllowed):
        svc.file_accept(actor=med.mediator, file=file)
    svc.file_consent(actor=world.window, file=file, side=Side.RESPONDENT, agreed=False, form=ConsentForm.ORAL)
    with pytest.raises(TransitionNotAllowed):
        svc.file_accept(actor=med.mediator, file=file)
    file.refresh_from_db()
    assert file.status == FileStatus.APPLIED
    assert file.deadline_id is None
    assert before[0] == file.status


def test_a_side_consents_once_and_only_before_acceptance(world, med, open_file):
    file = open_file(accepted=False)
    svc.file_consent(actor=world.window, file=file, side=Side.APPLICANT, agreed=True, form=ConsentForm.WRITTEN)
    with pytest.raises(Exception, match="已记录"):
        svc.file_consent(actor=world.window, file=file, side=Side.APPLICANT, agreed=False, form=ConsentForm.ORAL)
    accepted = open_file()
    with pytest.raises(TransitionNotAllowed):
        svc.file_consent(actor=world.window, file=accepted, side=Side.APPLICANT, agreed=True, form=ConsentForm.ORAL)
    assert Consent.objects.filter(file=file).count() == 1


def test_outcomes_close_the_ledger_case(med, open_file):
    agreed = open_file()
    svc.file_agree(actor=med.mediator, file=agreed, agreement=agreement_input(agreed))
    failed = open_file()
    svc.file_fail(
        actor=med.mediator,
        file=failed,
        reason="双方分歧过大",
        routes=[FailureRoute.ADMINISTRATIVE, FailureRoute.LITIGATION],
    )
    applied = open_file(accepted=False)
    svc.file_withdraw(actor=med.mediator, file=applied, reason="双方自行和解")
    refused = open_file(accepted=False)
    svc.file_refuse(actor=med.mediator, file=refused, reason="一方拒绝调解")

    outcomes = {f.status: (f.case.status, f.case.outcome) for f in MediationFile.objects.select_related("case").all()}
    assert outcomes == {
        FileStatus.AGREED: (CaseStatus.CLOSED, Outcome.RESOLVED),
        FileStatus.FAILED: (CaseStatus.CLOSED, Outcome.UNRESOLVED),
        FileStatus.WITHDRAWN: (CaseStatus.CLOSED, Outcome.WITHDRAWN),
        # refused: the center routes the matter elsewhere, the case stays open
        FileStatus.REFUSED: (CaseStatus.REGISTERED, ""),
    }
    failed.refresh_from_db()
    assert failed.routes == [FailureRoute.ADMINISTRATIVE, FailureRoute.LITIGATION]
    assert failed.route_labels == ["申请行政机关处理", "向人民法院提起诉讼"]


def test_failure_must_name_the_routes_told_to_the_parties(med, open_file):
    """[law] 人民调解法第二十六条: a failed mediation tells the parties their other routes."""
    file = open_file()
    before = _snapshot(file)
    with pytest.raises(InvalidInput, match="其他途径"):
        svc.file_fail(actor=med.mediator, file=file, reason="分歧过大", routes=[])
    assert _snapshot(file) == before


def test_only_the_files_mediator_or_the_chief_mediates(world, med, open_file):
    file = open_file()
    before = _snapshot(file)
    for outsider in (med.mediator_b, med.labour_mediator, world.window, world.leader):
        with pytest.raises(Forbidden):
            svc.file_fail(actor=outsider, file=file, reason="x", routes=[FailureRoute.LITIGATION])
    assert _snapshot(file) == before
    svc.file_fail(actor=med.chief, file=file, reason="分歧过大", routes=[FailureRoute.LITIGATION])


def test_a_mediator_opens_files_only_for_themselves(world, med, mediation_case):
    case = mediation_case()
    other = med.profile(med.mediator_b)
    with pytest.raises(Forbidden):
        svc.file_open(actor=med.mediator, case=case, committee=med.joint, mediator=other)
    assert not MediationFile.objects.filter(case=case).exists()
    # the chief routes within the committee
    svc.file_open(actor=med.chief, case=case, committee=med.joint, mediator=other)


def test_a_file_opens_only_on_an_open_case_of_the_mediation_line(world, med, mediation_case):
    mediator = med.profile(med.mediator)
    petition_case = mediation_case(service_line="petition")
    with pytest.raises(InvalidInput):
        svc.file_open(actor=world.window, case=petition_case, committee=med.joint, mediator=mediator)
    other_committee = mediation_case()
    with pytest.raises(InvalidInput, match="在岗调解员"):
        svc.file_open(actor=world.window, case=other_committee, committee=med.labour, mediator=mediator)
    with pytest.raises(InvalidInput, match="所属的县"):
        svc.file_open(
            actor=world.window, case=other_committee, committee=med.other, mediator=med.profile(med.mediator_x)
        )
    svc.file_open(actor=world.window, case=other_committee, committee=med.joint, mediator=mediator)
    from governance.exceptions import Conflict

    with pytest.raises(Conflict):
        svc.file_open(actor=world.window, case=other_committee, committee=med.joint, mediator=mediator)
    assert MediationFile.objects.count() == 1


def test_reassigning_within_the_committee(world, med, open_file):
    file = open_file()
    with pytest.raises(Forbidden):
        svc.file_reassign(actor=med.mediator_b, file=file, mediator=med.profile(med.mediator_b), reason="接手")
    svc.file_reassign(actor=med.chief, file=file, mediator=med.profile(med.mediator_b), reason="原调解员请假")
    file.refresh_from_db()
    assert file.mediator == med.profile(med.mediator_b)
    with pytest.raises(InvalidInput):
        svc.file_reassign(actor=world.window, file=file, mediator=med.profile(med.labour_mediator), reason="x")


def test_sessions_are_recorded_while_mediating_only(med, open_file):
    from django.utils import timezone

    from mediation.choices import SessionKind

    applied = open_file(accepted=False)
    with pytest.raises(TransitionNotAllowed):
        svc.session_add(
            actor=med.mediator, file=applied, kind=SessionKind.SESSION, held_at=timezone.now(), record="第一次调解"
        )
    file = open_file()
    svc.session_add(
        actor=med.mediator,
        file=file,
        kind=SessionKind.INVESTIGATION,
        held_at=timezone.now(),
        record="现场查看两家房屋",
        place="东村",
    )
    svc.session_add(
        actor=med.mediator, file=file, kind=SessionKind.SESSION, held_at=timezone.now(), record="背对背调解"
    )
    assert list(file.sessions.values_list("kind", flat=True)) == [SessionKind.INVESTIGATION, SessionKind.SESSION]
    assert CaseEvent.objects.filter(case=file.case, kind="mediation_session").count() == 2
