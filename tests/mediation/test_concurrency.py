"""Races only a real database shows: the file's mediator and its chief ending the same mediation at
once, two mediators of the studio signing the same referral. One wins; the other is refused and
nothing is written twice. PostgreSQL only (SQLite serialises all writers)."""

import pytest

from governance.exceptions import Conflict, TransitionNotAllowed
from governance.models import CaseEvent
from mediation.choices import FailureRoute, FileStatus, ReferralKind
from mediation.models import Agreement, CourtReferral, MediationFile, Mediator
from mediation.services import files as file_svc
from mediation.services import referrals
from tests.factories import category, make_user
from tests.mediation.conftest import agreement_input, parties
from tests.test_concurrency import in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_agreeing_and_failing_at_once_one_wins(med, open_file):
    file = open_file()
    data = agreement_input(file)

    def end(index):
        loaded = MediationFile.objects.get(pk=file.pk)
        try:
            if index == 0:
                file_svc.file_agree(actor=med.mediator, file=loaded, agreement=data)
            else:
                file_svc.file_fail(actor=med.chief, file=loaded, reason="分歧大", routes=[FailureRoute.LITIGATION])
            return "won"
        except (Conflict, TransitionNotAllowed):
            return "refused"

    assert sorted(in_threads(2, end)) == ["refused", "won"]
    file.refresh_from_db()
    assert file.status in (FileStatus.AGREED, FileStatus.FAILED)
    assert Agreement.objects.filter(file=file).count() == (1 if file.status == FileStatus.AGREED else 0)
    ended = CaseEvent.objects.filter(case=file.case, kind__in=["mediation_agreed", "mediation_failed"])
    assert ended.count() == 1
    assert CaseEvent.objects.filter(case=file.case, kind="closed").count() == 1


def test_two_studio_mediators_signing_at_once_one_wins(world, med):
    second = make_user("studio_b", "mediator", center=world.county)
    Mediator.objects.create(committee=med.studio, user=second, name="诉前调解员乙")
    referral = referrals.referral_register(
        actor=world.window,
        center=world.county,
        kind=ReferralKind.PRE_LITIGATION,
        court="示范县人民法院",
        court_ref="（2026）示民诉前调777号",
        category=category("contract"),
        summary="货款纠纷",
        parties=parties(),
        committee=med.studio,
        parties_consented=True,
    )
    actors = [med.studio_mediator, second]

    def sign(index):
        try:
            referrals.referral_sign(actor=actors[index], referral=CourtReferral.objects.get(pk=referral.pk))
            return "won"
        except (Conflict, TransitionNotAllowed):
            return "refused"

    assert sorted(in_threads(2, sign)) == ["refused", "won"]
    assert MediationFile.objects.filter(case=referral.case).count() == 1
