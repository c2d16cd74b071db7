"""Leaders' reception days (领导接访) and backlog cases (积案) with a star rating and a leader in
charge (包案)."""

import pytest

from governance.exceptions import InvalidInput
from governance.models import CaseEvent, Notification
from petitions import services
from petitions.models import BacklogCase, ReceptionDay


@pytest.fixture
def reception_body(world):
    return {
        "leader": world.leader.pk,
        "date": "2025-06-04",
        "starts_at": "09:00",
        "ends_at": "12:00",
        "place": "群众来访接待大厅",
        "topic": "征地拆迁",
    }


def test_a_leaders_reception_day_is_scheduled(world, api, reception_body):
    response = api(world.admin).post("/api/petitions/receptions/", reception_body, format="json")
    assert response.status_code == 201, response.content
    reception = ReceptionDay.objects.get(pk=response.json()["id"])
    assert (reception.center, reception.leader, str(reception.date)) == (world.county, world.leader, "2025-06-04")
    assert Notification.objects.filter(recipient=world.leader, kind="reception_scheduled").count() == 1
    # the township sees the county leaders' days too; the other county does not
    assert [r["id"] for r in api(world.window_town).get("/api/petitions/receptions/").json()] == [reception.pk]
    assert api(world.outsider).get("/api/petitions/receptions/").json() == []


def test_one_reception_day_per_leader_and_day(world, api, reception_body):
    assert api(world.admin).post("/api/petitions/receptions/", reception_body, format="json").status_code == 201
    again = api(world.admin).post("/api/petitions/receptions/", reception_body, format="json")
    assert again.status_code == 409
    assert ReceptionDay.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("leader", "window"), ("ends_at", "08:00")])
def test_reception_needs_a_leader_and_a_sensible_time(world, api, reception_body, field, value):
    reception_body[field] = getattr(world, value).pk if field == "leader" else value
    response = api(world.admin).post("/api/petitions/receptions/", reception_body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}


def test_window_staff_do_not_plan_receptions(world, api, reception_body):
    assert api(world.window).post("/api/petitions/receptions/", reception_body, format="json").status_code == 403


def test_a_visit_received_by_the_leader_is_linked_to_the_reception_day(world, api, petition_of, reception_body):
    reception = ReceptionDay.objects.get(
        pk=api(world.admin).post("/api/petitions/receptions/", reception_body, format="json").json()["id"]
    )
    petition = petition_of(reception=reception)
    assert petition.reception == reception
    with pytest.raises(InvalidInput, match="只有来访事项"):
        petition_of(form="letter", reception=reception)


def test_backlog_case_with_stars_and_the_leader_in_charge(world, api, at_status):
    petition = at_status("handling")
    response = api(world.leader).post(
        f"/api/petitions/{petition.pk}/backlog/",
        {"stars": 4, "leader": world.leader.pk, "reason": "反复信访三年未化解"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["backlog"]["stars"] == 4
    assert CaseEvent.objects.filter(case=petition.case, kind="petition_backlog").count() == 1
    assert Notification.objects.filter(recipient=world.leader, kind="petition_backlog").count() == 1
    listed = api(world.window).get("/api/petitions/backlog/").json()
    assert [(row["petition"], row["stars"], row["leader"]) for row in listed] == [(petition.pk, 4, world.leader.pk)]

    again = api(world.leader).post(
        f"/api/petitions/{petition.pk}/backlog/", {"stars": 5, "leader": world.leader.pk, "reason": "x"}, format="json"
    )
    assert again.status_code == 409

    resolved = api(world.leader).post(
        f"/api/petitions/{petition.pk}/backlog-resolve/", {"resolution": "包案领导多次约访，达成和解"}, format="json"
    )
    assert resolved.status_code == 200
    assert BacklogCase.objects.get().status == "resolved"
    assert (
        api(world.leader)
        .post(f"/api/petitions/{petition.pk}/backlog-resolve/", {"resolution": "again"}, format="json")
        .status_code
        == 409
    )


@pytest.mark.parametrize("stars", [0, 6])
def test_stars_are_one_to_five(world, api, at_status, stars):
    petition = at_status("handling")
    response = api(world.admin).post(
        f"/api/petitions/{petition.pk}/backlog/",
        {"stars": stars, "leader": world.leader.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert not BacklogCase.objects.exists()


def test_the_leader_in_charge_must_be_a_leader(world, api, at_status):
    petition = at_status("handling")
    response = api(world.admin).post(
        f"/api/petitions/{petition.pk}/backlog/", {"stars": 3, "leader": world.window.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"leader"}


def test_rerating_a_backlog_case(world, at_status):
    petition = at_status("handling")
    backlog = services.backlog_designate(actor=world.admin, petition=petition, stars=2, leader=world.leader, reason="x")
    services.backlog_rate(actor=world.admin, backlog=backlog, stars=5)
    assert BacklogCase.objects.get().stars == 5
