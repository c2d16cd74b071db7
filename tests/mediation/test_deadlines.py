"""Each time limit of mediation and court docking on the shared engine: the default period (a
policy), labour's 15 days [law] with a holiday roll-over, medical's 30 working days [law] across
an adjusted workday, pre-litigation's 30 days from signing [law] with an extension only by both
parties' consent and a suspension during expert appraisal; what the sweep does at the limit."""

import pytest

from governance.exceptions import InvalidInput, TransitionNotAllowed
from governance.models import (
    CaseEvent,
    Deadline,
    DeadlineChange,
    DeadlineState,
    Notification,
    PolicySetting,
    SlaPolicy,
    TimeUnit,
)
from governance.services.deadlines import deadlines_sweep
from mediation import deadlines
from mediation.choices import FailureRoute
from mediation.models import MediationFile
from mediation.services import clock
from mediation.services import files as svc
from tests.mediation.conftest import agreement_input, local


def test_default_time_to_mediate_is_30_calendar_days_from_acceptance(open_file):
    file = open_file(at=local(2026, 9, 16, 10))
    deadline = file.deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.PERIOD, TimeUnit.CALENDAR_DAYS, 30)
    # 民法典 201: the start day is not counted; the period ends at 24:00 of 2026-10-16 (a Friday)
    assert deadline.due_at == local(2026, 10, 17, 0)


def test_the_default_period_is_a_policy_a_center_may_change(world, open_file):
    SlaPolicy.objects.create(
        kind=deadlines.PERIOD, center=world.county, unit=TimeUnit.CALENDAR_DAYS, amount=20, basis="本县调解工作规范"
    )
    file = open_file(at=local(2026, 3, 2, 10))
    assert (file.deadline.amount, file.deadline.basis) == (20, "本县调解工作规范")
    # 03-02 + 20 = 03-22, a Sunday → Monday 03-23, ends 24:00
    assert file.deadline.due_at == local(2026, 3, 24, 0)


def test_labour_mediation_15_days_run_from_the_application_and_roll_over_the_holiday(open_file):
    """[law] 劳动争议调解仲裁法第十四条: 15 days from receiving the application. 2026-09-16 + 15 =
    2026-10-01, National Day: the period ends on the next working day, 2026-10-08 (民法典 203)."""
    file = open_file(accepted=False, category_key="labour", at=local(2026, 9, 16, 10))
    deadline = file.deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.LABOUR, TimeUnit.CALENDAR_DAYS, 15)
    assert deadline.started_at == local(2026, 9, 16, 10)
    assert deadline.due_at == local(2026, 10, 9, 0)


def test_labour_limit_is_law_not_policy(world, open_file):
    SlaPolicy.objects.create(kind=deadlines.LABOUR, center=world.county, unit=TimeUnit.CALENDAR_DAYS, amount=60)
    file = open_file(accepted=False, category_key="labour", at=local(2026, 3, 2, 10))
    assert file.deadline.amount == 15


def test_labour_mediation_is_neither_extended_nor_suspended(world, med, open_file):
    file = open_file(category_key="labour", at=local(2026, 3, 2, 10))
    with pytest.raises(TransitionNotAllowed, match="仲裁"):
        clock.file_extend(
            actor=med.mediator, file=file, days=10, applicant_consents=True, respondent_consents=True, reason="双方同意"
        )
    with pytest.raises(TransitionNotAllowed):
        clock.file_appraisal_start(actor=med.mediator, file=file, reason="工伤等级鉴定")
    file.deadline.refresh_from_db()
    assert (file.deadline.due_at, file.deadline.extensions, file.deadline.suspended_at) == (
        local(2026, 3, 18, 0),
        0,
        None,
    )
    assert not DeadlineChange.objects.exists()


