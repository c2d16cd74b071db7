"""Who sees what, tested from the side of the user who must NOT see: another grid's worker,
another township's staff, another county. Outside the scope is a 404, like a missing row."""

from __future__ import annotations

import pytest

from grids.models import EventStatus
from grids.services import logs
from tests.grids.helpers import in_state, reported


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_grid_list_per_user(gw, world, api):
    a_tree = {gw.grid_a.pk, gw.group_a1.pk, gw.unit_a1a.pk}
    assert _ids(api(gw.worker_a).get("/api/grids/")) == a_tree
    assert _ids(api(gw.leader_a).get("/api/grids/")) == a_tree
    assert _ids(api(gw.worker_b).get("/api/grids/")) == {gw.grid_b.pk}
    assert _ids(api(gw.worker_c).get("/api/grids/")) == {gw.grid_c.pk}
    assert _ids(api(world.window_town).get("/api/grids/")) == a_tree | {gw.grid_b.pk}
    assert _ids(api(gw.window_town2).get("/api/grids/")) == {gw.grid_c.pk}
    assert _ids(api(world.window).get("/api/grids/")) == a_tree | {gw.grid_b.pk, gw.grid_c.pk}
    assert _ids(api(world.outsider).get("/api/grids/")) == set()
    assert _ids(api(world.liaison).get("/api/grids/")) == set()


def test_a_grid_outside_the_scope_is_a_404(gw, world, api):
    for user in (gw.worker_b, gw.worker_c, gw.window_town2, world.outsider):
        response = api(user).get(f"/api/grids/{gw.grid_a.pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api(gw.worker_a).get(f"/api/grids/{gw.unit_a1a.pk}/").status_code == 200


def test_events_are_seen_by_their_grid_and_the_centers_above_only(gw, world, api):
    event = reported(gw)
    seen = {
        user.username: event.pk in _ids(api(user).get("/api/grids/events/"))
        for user in (
            gw.worker_a,
            gw.leader_a,
            world.window_town,
            world.window,
            world.leader,
            gw.worker_b,
            gw.worker_c,
            gw.window_town2,
            world.outsider,
            world.liaison,
        )
    }
    assert seen == {
        "worker_a": True,
        "leader_a": True,
        "window_town": True,
        "window": True,
        "leader": True,
        "worker_b": False,
        "worker_c": False,
        "window_town2": False,
        "outsider": False,
        "liaison": False,
    }
    for user in (gw.worker_b, gw.worker_c, gw.window_town2, world.outsider):
        assert api(user).get(f"/api/grids/events/{event.pk}/").status_code == 404


def test_who_must_not_see_cannot_act_either_and_gets_the_same_404(gw, world, api):
    event = in_state(gw, world, EventStatus.ACCEPTED)
    for user in (gw.worker_b, gw.window_town2):
        for verb, body in (
            ("review", {"valid": True}),
            ("close-on-site", {"result": "x"}),
            ("escalate", {"reason": "x"}),
            ("feedback", {"note": "x"}),
        ):
            response = api(user).post(f"/api/grids/events/{event.pk}/{verb}/", body, format="json")
            assert response.status_code == 404, (user, verb)
    event.refresh_from_db()
    assert event.status == EventStatus.ACCEPTED


def test_reporting_into_someone_elses_grid_is_refused_as_unknown(gw, world, api):
    response = api(gw.worker_b).post(
        "/api/grids/events/", {"grid": gw.grid_a.pk, "category": "livelihood", "summary": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["grid"] == ["网格不存在或不在您的管辖范围内"]


def test_work_logs_are_a_workers_own_and_their_centers(gw, world, api):
    log = logs.worklog_record(actor=gw.worker_a, grid=gw.grid_a, kind="patrol")
    assert log.pk in _ids(api(gw.worker_a).get("/api/grids/logs/"))
    assert log.pk in _ids(api(world.window_town).get("/api/grids/logs/"))
    for user in (gw.worker_b, gw.worker_c, gw.window_town2, world.outsider):
        assert log.pk not in _ids(api(user).get("/api/grids/logs/"))


def test_stats_of_another_township_are_a_404(gw, world, api):
    response = api(gw.window_town2).get(f"/api/grids/stats/?center={world.township.pk}")
    assert response.status_code == 404
    response = api(gw.worker_b).get(f"/api/grids/stats/?grid={gw.grid_a.pk}")
    assert response.status_code == 404
    # a grid worker reads their own grid's figures, not a center's
    assert api(gw.worker_a).get(f"/api/grids/stats/?grid={gw.grid_a.pk}").status_code == 200
    assert api(gw.worker_a).get("/api/grids/stats/").status_code == 403


def test_the_case_an_event_became_is_visible_to_its_grid_but_not_to_other_grids(gw, world, api):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation")
    assert api(gw.leader_a).get(f"/api/cases/{event.case_id}/").status_code == 200  # via the grid
    assert api(gw.worker_a).get(f"/api/cases/{event.case_id}/").status_code == 200
    assert api(gw.worker_b).get(f"/api/cases/{event.case_id}/").status_code == 404
    assert api(gw.window_town2).get(f"/api/cases/{event.case_id}/").status_code == 404


@pytest.mark.parametrize("user", ["worker_b", "worker_c"])
def test_a_grid_worker_cannot_review_or_handle_another_grid_in_the_service(gw, world, user):
    from governance.exceptions import Forbidden
    from grids.services import events as ev

    event = reported(gw)
    with pytest.raises(Forbidden):
        ev.grid_event_review(actor=getattr(gw, user), event=event, valid=True)
    event.refresh_from_db()
    assert event.status == EventStatus.REPORTED


def test_nobody_reviews_their_own_report(gw, world):
    from governance.exceptions import Forbidden
    from grids.services import events as ev

    event = reported(gw, actor=gw.leader_a)
    with pytest.raises(Forbidden, match="不能审核本人上报"):
        ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    ev.grid_event_review(actor=world.window_town, event=event, valid=True)  # the center can
