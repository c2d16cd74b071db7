"""Thin, idempotent Celery tasks: each calls the same service a command or a page calls."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from governance.services.deadlines import deadlines_sweep
from governance.services.notifications import notifications_send_emails


@shared_task(name="governance.tasks.sweep_deadlines_task")
def sweep_deadlines_task(now: str | None = None) -> dict:
    """The beat's one-minute tick of the deadline engine (warn, breach, escalate)."""
    return deadlines_sweep(now=parse_datetime(now) if now else None).as_dict()


@shared_task(name="governance.tasks.send_notification_emails_task")
def send_notification_emails_task() -> int:
    return notifications_send_emails()
