"""Accusation material (检举控告) is never visible to the accused or their department — seen from the
side of that department: its liaison (liaison_b of 住建局, the housing bureau) gets 404 for the case
and the petition wherever they look, even when the case was dispatched to the housing bureau.

The rule (petitions/selectors.py): users attached to an accused department (whatever their role)
and staff members named as accused never see the case. The decision refuses to route it there, the
core's dispatch refuses too; and should a dispatch exist anyway (made before the accusation was
recorded, or imported), scoping still hides the case, the petition and the dispatch from them.
"""

import pytest
from django.utils import timezone

from governance.models import Case, Dispatch, Notification, Role
from petitions import services
from petitions.models import Petition, PetitionAccused
from tests.factories import make_user
from tests.petitions.conftest import ZHAO_ID, petition_body


@pytest.fixture
def accusation(world, petition_of):
    """An accusation against the housing bureau and one of its officials (by name)."""
    return petition_of(
        type="accusation",
        summary="检举住建局某科长在棚户区改造中收受好处费",
        accused=[services.AccusedInput(department=world.housing, name="住建局某科长")],
    )


def _dispatch_anyway(case: Case, department, by) -> Dispatch:
    """A dispatch that exists although it should not (legacy data, an import): written directly."""
    now = timezone.now()
    return Dispatch.objects.create(
        case=case, department=department, dispatched_by=by, dispatched_at=now, dispatched_on=now.date()
    )


def test_registered_through_the_api_with_the_accused_department(world, api):
    body = petition_body(type="accusation", accused=[{"department": world.housing.pk, "name": "某科长"}])
    response = api(world.window).post("/api/petitions/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["accused"] == [
        {"department": world.housing.pk, "department_name": "住建局", "user": None, "user_name": "", "name": "某科长"}
    ]


def test_only_accusations_record_an_accused(world, api):
    body = petition_body(type="suggestion", accused=[{"department": world.housing.pk}])
    response = api(world.window).post("/api/petitions/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"accused"}


def test_an_accusation_cannot_be_forwarded_or_assigned_to_the_accused_department(world, api, accusation):
    for verb in ("forward", "assign"):
        response = api(world.window).post(
            f"/api/petitions/{accusation.pk}/{verb}/", {"department": world.housing.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"department": ["检举控告事项不得转交被检举控告的部门办理"]}
    assert Petition.objects.get(pk=accusation.pk).status == "registered"
    assert not Dispatch.objects.exists()
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()


def test_the_core_dispatch_refuses_it_too(world, api, accusation):
    response = api(world.window).post(
        f"/api/cases/{accusation.case_id}/dispatch/", {"department": world.housing.pk}, format="json"
    )
    # refused before it gets anywhere: a petition is dispatched only through its own procedure
    assert response.status_code == 409
    assert "信访程序" in response.json()["detail"]
    assert not Dispatch.objects.exists()
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()


def test_the_accused_departments_liaison_gets_404_even_when_it_was_dispatched_there(world, api, accusation):
    dispatch = _dispatch_anyway(accusation.case, world.housing, world.window)
    client = api(world.liaison_b)

    assert client.get(f"/api/cases/{accusation.case_id}/").status_code == 404
    assert client.get("/api/cases/").json()["results"] == []
    assert client.get(f"/api/petitions/{accusation.pk}/").status_code == 404
    assert client.get("/api/petitions/").json()["results"] == []
    assert client.get(f"/api/dispatches/{dispatch.pk}/").status_code == 404
    assert client.get("/api/dispatches/").json()["results"] == []
    assert client.post(f"/api/dispatches/{dispatch.pk}/accept/").status_code == 404
    assert client.post(f"/api/petitions/{accusation.pk}/reply/", {"outcome": "support", "text": "x"}).status_code == 404
    # not even through a person look-up by the petitioner's ID number
    lookup = client.post("/api/persons/lookup/", {"id_number": ZHAO_ID}, format="json")
    assert lookup.status_code in (200, 403)
    if lookup.status_code == 200:
        assert all(result["cases"] == [] for result in lookup.json()["results"])
    assert Dispatch.objects.get(pk=dispatch.pk).status == "pending"


def test_a_department_that_is_not_accused_sees_what_it_handles(world, api, accusation):
    services.petition_forward(actor=world.window, petition=accusation, department=world.labour)
    client = api(world.liaison)
    assert client.get(f"/api/cases/{accusation.case_id}/").status_code == 200
    assert client.get(f"/api/petitions/{accusation.pk}/").status_code == 200
    # and the accused department still does not
    assert api(world.liaison_b).get(f"/api/petitions/{accusation.pk}/").status_code == 404


def test_any_user_of_the_accused_department_is_excluded_whatever_the_role(world, api, accusation):
    housing_clerk = make_user("housing_clerk", Role.WINDOW_STAFF, center=world.county, department=world.housing)
    assert api(housing_clerk).get(f"/api/petitions/{accusation.pk}/").status_code == 404
    assert api(housing_clerk).get(f"/api/cases/{accusation.case_id}/").status_code == 404
    # the other staff of the center see it
    assert api(world.window).get(f"/api/petitions/{accusation.pk}/").status_code == 200
    assert api(world.leader).get(f"/api/cases/{accusation.case_id}/").status_code == 200


def test_an_accused_staff_member_is_excluded(world, api, petition_of):
    petition = petition_of(type="accusation", accused=[services.AccusedInput(user=world.leader)])
    assert api(world.leader).get(f"/api/petitions/{petition.pk}/").status_code == 404
    assert api(world.leader).get(f"/api/cases/{petition.case_id}/").status_code == 404
    assert api(world.admin).get(f"/api/petitions/{petition.pk}/").status_code == 200


def test_an_earlier_accusation_stays_hidden_behind_a_link(world, api, petition_of, accusation):
    later = petition_of(summary="反映小区供暖不达标")  # the same petitioner: linked to the accusation
    assert {link.earlier_id for link in later.links.all()} == {accusation.pk}
    services.petition_forward(actor=world.window, petition=later, department=world.housing)

    detail = api(world.liaison_b).get(f"/api/petitions/{later.pk}/")
    assert detail.status_code == 200
    assert detail.json()["links"] == []
    assert [link["id"] for link in api(world.window).get(f"/api/petitions/{later.pk}/").json()["links"]] == [
        accusation.pk
    ]


def test_recording_the_accused_later_hides_an_existing_dispatch(world, api, petition_of):
    petition = petition_of(type="accusation")
    services.petition_forward(actor=world.window, petition=petition, department=world.housing)
    assert api(world.liaison_b).get(f"/api/petitions/{petition.pk}/").status_code == 200

    PetitionAccused.objects.create(petition=petition, case=petition.case, department=world.housing)

    assert api(world.liaison_b).get(f"/api/petitions/{petition.pk}/").status_code == 404
    assert api(world.liaison_b).get("/api/dispatches/").json()["results"] == []
