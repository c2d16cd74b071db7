"""One-click dispatch, accept, reject, feed back, close and follow up — and what each role may not do."""

from datetime import timedelta

import pytest

from governance.models import Case, Deadline, Dispatch, Notification


def post(client, path, body=None):
    return client.post(path, body or {}, format="json")


def test_the_whole_loop(world, api, dispatched):
    case, dispatch = dispatched
    assert dispatch["status"] == "pending"
    assert dispatch["is_lead"] is True
    assert dispatch["department_name"] == "人社局"
    response_due = Deadline.objects.get(pk=dispatch["response_deadline"]["id"])
    assert response_due.due_at - response_due.started_at == timedelta(hours=2)
    assert dispatch["response_overdue"] is False

    accepted = post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/accept/").json()
    assert accepted["status"] == "accepted"
    assert accepted["feedback_due_at"] is not None
    feedback_due = Deadline.objects.get(pk=accepted["feedback_deadline"]["id"])
    assert feedback_due.due_at - feedback_due.started_at == timedelta(hours=24)
    assert Case.objects.get(pk=case["id"]).status == "in_progress"

    fed = post(
        api(world.liaison),
        f"/api/dispatches/{dispatch['id']}/feedback/",
        {"result": "已督促企业支付", "resolved": True},
    )
    assert fed.json()["status"] == "fed_back"
    assert fed.json()["feedback_resolved"] is True

    closed = post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "resolved", "note": "工资已付清"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["outcome_label"] == "已化解"

    followed = post(
        api(world.window), f"/api/cases/{case['id']}/follow-up/", {"satisfaction": "satisfied", "note": "电话回访"}
    )
    assert followed.status_code == 201
    detail = followed.json()
    assert detail["follow_up"]["satisfaction_label"] == "满意"
    assert [e["kind"] for e in detail["timeline"]] == [
        "registered",
        "dispatched",
        "accepted",
        "fed_back",
        "closed",
        "followed_up",
    ]
    states = dict(Deadline.objects.values_list("kind", "state"))
    assert states == {"dispatch.response": "met", "dispatch.feedback": "met"}


def test_liaisons_are_notified_of_a_dispatch_and_the_window_of_feedback(world, api, dispatched):
    _, dispatch = dispatched
    assert Notification.objects.get(recipient=world.liaison).title.startswith("新派单：SF-")
    post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/accept/")
    post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/feedback/", {"result": "ok", "resolved": False})
    note = Notification.objects.get(recipient=world.window)
    assert "已反馈，请办结并回访" in note.title
    assert note.email == "pending"


def test_joint_handling_has_one_lead(world, api, dispatched):
    case, lead = dispatched
    assist = post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.housing.pk})
    assert assist.status_code == 201
    assert assist.json()["is_lead"] is False
    second_lead = post(
        api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.housing.pk, "lead": True}
    )
    assert second_lead.status_code == 409
    assert lead["is_lead"] is True
    assert Dispatch.objects.filter(case_id=case["id"]).count() == 2


def test_the_same_department_cannot_hold_a_case_twice(world, api, dispatched):
    case, _ = dispatched
    again = post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk})
    assert again.status_code == 409
    assert again.json()["detail"] == "该部门已在办理此案件"
    assert Dispatch.objects.count() == 1


def test_rejection_sends_the_case_back_to_the_center(world, api, dispatched):
    case, dispatch = dispatched
    rejected = post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/reject/", {"reason": "不属于本部门职责"})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["reject_reason"] == "不属于本部门职责"
    assert Case.objects.get(pk=case["id"]).status == "registered"
    note = Notification.objects.get(recipient=world.window)
    assert "被人社局退回，请重新派单" in note.title
    # re-dispatch to another department, which becomes the lead
    again = post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.housing.pk})
    assert again.status_code == 201
    assert again.json()["is_lead"] is True
    assert Case.objects.get(pk=case["id"]).status == "dispatched"
    # the department that gave it back may take it again later
    assert (
        post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}).status_code
        == 201
    )


def test_rejecting_one_of_two_keeps_the_case_dispatched(world, api, dispatched):
    case, dispatch = dispatched
    post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.housing.pk})
    post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/reject/", {"reason": "改由住建局主办"})
    assert Case.objects.get(pk=case["id"]).status == "dispatched"


