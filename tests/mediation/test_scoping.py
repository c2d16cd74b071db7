"""What a mediator may see, tested from the side of those who must NOT see: another mediator of the
same committee, a mediator of another committee or county, a liaison with no dispatch on the case,
the township's window. Outside the scope is a 404, the same as a missing row, and nothing changes."""

import pytest

from governance.models import CaseEvent
from governance.selectors.scoping import case_qs_for
from governance.services.dispatch import dispatch_create
from mediation.choices import FileStatus, ReferralKind
from mediation.models import Mediator
from mediation.services import files as file_svc
from mediation.services import referrals
from tests.factories import category, make_user
from tests.mediation.conftest import parties


def _sees(api, user, file) -> tuple[int, int, bool]:
    client = api(user)
    listed = [row["id"] for row in client.get("/api/mediation/files/").json()["results"]]
    return (
        client.get(f"/api/mediation/files/{file.pk}/").status_code,
        client.get(f"/api/cases/{file.case_id}/").status_code,
        file.pk in listed,
    )


def test_the_files_mediator_sees_it_and_colleagues_do_not(world, med, api, open_file):
    file = open_file()
    assert _sees(api, med.mediator, file) == (200, 200, True)
    assert _sees(api, med.chief, file) == (200, 200, True)  # the chief mediator sees the committee's files
    for outsider in (med.mediator_b, med.labour_mediator, med.studio_mediator, med.mediator_x):
        assert _sees(api, outsider, file) == (404, 404, False), outsider
    for outsider in (world.liaison, world.window_town, world.outsider):
        assert _sees(api, outsider, file) == (404, 404, False), outsider
    for staff in (world.window, world.leader, world.admin):
        assert _sees(api, staff, file) == (200, 200, True), staff


def test_an_outsider_cannot_act_on_a_file_it_cannot_see(med, api, open_file):
    file = open_file()
    events = CaseEvent.objects.filter(case=file.case).count()
    response = api(med.mediator_b).post(
        f"/api/mediation/files/{file.pk}/fail/", {"reason": "x", "routes": ["litigation"]}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    file.refresh_from_db()
    assert file.status == FileStatus.MEDIATING
    assert CaseEvent.objects.filter(case=file.case).count() == events


def test_the_chief_is_the_only_colleague_who_sees_the_committees_files(med, open_file):
    file = open_file()
    assert case_qs_for(med.chief).filter(pk=file.case_id).exists()
    assert not case_qs_for(med.mediator_b).filter(pk=file.case_id).exists()


def test_reassigning_moves_the_file_out_of_the_old_mediators_sight(world, med, api, open_file):
    file = open_file()
    file_svc.file_reassign(actor=world.window, file=file, mediator=med.profile(med.mediator_b), reason="回避")
    assert _sees(api, med.mediator, file) == (404, 404, False)
    assert _sees(api, med.mediator_b, file) == (200, 200, True)


def test_a_liaison_sees_the_file_of_a_case_dispatched_to_its_department(world, med, api, open_file):
    file = open_file()
    assert _sees(api, world.liaison, file) == (404, 404, False)
    dispatch_create(actor=world.window, case=file.case, department=world.labour)
    assert _sees(api, world.liaison, file) == (200, 200, True)
    assert _sees(api, world.liaison_b, file) == (404, 404, False)


def test_a_referral_waits_for_the_studios_mediators_and_then_only_the_signer_sees_it(world, med, api):
    second = make_user("studio_b", "mediator", center=world.county)
    Mediator.objects.create(committee=med.studio, user=second, name="诉前调解员乙")
    referral = referrals.referral_register(
        actor=world.window,
        center=world.county,
        kind=ReferralKind.PRE_LITIGATION,
        court="示范县人民法院",
        court_ref="（2026）示民诉前调501号",
        category=category("contract"),
        summary="货款纠纷",
        parties=parties(),
        committee=med.studio,
        parties_consented=True,
    )
    for waiting in (med.studio_mediator, second):
        assert api(waiting).get(f"/api/mediation/referrals/{referral.pk}/").status_code == 200
    for outsider in (med.mediator, med.chief, med.mediator_x):
        assert api(outsider).get(f"/api/mediation/referrals/{referral.pk}/").status_code == 404
    response = api(med.studio_mediator).post(f"/api/mediation/referrals/{referral.pk}/sign/", {}, format="json")
    assert response.status_code == 200, response.content
    assert api(med.studio_mediator).get(f"/api/mediation/referrals/{referral.pk}/").status_code == 200
    assert api(second).get(f"/api/mediation/referrals/{referral.pk}/").status_code == 404


def test_committees_and_mediators_are_listed_for_the_users_county_only(world, med, api):
    names = {row["name"] for row in api(world.window).get("/api/mediation/committees/").json()}
    assert names == {med.joint.name, med.labour.name, med.studio.name}
    assert {row["name"] for row in api(world.outsider).get("/api/mediation/committees/").json()} == {med.other.name}
    response = api(world.window).get(f"/api/mediation/committees/{med.other.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("username", ["mediator_b", "labour_mediator"])
def test_other_mediators_cannot_sign_a_referral_they_see_not(world, med, api, username):
    referral = referrals.referral_register(
        actor=world.window,
        center=world.county,
        kind=ReferralKind.PRE_LITIGATION,
        court="示范县人民法院",
        court_ref=f"（2026）示民诉前调6{len(username)}号",
        category=category("contract"),
        summary="货款纠纷",
        parties=parties(),
        committee=med.studio,
        parties_consented=True,
    )
    user = getattr(med, username)
    assert api(user).post(f"/api/mediation/referrals/{referral.pk}/sign/", {}, format="json").status_code == 404
    referral.refresh_from_db()
    assert referral.file is None