def test_medical_mediation_30_working_days_count_the_adjusted_saturday(open_file):
    """[law] 30 working days from acceptance on 2026-09-28: the National Day week is skipped and the
    adjusted Saturday workday 2026-10-10 counts, so the 30th working day is Friday 2026-11-13
    (weekends-off alone would give Monday 2026-11-16)."""
    file = open_file(category_key="medical", at=local(2026, 9, 28, 9))
    deadline = file.deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.MEDICAL, TimeUnit.WORKING_DAYS, 30)
    assert deadline.due_at == local(2026, 11, 14, 0)


def _referral_file(world, med, signed_at):
    from mediation.services import referrals
    from tests.factories import category
    from tests.mediation.conftest import parties

    referral = referrals.referral_register(
        actor=world.window,
        center=world.county,
        kind="pre_litigation",
        court="示范县人民法院",
        court_ref=f"（2026）示民诉前调{signed_at.day:02d}{signed_at.month:02d}号",
        category=category("contract"),
        summary="买卖合同货款纠纷",
        parties=parties(),
        committee=med.studio,
        parties_consented=True,
        at=signed_at,
    )
    return referrals.referral_sign(actor=med.studio_mediator, referral=referral, at=signed_at)


def test_pre_litigation_30_days_from_the_mediators_signing_roll_over_national_day(world, med):
    file = _referral_file(world, med, local(2026, 9, 1, 9))
    deadline = file.deadline
    assert (deadline.kind, deadline.unit, deadline.amount) == (deadlines.PRE_LITIGATION, TimeUnit.CALENDAR_DAYS, 30)
    assert deadline.started_at == local(2026, 9, 1, 9)
    # 2026-10-01 is a holiday → the last day is 2026-10-08
    assert deadline.due_at == local(2026, 10, 9, 0)


def test_pre_litigation_extension_only_with_both_parties_consent(world, med):
    file = _referral_file(world, med, local(2026, 9, 1, 9))
    mediator = med.studio_mediator
    for applicant, respondent in ((False, False), (True, False), (False, True)):
        with pytest.raises(InvalidInput, match="双方当事人同意"):
            clock.file_extend(
                actor=mediator,
                file=file,
                days=10,
                applicant_consents=applicant,
                respondent_consents=respondent,
                reason="等待对账",
            )
    file.deadline.refresh_from_db()
    assert (file.deadline.due_at, file.deadline.extensions) == (local(2026, 10, 9, 0), 0)

    clock.file_extend(
        actor=mediator,
        file=file,
        days=10,
        applicant_consents=True,
        respondent_consents=True,
        reason="双方需补充对账材料",
        at=local(2026, 10, 8, 10),
    )
    file.deadline.refresh_from_db()
    # counted on from the old last day (10-08): 10-18 is a Sunday → Monday 10-19, ends 24:00
    assert (file.deadline.due_at, file.deadline.extensions) == (local(2026, 10, 20, 0), 1)
    change = DeadlineChange.objects.get(deadline=file.deadline)
    assert change.approver == mediator
    assert "经双方当事人同意延长10自然日" in change.reason
    assert CaseEvent.objects.filter(case=file.case, kind="deadline_extended").count() == 1


def test_extension_is_capped_by_the_policy(world, med, open_file):
    file = open_file(at=local(2026, 3, 2, 10))
    with pytest.raises(InvalidInput, match="1至30"):
        clock.file_extend(
            actor=med.mediator, file=file, days=31, applicant_consents=True, respondent_consents=True, reason="x"
        )
    PolicySetting.objects.create(center=world.county, key="mediation.extension_max_days", value=45)
    clock.file_extend(
        actor=med.mediator, file=file, days=31, applicant_consents=True, respondent_consents=True, reason="复杂"
    )


