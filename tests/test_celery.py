"""Celery against the real Redis: a sweep sent through the broker escalates a late dispatch. And
the database, not the broker, is the source of truth: with Redis down, work goes on."""

import time
from datetime import timedelta

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from governance.celery import app
from governance.models import CaseEvent, Deadline, Notification
from governance.tasks import sweep_deadlines_task

REDIS_URL = "redis://127.0.0.1:6379/9"


def wait_for(condition, timeout=30.0):
    """Poll the database until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def redis_app():
    """A Celery app configured like production's (our settings), on the real Redis."""
    redis = Celery("governance-test")
    redis.config_from_object("django.conf:settings", namespace="CELERY")
    redis.conf.broker_url = REDIS_URL
    redis.conf.broker_transport_options = {}
    redis.autodiscover_tasks(["governance"], force=True)
    yield redis
    redis.close()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_sweep_through_redis_escalates_a_late_dispatch(world, dispatched, redis_app):
    _, dispatch = dispatched
    deadline = Deadline.objects.get(pk=dispatch["response_deadline"]["id"])
    late = (deadline.due_at + timedelta(minutes=1)).isoformat()

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        redis_app.send_task(sweep_deadlines_task.name, kwargs={"now": late})
        assert wait_for(lambda: CaseEvent.objects.filter(kind="escalated").exists())

    deadline.refresh_from_db()
    assert deadline.state == "breached"
    assert deadline.escalated_at is not None
    assert Notification.objects.filter(recipient=world.leader, kind="escalated").count() == 1


def test_registering_and_dispatching_work_with_the_broker_down(world, api, register, settings):
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        case = register(world.window)
        response = api(world.window).post(
            f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json"
        )
        assert response.status_code == 201
        accepted = api(world.liaison).post(f"/api/dispatches/{response.json()['id']}/accept/")
        assert accepted.status_code == 200
        # the liaison's notice and its email wait in the database (the outbox), not in the broker
        notice = Notification.objects.get(recipient=world.liaison)
        assert notice.email == "pending"
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL


def test_the_beat_schedule_holds_all_periodic_work():
    schedule = app.conf.beat_schedule
    assert schedule["deadline-sweep"]["task"] == "governance.tasks.sweep_deadlines_task"
    assert schedule["deadline-sweep"]["schedule"] == 60
    app.loader.import_default_modules()  # what a worker does at start: discover every app's tasks
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]  # every scheduled name is a real task


def test_notification_emails_are_sent_from_the_outbox(world, api, dispatched, mailoutbox):
    from governance.tasks import send_notification_emails_task

    assert send_notification_emails_task() == 1
    assert mailoutbox[0].to == ["liaison@example.org"]
    assert mailoutbox[0].subject.startswith("新派单：SF-")
    assert send_notification_emails_task() == 0
    assert Notification.objects.get(recipient=world.liaison).email == "sent"