@pytest.mark.parametrize(
    ("first", "then", "expected_status"),
    [
        ("accept", "accept", 409),
        ("accept", "reject", 409),
        ("reject", "accept", 409),
        ("reject", "feedback", 409),
        (None, "feedback", 409),
    ],
)
def test_dispatch_transitions_fail_closed(world, api, dispatched, first, then, expected_status):
    _, dispatch = dispatched
    bodies = {"accept": {}, "reject": {"reason": "x"}, "feedback": {"result": "x", "resolved": True}}
    liaison = api(world.liaison)
    if first:
        assert post(liaison, f"/api/dispatches/{dispatch['id']}/{first}/", bodies[first]).status_code == 200
    before = Dispatch.objects.get(pk=dispatch["id"]).status
    response = post(liaison, f"/api/dispatches/{dispatch['id']}/{then}/", bodies[then])
    assert response.status_code == expected_status
    assert response.json()["code"] in {"transition_not_allowed", "conflict"}
    assert Dispatch.objects.get(pk=dispatch["id"]).status == before


def test_fed_back_dispatch_is_final(world, api, dispatched):
    _, dispatch = dispatched
    liaison = api(world.liaison)
    post(liaison, f"/api/dispatches/{dispatch['id']}/accept/")
    post(liaison, f"/api/dispatches/{dispatch['id']}/feedback/", {"result": "done", "resolved": True})
    again = post(liaison, f"/api/dispatches/{dispatch['id']}/feedback/", {"result": "again", "resolved": False})
    assert again.status_code == 409
    assert Dispatch.objects.get(pk=dispatch["id"]).feedback_result == "done"


def test_window_staff_cannot_act_for_a_department(world, api, dispatched):
    _, dispatch = dispatched
    response = post(api(world.window), f"/api/dispatches/{dispatch['id']}/accept/")
    assert response.status_code == 403
    assert Dispatch.objects.get(pk=dispatch["id"]).status == "pending"


def test_departments_feed_back_but_do_not_close(world, api, dispatched):
    case, dispatch = dispatched
    post(api(world.liaison), f"/api/dispatches/{dispatch['id']}/accept/")
    response = post(api(world.liaison), f"/api/cases/{case['id']}/close/", {"outcome": "resolved"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case["id"]).status == "in_progress"


def test_leaders_may_dispatch_but_not_close(world, api, register):
    case = register(world.window)
    assert (
        post(api(world.leader), f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}).status_code
        == 201
    )
    assert post(api(world.leader), f"/api/cases/{case['id']}/close/", {"outcome": "withdrawn"}).status_code == 403


def test_cannot_close_while_a_department_holds_the_case(world, api, dispatched):
    case, _ = dispatched
    response = post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "withdrawn"})
    assert response.status_code == 409
    assert "仍有部门在办理" in response.json()["detail"]
    assert Case.objects.get(pk=case["id"]).status == "dispatched"


def test_a_case_handled_at_the_window_closes_without_dispatch(world, api, register):
    case = register(world.window)
    closed = post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "resolved", "note": "当场调解"})
    assert closed.json()["status"] == "closed"


def test_closed_is_final(world, api, register):
    case = register(world.window)
    post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "resolved"})
    assert post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "unresolved"}).status_code == 409
    assert (
        post(api(world.window), f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}).status_code
        == 409
    )
    assert Case.objects.get(pk=case["id"]).outcome == "resolved"


def test_follow_up_only_after_closing_and_only_once(world, api, register):
    case = register(world.window)
    early = post(api(world.window), f"/api/cases/{case['id']}/follow-up/", {"satisfaction": "satisfied"})
    assert early.status_code == 409
    post(api(world.window), f"/api/cases/{case['id']}/close/", {"outcome": "resolved"})
    assert (
        post(api(world.window), f"/api/cases/{case['id']}/follow-up/", {"satisfaction": "dissatisfied"}).status_code
        == 201
    )
    twice = post(api(world.window), f"/api/cases/{case['id']}/follow-up/", {"satisfaction": "satisfied"})
    assert twice.status_code == 409
    assert Case.objects.get(pk=case["id"]).follow_up.satisfaction == "dissatisfied"


def test_dispatch_list_for_the_liaison_and_overdue_filter(world, api, dispatched):
    _, dispatch = dispatched
    rows = api(world.liaison).get("/api/dispatches/?status=pending").json()["results"]
    assert [r["id"] for r in rows] == [dispatch["id"]]
    assert rows[0]["case"]["number"].startswith("SF-")
    assert api(world.liaison).get("/api/dispatches/?overdue=true").json()["results"] == []
    Deadline.objects.filter(pk=dispatch["response_deadline"]["id"]).update(
        due_at=Deadline.objects.get(pk=dispatch["response_deadline"]["id"]).started_at - timedelta(minutes=1)
    )
    overdue = api(world.liaison).get("/api/dispatches/?overdue=true").json()["results"]
    assert [r["id"] for r in overdue] == [dispatch["id"]]
    assert overdue[0]["response_overdue"] is True
