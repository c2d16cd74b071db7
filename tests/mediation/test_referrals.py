"""Court docking: a referral arrives as a ledger case; the studio's mediator signs for it (the 30
days start); success records the agreement with the court, failure sends it back to be filed.
Every allowed and every refused transition of both kinds of referral."""

import pytest

from governance.exceptions import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseEvent, CaseStatus, Channel, Outcome, ServiceLine
from mediation.choices import FailureRoute, FileStatus, MediationKind, ReferralKind, ReferralResult, ReferralStatus
from mediation.models import REFERRAL_TRANSITIONS, Consent, CourtReferral, MediationFile
from mediation.services import files as file_svc
from mediation.services import referrals as svc
from tests.factories import category
from tests.mediation.conftest import agreement_input, local, parties


@pytest.fixture
def refer(world, med):
    counter = iter(range(1, 10_000))

    def make(kind=ReferralKind.PRE_LITIGATION, at=None, **extra) -> CourtReferral:
        values = {
            "actor": world.window,
            "center": world.county,
            "kind": kind,
            "court": "示范县人民法院",
            "court_ref": f"（2026）示0102民诉前调{next(counter)}号",
            "category": category("contract"),
            "summary": "买卖合同货款纠纷，原告诉请支付货款8万元",
            "parties": parties(),
            "committee": med.studio if kind == ReferralKind.PRE_LITIGATION else None,
            "parties_consented": kind == ReferralKind.PRE_LITIGATION,
            "at": at,
        }
        values.update(extra)
        return svc.referral_register(**values)

    return make


def test_a_referral_is_a_case_on_the_one_ledger(refer):
    referral = refer(court_ref="（2026）示0102民诉前调7号")
    case = referral.case
    assert (case.channel, case.service_line, case.external_ref) == (
        Channel.COURT_REFERRAL,
        ServiceLine.COURT_DOCKING,
        "（2026）示0102民诉前调7号",
    )
    assert case.number.startswith("SF-")
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        "registered",
        "referral_registered",
    ]
    with pytest.raises(Conflict):  # one court number, one case
        refer(court_ref="（2026）示0102民诉前调7号")


def test_pre_litigation_needs_the_parties_consent_and_a_committee(refer):
    with pytest.raises(InvalidInput, match="经当事人同意"):
        refer(parties_consented=False)
    with pytest.raises(InvalidInput, match="调解组织"):
        refer(committee=None)
    assert not Case.objects.exists()


def test_signing_opens_the_file_with_the_courts_consent(med, refer):
    referral = refer(at=local(2026, 3, 2, 9))
    file = svc.referral_sign(actor=med.studio_mediator, referral=referral, at=local(2026, 3, 3, 9))
    referral.refresh_from_db()
    assert (referral.status, referral.signed_by, referral.file) == (
        ReferralStatus.SIGNED,
        med.profile(med.studio_mediator),
        file,
    )
    assert (file.kind, file.status, file.accepted_at) == (
        MediationKind.PRE_LITIGATION,
        FileStatus.MEDIATING,
        local(2026, 3, 3, 9),
    )
    assert sorted(Consent.objects.filter(file=file).values_list("side", "agreed", "form")) == [
        ("applicant", True, "court"),
        ("respondent", True, "court"),
    ]


