"""Races that only a real database can show: two liaisons accepting one dispatch, many windows
registering at once. PostgreSQL only (SQLite serialises all writers)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from governance.exceptions import Conflict
from governance.models import Case, Dispatch, Role
from governance.services.dispatch import dispatch_accept
from tests.conftest import case_body
from tests.factories import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(count, work):
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait(timeout=10)
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_two_liaisons_accepting_at_once_one_wins(world, dispatched):
    _, dispatch = dispatched
    second = make_user("liaison2", Role.LIAISON, center=world.county, department=world.labour)
    # both load the dispatch while it is still pending, then press "accept" together
    loaded = [
        Dispatch.objects.select_related("case", "department", "response_deadline").get(pk=dispatch["id"])
        for _ in range(2)
    ]
    actors = [world.liaison, second]

    def accept(index):
        try:
            dispatch_accept(actor=actors[index], dispatch=loaded[index])
            return "won"
        except Conflict:
            return "409"

    assert sorted(in_threads(2, accept)) == ["409", "won"]
    stored = Dispatch.objects.get(pk=dispatch["id"])
    assert stored.status == "accepted"
    assert stored.feedback_deadline is not None
    assert stored.case.events.filter(kind="accepted").count() == 1


def test_two_liaisons_accepting_through_the_api(world, dispatched):
    _, dispatch = dispatched
    second = make_user("liaison2", Role.LIAISON, center=world.county, department=world.labour)
    users = [world.liaison, second]

    def accept(index):
        client = APIClient()
        client.force_authenticate(users[index])
        return client.post(f"/api/dispatches/{dispatch['id']}/accept/").status_code

    assert sorted(in_threads(2, accept)) == [200, 409]
    assert Dispatch.objects.get(pk=dispatch["id"]).accepted_by in users


def test_concurrent_registrations_get_unique_gapless_numbers(world):
    windows = [make_user(f"w{n}", Role.WINDOW_STAFF, center=world.county) for n in range(6)]

    def register_three(index):
        client = APIClient()
        client.force_authenticate(windows[index])
        return [
            client.post("/api/cases/", case_body(summary=f"{index}-{k}"), format="json").status_code for k in range(3)
        ]

    statuses = in_threads(6, register_three)
    assert statuses == [[201, 201, 201]] * 6
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 18
    assert [int(n[-6:]) for n in numbers] == list(range(1, 19))


def test_two_sweeps_at_once_escalate_each_breach_exactly_once(world):
    from datetime import timedelta

    from governance.models import CaseEvent, Deadline, Notification
    from governance.services.deadlines import deadlines_sweep

    client = APIClient()
    client.force_authenticate(world.window)
    for n in range(40):
        case = client.post("/api/cases/", case_body(summary=f"late {n}"), format="json").json()
        client.post(f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    late = Deadline.objects.order_by("-due_at").first().due_at + timedelta(minutes=1)

    reports = in_threads(2, lambda index: deadlines_sweep(now=late, batch_size=7))
    breached = reports[0].breached + reports[1].breached
    assert sorted(breached) == sorted(Deadline.objects.values_list("pk", flat=True))
    assert len(set(breached)) == 40
    assert CaseEvent.objects.filter(kind="escalated").count() == 40
    assert Notification.objects.filter(kind="escalated", recipient=world.leader).count() == 40
