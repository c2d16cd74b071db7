"""The sweep: warn once before a deadline, mark each breach once and escalate it once (督办),
idempotent on repeat, safe with a completion racing it; and the command that runs it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import CaseEvent, Deadline, Dispatch, Notification
from governance.services.deadlines import deadlines_sweep
from governance.services.dispatch import RESPONSE


def response_deadline(dispatch) -> Deadline:
    return Deadline.objects.get(pk=dispatch["response_deadline"]["id"])


def events(kind):
    return list(CaseEvent.objects.filter(kind=kind).values_list("message", flat=True))


def test_nothing_due_does_nothing(world, dispatched):
    _, dispatch = dispatched
    report = deadlines_sweep(now=response_deadline(dispatch).started_at + timedelta(minutes=30))
    assert (report.warned, report.breached) == ([], [])


def test_warns_once_at_three_quarters(world, dispatched):
    _, dispatch = dispatched
    deadline = response_deadline(dispatch)
    notified_before = Notification.objects.filter(recipient=world.liaison).count()
    first = deadlines_sweep(now=deadline.started_at + timedelta(minutes=91))
    again = deadlines_sweep(now=deadline.started_at + timedelta(minutes=100))
    assert first.warned == [deadline.pk]
    assert again.warned == []
    assert len(events("warned")) == 1
    assert "临期提醒：人社局须于" in events("warned")[0]
    assert Notification.objects.filter(recipient=world.liaison).count() == notified_before + 1
    assert not Notification.objects.filter(recipient=world.leader).exists()


def test_breach_is_marked_and_escalated_once(world, api, dispatched):
    case, dispatch = dispatched
    deadline = response_deadline(dispatch)
    late = deadline.due_at + timedelta(minutes=1)
    first = deadlines_sweep(now=late)
    second = deadlines_sweep(now=late + timedelta(minutes=1))
    assert first.breached == [deadline.pk]
    assert first.escalated == [deadline.pk]
    assert second.breached == []
    deadline.refresh_from_db()
    assert (deadline.state, deadline.breached_at, deadline.escalated_at) == ("breached", late, late)
    assert events("escalated") == [events("escalated")[0]]
    assert "督办：人社局超时未签收" in events("escalated")[0]
    leader_note = Notification.objects.get(recipient=world.leader)
    assert leader_note.title.startswith("督办：案件 SF-")
    assert leader_note.case_id == case["id"]
    detail = api(world.window).get(f"/api/cases/{case['id']}/").json()
    assert detail["overdue"] is True
    assert detail["dispatches"][0]["response_overdue"] is True


def test_a_village_case_escalates_to_the_nearest_leader_above(world, api, register):
    case = register(world.window, center=world.village.pk)
    dispatch = (
        api(world.window)
        .post(f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json")
        .json()
    )
    deadlines_sweep(now=response_deadline(dispatch).due_at + timedelta(seconds=1))
    assert Notification.objects.filter(recipient=world.leader, kind="escalated").count() == 1


def test_accepting_after_the_breach_keeps_the_breach(world, api, dispatched):
    _, dispatch = dispatched
    deadline = response_deadline(dispatch)
    deadlines_sweep(now=deadline.due_at + timedelta(minutes=5))
    assert api(world.liaison).post(f"/api/dispatches/{dispatch['id']}/accept/").status_code == 200
    deadline.refresh_from_db()
    assert deadline.state == "breached"
    assert deadline.completed_at is not None
    assert Dispatch.objects.get(pk=dispatch["id"]).status == "accepted"


def test_feedback_breach_is_escalated_after_acceptance(world, api, dispatched):
    _, dispatch = dispatched
    accepted = api(world.liaison).post(f"/api/dispatches/{dispatch['id']}/accept/").json()
    feedback = Deadline.objects.get(pk=accepted["feedback_deadline"]["id"])
    report = deadlines_sweep(now=feedback.due_at + timedelta(hours=1))
    assert report.breached == [feedback.pk]
    assert "超时未反馈" in events("escalated")[0]


def test_completed_timers_are_never_swept(world, api, dispatched):
    _, dispatch = dispatched
    api(world.liaison).post(f"/api/dispatches/{dispatch['id']}/accept/")
    api(world.liaison).post(
        f"/api/dispatches/{dispatch['id']}/feedback/", {"result": "ok", "resolved": True}, format="json"
    )
    report = deadlines_sweep(now=response_deadline(dispatch).due_at + timedelta(days=30))
    assert (report.warned, report.breached) == ([], [])
    assert events("escalated") == []


def test_sweep_cost_does_not_grow_with_settled_timers(world, api, register):
    """The same number of queries whether 1 or 30 settled timers exist (indexed claim of what is due)."""

    def queries_for_a_quiet_sweep():
        with CaptureQueriesContext(connection) as ctx:
            deadlines_sweep()
        return len(ctx.captured_queries)

    case = register(world.window)
    api(world.window).post(f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    few = queries_for_a_quiet_sweep()
    for _ in range(30):
        case = register(world.window)
        api(world.window).post(f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    assert queries_for_a_quiet_sweep() == few <= 6  # two indexed SELECTs (+ savepoints in the test transaction)


def test_a_batch_of_breaches_costs_a_bounded_number_of_queries(world, api, register):
    for _ in range(12):
        case = register(world.window)
        api(world.window).post(f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    due = Deadline.objects.filter(kind=RESPONSE).order_by("due_at").last().due_at
    with CaptureQueriesContext(connection) as ctx:
        report = deadlines_sweep(now=due + timedelta(minutes=1))
    assert len(report.breached) == 12
    assert len(ctx.captured_queries) <= 25  # not one round of queries per breach


def test_sweep_command_runs_as_of_a_given_instant(world, dispatched):
    _, dispatch = dispatched
    deadline = response_deadline(dispatch)
    when = (deadline.due_at + timedelta(minutes=1)).isoformat()
    out = StringIO()
    call_command("sweep_deadlines", "--now", when, stdout=out)
    text = out.getvalue()
    assert "超时 breached: 1" in text
    assert "督办 escalated: 1" in text
    out = StringIO()
    call_command("sweep_deadlines", "--now", when, stdout=out)
    assert "督办 escalated: 0" in out.getvalue()


def test_sweep_command_rejects_a_bad_instant(world):
    with pytest.raises(Exception, match="不是有效的 ISO-8601"):
        call_command("sweep_deadlines", "--now", "yesterday")
