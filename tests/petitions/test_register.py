"""Registering petitions: the API contract, the ledger case, petitioners and representatives,
collective petitions, repeat petitions and their links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Case, CaseParty, Deadline, PolicySetting, User
from petitions import services
from petitions.choices import LinkKind
from petitions.models import Petition, PetitionLink
from petitions.services.registration import query_code_hash
from tests.petitions.conftest import QIAN_ID, ZHAO_ID, petition_body


def test_post_creates_a_petition_on_a_ledger_case(world, api):
    response = api(world.window).post("/api/petitions/", petition_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    petition = Petition.objects.get(pk=body["id"])
    case = Case.objects.get(pk=body["case"]["id"])
    assert petition.case_id == case.pk
    assert body["case"]["number"] == case.number == body["number"]
    assert case.number.startswith("SF-")
    assert (case.service_line, case.channel, case.center_id) == ("petition", "walk_in", world.county.pk)
    assert case.category.key == "land_requisition"
    assert (petition.form, petition.type, petition.status) == ("visit", "appeal_request", "registered")
    assert body["status_label"] == "已登记，待处理"
    # the query code is returned once and only its hash is stored
    assert len(body["query_code"]) == 12
    assert petition.query_code_hash == query_code_hash(body["query_code"])
    # the decision clock runs: 15 calendar days
    decision = Deadline.objects.get(kind="petition.decision", subject_id=petition.pk)
    assert (decision.unit, decision.amount, decision.case_id) == ("calendar_days", 15, case.pk)
    assert [e["kind"] for e in body["timeline"]] == ["registered", "petition_registered"]


def test_forms_map_to_ledger_channels(world, api):
    channels = {}
    for form in ("letter", "visit", "phone", "online"):
        response = api(world.window).post("/api/petitions/", petition_body(form=form), format="json")
        assert response.status_code == 201, response.content
        channels[form] = Case.objects.get(pk=response.json()["case"]["id"]).channel
    assert channels == {"letter": "petition_referral", "visit": "walk_in", "phone": "hotline", "online": "online"}


def test_category_is_optional(world, api):
    body = petition_body()
    del body["category"]
    response = api(world.window).post("/api/petitions/", body, format="json")
    assert response.status_code == 201
    assert response.json()["case"]["category"] == "other"


def test_id_number_and_phone_are_checked_by_the_core_validators(world, api):
    wrong_check_digit = ZHAO_ID[:-1] + ("1" if ZHAO_ID[-1] != "1" else "2")
    body = petition_body(petitioners=[{"name": "赵大勇", "id_number": wrong_check_digit, "phone": "12345"}])
    response = api(world.window).post("/api/petitions/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["petitioners"]["0"]
    assert set(errors) == {"id_number", "phone"}
    assert Petition.objects.count() == 0


def test_collective_when_the_headcount_reaches_the_policy_threshold(world, api):
    four = api(world.window).post("/api/petitions/", petition_body(headcount=4), format="json").json()
    five = api(world.window).post("/api/petitions/", petition_body(headcount=5), format="json").json()
    assert (four["is_collective"], five["is_collective"]) == (False, True)

    PolicySetting.objects.create(center=world.county, key="visit.collective_threshold", value=10)
    nine = api(world.window).post("/api/petitions/", petition_body(headcount=9), format="json").json()
    assert nine["is_collective"] is False


def test_a_group_visit_has_at_most_five_representatives(world, api):
    six = [{"name": f"代表{i}", "phone": f"1391234560{i}"} for i in range(6)]
    response = api(world.window).post("/api/petitions/", petition_body(headcount=40, petitioners=six), format="json")
    assert response.status_code == 400
    assert "代表人数不超过5人" in response.json()["errors"]["petitioners"][0]
    assert Case.objects.count() == 0

    five = six[:5]
    response = api(world.window).post("/api/petitions/", petition_body(headcount=40, petitioners=five), format="json")
    assert response.status_code == 201
    roles = set(CaseParty.objects.filter(case_id=response.json()["case"]["id"]).values_list("role", flat=True))
    assert roles == {"representative"}


def test_marked_representatives_count_whatever_the_form(world, api):
    six = [{"name": f"联名人{i}", "representative": True} for i in range(6)]
    response = api(world.window).post(
        "/api/petitions/", petition_body(form="letter", headcount=30, petitioners=six), format="json"
    )
    assert response.status_code == 400
    # a joint letter signed by six, none of them a representative, is fine
    signed = [{"name": f"联名人{i}"} for i in range(6)]
    response = api(world.window).post(
        "/api/petitions/", petition_body(form="letter", headcount=30, petitioners=signed), format="json"
    )
    assert response.status_code == 201
    assert response.json()["is_collective"] is True


def test_headcount_cannot_be_less_than_the_petitioners_listed(world, api):
    two = [{"name": "甲"}, {"name": "乙"}]
    response = api(world.window).post("/api/petitions/", petition_body(headcount=1, petitioners=two), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"headcount"}


def test_flags_go_on_the_case(world, api):
    body = petition_body(flags=["bypass_levels", "urgent", "threat_upward"], repeat=True)
    response = api(world.window).post("/api/petitions/", body, format="json")
    case = Case.objects.get(pk=response.json()["case"]["id"])
    assert (case.flag_bypass_levels, case.flag_urgent, case.flag_threat_upward) == (True, True, True)
    assert response.json()["is_repeat"] is True


def test_the_same_person_is_recognised_and_linked(world, api, petition_of):
    first = petition_of(category=None)
    again = api(world.window).post("/api/petitions/", petition_body(category="other"), format="json").json()
    other = (
        api(world.window)
        .post(
            "/api/petitions/",
            petition_body(petitioners=[{"name": "钱小红", "id_number": QIAN_ID}]),
            format="json",
        )
        .json()
    )

    assert [(link["id"], link["kind"]) for link in again["links"]] == [(first.pk, "same_person")]
    # same person, same category: a repeat petition
    assert again["is_repeat"] is True
    assert other["links"] == []
    assert other["is_repeat"] is False
    assert CaseParty.objects.filter(person__id_number=ZHAO_ID).count() == 2


def test_same_person_in_another_category_is_linked_but_not_a_repeat(world, api, petition_of):
    petition_of()  # category "other" by default
    again = api(world.window).post("/api/petitions/", petition_body(category="labour"), format="json").json()
    assert [link["kind"] for link in again["links"]] == ["same_person"]
    assert again["is_repeat"] is False


def test_linking_an_earlier_petition_on_the_same_matter_makes_a_repeat(world, api, petition_of):
    first = petition_of()
    later = (
        api(world.window)
        .post(
            "/api/petitions/",
            petition_body(petitioners=[{"name": "钱小红", "id_number": QIAN_ID}], category="labour"),
            format="json",
        )
        .json()
    )
    assert later["is_repeat"] is False

    response = api(world.window).post(f"/api/petitions/{later['id']}/link/", {"earlier": first.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["is_repeat"] is True
    assert PetitionLink.objects.filter(petition_id=later["id"], earlier=first, kind=LinkKind.SAME_MATTER).exists()

    again = api(world.window).post(f"/api/petitions/{later['id']}/link/", {"earlier": first.pk}, format="json")
    assert again.status_code == 409


def test_related_petitions_must_be_visible(world, api, petition_of):
    hidden = petition_of(center=world.other_county, actor=world.outsider)
    response = api(world.window).post("/api/petitions/", petition_body(related=[hidden.pk]), format="json")
    assert response.status_code == 400
    assert Petition.objects.count() == 1


@pytest.mark.parametrize("user", ["liaison", "leader"])
def test_only_center_staff_register(world, api, user):
    response = api(getattr(world, user)).post("/api/petitions/", petition_body(), format="json")
    assert response.status_code == 403
    assert Petition.objects.count() == 0


def test_anonymous_gets_401(world, api):
    assert api(None).post("/api/petitions/", petition_body(), format="json").status_code == 401


def test_list_masks_personal_data_and_detail_shows_it(world, api, petition_of):
    petition = petition_of()
    rows = api(world.window).get("/api/petitions/").json()["results"]
    assert rows[0]["petitioners"][0]["id_number"] == ZHAO_ID[:4] + "*" * 10 + ZHAO_ID[-4:]
    assert rows[0]["petitioners"][0]["phone"] == "139****5678"
    detail = api(world.window).get(f"/api/petitions/{petition.pk}/").json()
    assert detail["petitioners"][0]["id_number"] == ZHAO_ID


def test_the_list_costs_the_same_whatever_it_shows(world, api, petition_of):
    def count() -> int:
        fresh = User.objects.get(pk=world.window.pk)  # nothing cached from an earlier request
        with CaptureQueriesContext(connection) as captured:
            assert api(fresh).get("/api/petitions/").status_code == 200
        return len(captured)

    petition_of()
    few = count()
    for _ in range(5):
        petition_of(petitioners=[services.PetitionerInput(name="甲"), services.PetitionerInput(name="乙")], headcount=2)
    assert count() == few
