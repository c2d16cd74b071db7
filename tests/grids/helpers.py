"""Walk an event through the services to any state of its machine."""

from __future__ import annotations

from governance.models import Outcome
from governance.services.cases import case_close
from grids.models import EventCategory, EventStatus, GridEvent
from grids.services import events as ev


def reported(gw, *, category=EventCategory.LIVELIHOOD, grid=None, actor=None, **kwargs) -> GridEvent:
    return ev.grid_event_report(
        actor=actor or gw.worker_a, grid=grid or gw.grid_a, category=category, summary="路灯损坏", **kwargs
    )


def in_state(gw, world, status: str, *, via: str = "site", category=EventCategory.LIVELIHOOD) -> GridEvent:
    """An event of grid A in `status`, reached through the services. `via="escalation"` reaches
    FED_BACK through escalation and the case's closing instead of a closure on site."""
    event = reported(gw, category=category)
    if status == EventStatus.REPORTED:
        return event
    if status == EventStatus.INVALID:
        return ev.grid_event_review(actor=gw.leader_a, event=event, valid=False, note="重复上报")
    event = ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    if status == EventStatus.ACCEPTED:
        return event
    if status == EventStatus.CLOSED_ON_SITE or (status == EventStatus.FED_BACK and via == "site"):
        event = ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="已修复")
        if status == EventStatus.CLOSED_ON_SITE:
            return event
        return ev.grid_event_feedback(actor=gw.worker_a, event=event, note="已告知群众")
    ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="需村里协调")
    event.refresh_from_db()
    if status == EventStatus.ESCALATED:
        return event
    case_close(actor=world.window, case=event.case, outcome=Outcome.RESOLVED, note="已调处")
    event.refresh_from_db()
    if status == EventStatus.ESCALATED_CLOSED:
        return event
    return ev.grid_event_feedback(actor=gw.worker_a, event=event, note="已告知群众")