def test_only_the_committees_mediators_sign(med, refer):
    referral = refer()
    for outsider in (med.mediator, med.labour_mediator, med.mediator_x):
        with pytest.raises(Forbidden):
            svc.referral_sign(actor=outsider, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED
    assert not MediationFile.objects.exists()


def test_success_records_with_the_court_and_failure_goes_back_to_be_filed(med, refer):
    won = refer()
    file = svc.referral_sign(actor=med.studio_mediator, referral=won)
    file_svc.file_agree(actor=med.studio_mediator, file=file, agreement=agreement_input(file))
    won.refresh_from_db()
    assert (won.status, won.result) == (ReferralStatus.SUCCEEDED, ReferralResult.SUCCEEDED)
    assert (won.case.status, won.case.outcome) == (CaseStatus.CLOSED, Outcome.RESOLVED)
    svc.referral_record(actor=med.studio_mediator, referral=won, court_record="（2026）示0102民特12号")
    won.refresh_from_db()
    assert won.status == ReferralStatus.RECORDED

    lost = refer()
    file = svc.referral_sign(actor=med.studio_mediator, referral=lost)
    # the court must file it: litigation is always among the routes
    file_svc.file_fail(actor=med.studio_mediator, file=file, reason="被告不同意分期付款", routes=[])
    lost.refresh_from_db()
    file.refresh_from_db()
    assert (lost.status, lost.result, file.routes) == (ReferralStatus.FAILED, ReferralResult.FAILED, ["litigation"])
    assert (lost.case.status, lost.case.outcome) == (CaseStatus.CLOSED, Outcome.LITIGATION)
    svc.referral_file(actor=med.studio_mediator, referral=lost, filing_number="（2026）示0102民初88号")
    lost.refresh_from_db()
    assert (lost.status, lost.filing_number) == (ReferralStatus.FILED, "（2026）示0102民初88号")


def test_a_pre_litigation_file_is_not_withdrawn(med, refer):
    file = svc.referral_sign(actor=med.studio_mediator, referral=refer())
    with pytest.raises(TransitionNotAllowed):
        file_svc.file_withdraw(actor=med.studio_mediator, file=file, reason="原告撤诉")


# --- every transition ----------------------------------------------------------------------------------


def _to(world, med, refer, kind, status) -> CourtReferral:
    referral = refer(kind=kind)
    mediator = med.studio_mediator
    if kind == ReferralKind.FAST_TRACK:
        if status == ReferralStatus.CONCLUDED:
            svc.fast_track_conclude(actor=world.window, referral=referral, result=ReferralResult.MEDIATED)
        return CourtReferral.objects.get(pk=referral.pk)
    if status == ReferralStatus.REFERRED:
        return referral
    if status == ReferralStatus.RETURNED:
        svc.referral_return(actor=mediator, referral=referral, reason="被告明确拒绝调解")
        return CourtReferral.objects.get(pk=referral.pk)
    file = svc.referral_sign(actor=mediator, referral=referral)
    if status in (ReferralStatus.SUCCEEDED, ReferralStatus.RECORDED):
        file_svc.file_agree(actor=mediator, file=file, agreement=agreement_input(file))
    if status in (ReferralStatus.FAILED, ReferralStatus.FILED):
        file_svc.file_fail(actor=mediator, file=file, reason="分歧过大", routes=[FailureRoute.LITIGATION])
    referral = CourtReferral.objects.get(pk=referral.pk)
    if status == ReferralStatus.RECORDED:
        svc.referral_record(actor=mediator, referral=referral, court_record="（2026）示民特1号")
    if status == ReferralStatus.FILED:
        svc.referral_file(actor=mediator, referral=referral, filing_number="（2026）示民初1号")
    return CourtReferral.objects.get(pk=referral.pk)


def _act(world, med, referral, target):
    mediator = med.studio_mediator
    file = MediationFile.objects.filter(referral=referral).first()
    if target == ReferralStatus.SIGNED:
        return svc.referral_sign(actor=world.window, referral=referral, mediator=med.profile(mediator))
    if target == ReferralStatus.RETURNED:
        return svc.referral_return(actor=world.window, referral=referral, reason="当事人不再同意调解")
    if target == ReferralStatus.SUCCEEDED:
        return file_svc.file_agree(actor=mediator, file=file, agreement=agreement_input(file))
    if target == ReferralStatus.FAILED:
        return file_svc.file_fail(actor=mediator, file=file, reason="分歧过大", routes=[FailureRoute.LITIGATION])
    if target == ReferralStatus.RECORDED:
        return svc.referral_record(actor=world.window, referral=referral, court_record="（2026）示民特2号")
    if target == ReferralStatus.FILED:
        return svc.referral_file(actor=world.window, referral=referral, filing_number="（2026）示民初2号")
    if target == ReferralStatus.CONCLUDED:
        return svc.fast_track_conclude(actor=world.window, referral=referral, result=ReferralResult.JUDGED)
    raise AssertionError(target)


REFERRAL_CASES = [
    (kind, start, target)
    for kind, table in REFERRAL_TRANSITIONS.items()
    for start in table
    for target in ReferralStatus.values
    if target != ReferralStatus.REFERRED
]


@pytest.mark.parametrize(
    ("kind", "start", "target"), REFERRAL_CASES, ids=[f"{k}:{s}->{t}" for k, s, t in REFERRAL_CASES]
)
def test_every_referral_transition(world, med, refer, kind, start, target):
    referral = _to(world, med, refer, kind, start)
    assert referral.status == start
    allowed = target in REFERRAL_TRANSITIONS[kind][start]
    needs_file = target in (ReferralStatus.SUCCEEDED, ReferralStatus.FAILED)
    if needs_file and not MediationFile.objects.filter(referral=referral).exists():
        # without a signed file there is no mediation to succeed or fail: refused by construction
        assert not allowed
        return
    if allowed:
        _act(world, med, referral, target)
        assert CourtReferral.objects.get(pk=referral.pk).status == target
    else:
        events = CaseEvent.objects.filter(case=referral.case).count()
        with pytest.raises(TransitionNotAllowed):
            _act(world, med, referral, target)
        after = CourtReferral.objects.get(pk=referral.pk)
        assert (after.status, after.result) == (referral.status, referral.result)
        assert CaseEvent.objects.filter(case=referral.case).count() == events


def test_fast_track_referrals_are_recorded_with_their_result(world, refer):
    referral = refer(kind=ReferralKind.FAST_TRACK, committee=None, parties_consented=False)
    svc.fast_track_conclude(actor=world.window, referral=referral, result=ReferralResult.MEDIATED, note="当庭调解")
    referral.refresh_from_db()
    assert (referral.status, referral.result) == (ReferralStatus.CONCLUDED, ReferralResult.MEDIATED)
    assert (referral.case.status, referral.case.outcome) == (CaseStatus.CLOSED, Outcome.RESOLVED)
    with pytest.raises(InvalidInput):
        svc.fast_track_conclude(actor=world.window, referral=refer(kind=ReferralKind.FAST_TRACK), result="succeeded")