def test_expert_appraisal_suspends_the_pre_litigation_clock(world, med):
    """Signed 2026-03-02 → due at the end of 2026-04-01. Appraisal from 03-12 (20 days left) to
    04-20: the 20 days run again from 04-20 → 2026-05-10, a Sunday → Monday 2026-05-11."""
    file = _referral_file(world, med, local(2026, 3, 2, 9))
    assert file.deadline.due_at == local(2026, 4, 2, 0)
    mediator = med.studio_mediator
    clock.file_appraisal_start(actor=mediator, file=file, reason="委托司法鉴定所鉴定货物质量", at=local(2026, 3, 12, 9))
    file.deadline.refresh_from_db()
    assert (file.deadline.due_at, file.deadline.remaining_days) == (None, 20)
    assert file.deadline.suspended_at == local(2026, 3, 12, 9)

    # while the appraisal runs: no agreement, no extension, and the sweep never breaches it
    with pytest.raises(TransitionNotAllowed, match="鉴定"):
        svc.file_agree(actor=mediator, file=file, agreement=agreement_input(file))
    with pytest.raises(TransitionNotAllowed):
        clock.file_extend(
            actor=mediator, file=file, days=5, applicant_consents=True, respondent_consents=True, reason="x"
        )
    deadlines_sweep(now=local(2026, 4, 15, 0))
    file.deadline.refresh_from_db()
    assert file.deadline.state == DeadlineState.OPEN

    clock.file_appraisal_end(actor=mediator, file=file, note="鉴定意见书已送达", at=local(2026, 4, 20, 9))
    file.deadline.refresh_from_db()
    assert file.deadline.due_at == local(2026, 5, 12, 0)
    assert list(DeadlineChange.objects.filter(deadline=file.deadline).values_list("action", flat=True)) == [
        "suspend",
        "resume",
    ]
    with pytest.raises(TransitionNotAllowed):
        clock.file_appraisal_end(actor=mediator, file=file)


def test_medical_mediation_is_suspended_during_appraisal_too(med, open_file):
    file = open_file(category_key="medical", at=local(2026, 3, 2, 9))
    clock.file_appraisal_start(actor=med.mediator, file=file, reason="医疗损害鉴定", at=local(2026, 3, 5, 9))
    file.deadline.refresh_from_db()
    assert file.deadline.due_at is None


def test_ending_mediation_in_time_meets_the_limit_and_late_breaches_it(med, open_file):
    on_time = open_file(at=local(2026, 3, 2, 9))
    svc.file_fail(
        actor=med.mediator, file=on_time, reason="分歧过大", routes=[FailureRoute.LITIGATION], at=local(2026, 3, 20, 9)
    )
    late = open_file(at=local(2026, 3, 2, 9))
    svc.file_agree(
        actor=med.mediator,
        file=late,
        agreement=agreement_input(late, due=local(2026, 5, 1).date()),
        at=local(2026, 4, 10, 9),
    )
    states = dict(MediationFile.objects.values_list("pk", "deadline__state"))
    assert states == {on_time.pk: DeadlineState.MET, late.pk: DeadlineState.BREACHED}


def test_the_sweep_tells_the_mediator_that_labour_parties_may_go_to_arbitration(med, open_file):
    file = open_file(category_key="labour", at=local(2026, 3, 2, 10))
    report = deadlines_sweep(now=local(2026, 3, 18, 0, 1))
    assert report.breached == [file.deadline_id]
    event = CaseEvent.objects.get(case=file.case, kind="escalated")
    assert "当事人可以依法申请劳动仲裁" in event.message
    note = Notification.objects.get(recipient=med.mediator)
    assert note.case_id == file.case_id
    assert "劳动仲裁" in note.title
    # a second sweep does nothing more
    deadlines_sweep(now=local(2026, 3, 19, 0))
    assert CaseEvent.objects.filter(case=file.case, kind="escalated").count() == 1


def test_the_sweep_warns_before_the_limit(med, open_file):
    file = open_file(at=local(2026, 3, 2, 10))
    warn_at = Deadline.objects.get(pk=file.deadline_id).warn_at
    report = deadlines_sweep(now=warn_at)
    assert report.warned == [file.deadline_id]
    assert "临期提醒" in CaseEvent.objects.get(case=file.case, kind="warned").message
    assert Notification.objects.filter(recipient=med.mediator, kind="warned").count() == 1
