"""The in-app inbox, which is also the email outbox."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from governance.models import Case, Notification, User

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    case: Case | None = None,
    link: str = "",
    at: datetime | None = None,
) -> list[Notification]:
    return Notification.objects.bulk_create(
        notifications_build(recipients=recipients, kind=kind, title=title, body=body, case=case, link=link, at=at)
    )


def notifications_build(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    case: Case | None = None,
    link: str = "",
    at: datetime | None = None,
) -> list[Notification]:
    """Unsaved notifications (one per distinct recipient), for callers that save a batch at once."""
    at = at or timezone.now()
    return [
        Notification(
            recipient=user,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            case=case,
            link=link,
            created_at=at,
            email=Notification.Email.PENDING if user.email else Notification.Email.NONE,
        )
        for user in {u.pk: u for u in recipients}.values()
    ]


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given); returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notifications_send_emails(*, limit: int = 200) -> int:
    """Send pending notification emails; each is marked in its own transaction, so a crash resends
    at most the message being sent."""
    sent = 0
    ids = list(
        Notification.objects.filter(email=Notification.Email.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for notification_id in ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, email=Notification.Email.PENDING)
                .first()
            )
            if notification is None:
                continue
            try:
                send_mail(
                    subject=notification.title,
                    message=notification.body or notification.title,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[notification.recipient.email],
                )
            except Exception:
                logger.exception("notification email %s failed", notification.pk)
                notification.email = Notification.Email.FAILED
            else:
                notification.email = Notification.Email.SENT
                sent += 1
            notification.save(update_fields=["email"])
    return sent
