"""The petitioner's progress by the receipt's query code, without an account: no personal data of
anybody, a uniform answer for a wrong code, rate-limited, and the evaluation after the reply."""

import pytest

from governance.models import Role
from petitions import services
from petitions.choices import PetitionStatus
from petitions.models import Petition, PetitionStat
from tests.factories import make_user
from tests.petitions.conftest import ZHAO_ID


@pytest.fixture
def replied(world, petition_of):
    """An extended, replied petition with a second one of another person at the same center."""
    petition = petition_of(
        type="accusation",
        summary="检举某村干部侵占低保金",
        accused=[services.AccusedInput(name="孙某某")],
        petitioners=[services.PetitionerInput(name="赵大勇", id_number=ZHAO_ID, phone="+8613912345678")],
    )
    services.petition_forward(actor=world.window, petition=petition, department=world.labour)
    services.petition_extend(
        actor=world.window, petition=petition, days=15, reason="需调取银行流水核实", approver=world.leader
    )
    dispatch = petition.case.dispatches.get()
    from governance.services.dispatch import dispatch_accept, dispatch_feedback

    dispatch_accept(actor=world.liaison, dispatch=dispatch)
    dispatch_feedback(actor=world.liaison, dispatch=dispatch, result="查实部分问题", resolved=True)
    services.petition_reply(actor=world.window, petition=petition, outcome="support", text="经查属实，已责令退还")
    return Petition.objects.get(pk=petition.pk), petition.query_code


def test_progress_by_query_code_without_an_account(world, api, replied):
    petition, code = replied
    response = api(None).post("/api/petitions/lookup/", {"code": code}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == petition.case.number
    assert (body["status"], body["status_label"]) == ("replied", "已答复")
    assert body["handling_organ"] == "人社局"
    assert body["can_rate"] is True
    assert body["request_until"] is not None
    labels = [step["label"] for step in body["steps"]]
    assert labels[0] == "已登记受理（示范县综治中心）"
    assert "已转送人社局办理" in labels
    assert "办理期限延长15日，理由：需调取银行流水核实" in labels
    assert "已书面答复：予以支持" in labels


def test_progress_shows_no_personal_data_of_anybody(world, api, replied, petition_of):
    _, code = replied
    petition_of(petitioners=[services.PetitionerInput(name="钱小红", phone="+8613800001111")])
    text = api(None).post("/api/petitions/lookup/", {"code": code}, format="json").content.decode()

    for secret in (
        "赵大勇",
        ZHAO_ID,
        "13912345678",
        "5678",
        "检举某村干部侵占低保金",  # the summary
        "孙某某",  # the accused
        "经查属实",  # the reply text (may name people)
        "查实部分问题",  # the department's feedback
        "钱小红",
        "13800001111",
        str(world.window),
        str(world.leader),
        str(world.liaison),
    ):
        assert secret not in text, secret


def test_a_wrong_code_says_nothing(world, api, replied):
    _, code = replied
    for attempt in ("AAAA-BBBB-CCCC", "short", code[:-1] + ("A" if code[-1] != "A" else "B")):
        response = api(None).post("/api/petitions/lookup/", {"code": attempt}, format="json")
        assert response.status_code == 404
        assert set(response.json()) == {"detail", "code"}


def test_the_code_is_forgiving_about_case_and_dashes(world, api, replied):
    _, code = replied
    spaced = "-".join([code[:4], code[4:8], code[8:]]).lower()
    assert api(None).post("/api/petitions/lookup/", {"code": spaced}, format="json").status_code == 200


def test_lookups_are_rate_limited(world, api, replied):
    _, code = replied
    client = api(None)
    statuses = [
        client.post("/api/petitions/lookup/", {"code": "WRONGCODE123"}, format="json").status_code for _ in range(20)
    ]
    assert statuses == [404] * 20
    # the 21st request in the minute is refused, even with the right code
    response = client.post("/api/petitions/lookup/", {"code": code}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    # another client address has its own budget
    other = api(None).post("/api/petitions/lookup/", {"code": code}, format="json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_petitioner_rates_the_handling_once(world, api, replied):
    petition, code = replied
    response = api(None).post(
        "/api/petitions/lookup/rate/", {"code": code, "satisfaction": "basically_satisfied"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["satisfaction"], response.json()["can_rate"]) == ("basically_satisfied", False)
    petition.refresh_from_db()
    assert (petition.satisfaction, petition.rated_via) == ("basically_satisfied", "query_code")
    assert {row.period: row.satisfied for row in PetitionStat.objects.filter(scope=world.county)} == {
        "day": 1,
        "month": 1,
    }

    again = api(None).post("/api/petitions/lookup/rate/", {"code": code, "satisfaction": "dissatisfied"}, format="json")
    assert again.status_code == 409
    petition.refresh_from_db()
    assert petition.satisfaction == "basically_satisfied"


def test_no_rating_before_the_written_reply(world, api, petition_of):
    petition = petition_of()
    response = api(None).post(
        "/api/petitions/lookup/rate/", {"code": petition.query_code, "satisfaction": "satisfied"}, format="json"
    )
    assert response.status_code == 409
    assert Petition.objects.get(pk=petition.pk).satisfaction == ""


def test_a_reissued_code_replaces_the_old_one(world, api, petition_of):
    petition = petition_of()
    response = api(world.window).post(f"/api/petitions/{petition.pk}/reissue-code/")
    assert response.status_code == 200
    new_code = response.json()["query_code"]
    assert api(None).post("/api/petitions/lookup/", {"code": petition.query_code}, format="json").status_code == 404
    assert api(None).post("/api/petitions/lookup/", {"code": new_code}, format="json").status_code == 200


def test_the_code_is_not_shown_again(world, api, petition_of):
    petition = petition_of()
    detail = api(world.window).get(f"/api/petitions/{petition.pk}/").json()
    assert "query_code" not in detail
    assert petition.query_code not in str(detail)


def test_staff_enter_the_evaluation_after_a_follow_up_call(world, api, at_status):
    petition = at_status(PetitionStatus.REPLIED)
    response = api(world.window).post(
        f"/api/petitions/{petition.pk}/rate/", {"satisfaction": "satisfied"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["rated_via"] == "staff"
    liaison = make_user("liaison_c", Role.LIAISON, center=world.county, department=world.labour)
    assert api(liaison).post(f"/api/petitions/{petition.pk}/rate/", {"satisfaction": "satisfied"}).status_code == 404
