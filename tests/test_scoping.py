"""What each user must NOT see. Outside the scope answers exactly like "does not exist" (404)."""

import pytest

from governance.models import CaseEvent, Dispatch


def test_liaison_sees_only_what_was_dispatched_to_the_department(world, api, register, dispatched):
    case, _ = dispatched
    register(world.window, summary="not dispatched")
    assert [c["id"] for c in api(world.liaison).get("/api/cases/").json()["results"]] == [case["id"]]
    assert api(world.liaison_b).get("/api/cases/").json()["results"] == []


def test_another_departments_liaison_gets_404_everywhere(world, api, dispatched):
    case, dispatch = dispatched
    other = api(world.liaison_b)
    assert other.get(f"/api/cases/{case['id']}/").status_code == 404
    assert other.get(f"/api/dispatches/{dispatch['id']}/").status_code == 404
    for verb, body in (("accept", {}), ("reject", {"reason": "x"}), ("feedback", {"result": "x", "resolved": True})):
        response = other.post(f"/api/dispatches/{dispatch['id']}/{verb}/", body, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到，或您无权查看", "code": "not_found"}
    assert Dispatch.objects.get(pk=dispatch["id"]).status == "pending"


def test_missing_and_forbidden_look_the_same(world, api, dispatched):
    case, _ = dispatched
    forbidden = api(world.liaison_b).get(f"/api/cases/{case['id']}/")
    missing = api(world.liaison_b).get("/api/cases/987654/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_township_staff_see_only_their_subtree(world, api, register):
    county_case = register(world.window, summary="county")
    village_case = register(world.window, summary="village", center=world.village.pk)
    town = api(world.window_town)
    assert [c["summary"] for c in town.get("/api/cases/").json()["results"]] == ["village"]
    assert town.get(f"/api/cases/{county_case['id']}/").status_code == 404
    assert town.get(f"/api/cases/{village_case['id']}/").status_code == 200


def test_other_county_sees_nothing(world, api, dispatched):
    case, _ = dispatched
    outsider = api(world.outsider)
    assert outsider.get("/api/cases/").json()["results"] == []
    assert outsider.get(f"/api/cases/{case['id']}/").status_code == 404
    assert outsider.post(f"/api/cases/{case['id']}/close/", {"outcome": "resolved"}, format="json").status_code == 404
    dispatch_to_own = outsider.post(
        f"/api/cases/{case['id']}/dispatch/", {"department": world.other_labour.pk}, format="json"
    )
    assert dispatch_to_own.status_code == 404
    assert api(world.liaison_x).get("/api/dispatches/").json()["results"] == []
    assert list(CaseEvent.objects.filter(case_id=case["id"]).values_list("kind", flat=True)) == [
        "registered",
        "dispatched",
    ]


def test_cannot_dispatch_to_a_department_outside_the_subtree(world, api, register):
    case = register(world.window)
    response = api(world.window).post(
        f"/api/cases/{case['id']}/dispatch/", {"department": world.other_labour.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["department"] == ["部门不存在或不在您的管辖范围内"]
    assert not Dispatch.objects.exists()


def test_dashboard_of_a_center_outside_the_scope_is_404(world, api):
    response = api(world.window_town).get(f"/api/dashboard/summary/?center={world.county.pk}")
    assert response.status_code == 404
    assert api(world.leader).get(f"/api/dashboard/summary/?center={world.other_county.pk}").status_code == 404


@pytest.mark.parametrize("who", ["liaison", "liaison_b"])
def test_liaisons_do_not_read_the_dashboard(world, api, who):
    response = api(getattr(world, who)).get("/api/dashboard/summary/")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_case_filter_by_center_outside_the_scope_is_refused(world, api, register):
    register(world.window)
    response = api(world.window_town).get(f"/api/cases/?center={world.county.pk}")
    assert response.status_code == 400
    assert "center" in response.json()["errors"]


def test_person_lookup_shows_only_cases_in_scope(world, api, register):
    register(world.window, summary="county matter")
    register(world.window, summary="village matter", center=world.village.pk)
    found = api(world.window_town).post("/api/persons/lookup/", {"phone": "13812345678"}, format="json").json()
    person = found["results"][0]
    assert person["name"] == "张三"
    assert person["id_number"] == "1101**********002X"
    assert person["case_count"] == 1
    assert [c["summary"] for c in person["cases"]] == ["village matter"]
    # somebody none of whose cases the user may see is not even named
    nothing = api(world.outsider).post("/api/persons/lookup/", {"phone": "13812345678"}, format="json").json()
    assert nothing == {"results": []}


def test_liaison_cannot_look_up_persons(world, api):
    response = api(world.liaison).post("/api/persons/lookup/", {"phone": "13812345678"}, format="json")
    assert response.status_code == 403


def test_notifications_are_private(world, api, dispatched):
    mine = api(world.liaison).get("/api/notifications/").json()["results"]
    assert len(mine) == 1
    assert api(world.liaison_b).get("/api/notifications/").json()["results"] == []
    other_id = mine[0]["id"]
    marked = api(world.liaison_b).post("/api/notifications/read/", {"ids": [other_id]}, format="json").json()
    assert marked == {"marked": 0}
    assert api(world.liaison).get("/api/notifications/unread-count/").json() == {"unread": 1}
