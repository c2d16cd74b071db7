"""The append-only case timeline. Every state change writes its event in the same transaction."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from governance.models import Case, CaseEvent, User


def event_record(
    *,
    case: Case,
    kind: str,
    message: str,
    actor: User | None = None,
    at: datetime | None = None,
    data: dict | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, at=at or timezone.now(), message=message[:500], data=data or {}
    )


def events_record(events: list[CaseEvent]) -> None:
    """Write a batch of unsaved events (the sweep)."""
    CaseEvent.objects.bulk_create(events, batch_size=1000)
