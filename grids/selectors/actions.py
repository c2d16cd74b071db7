"""Which verbs a user may use on an event now: the state machine and `grids.access` together.
Pages show exactly these buttons; the services enforce the same rules."""

from __future__ import annotations

from governance import roles
from governance.models import Case, CaseStatus, Channel, ServiceLine, User
from grids import access
from grids.models import ALLOWED_TRANSITIONS, TIER_ORDER, EventStatus, GridEvent, Tier


def event_actions(user: User, event: GridEvent) -> list[str]:
    allowed = ALLOWED_TRANSITIONS.get(event.status, frozenset())
    actions = []
    if EventStatus.ACCEPTED in allowed and access.can_review(user, event):
        actions.append("review")
    if EventStatus.CLOSED_ON_SITE in allowed and event.tier == Tier.GRID and access.can_handle(user, event):
        actions.append("close-on-site")
    if EventStatus.ESCALATED in allowed and event.tier != TIER_ORDER[-1] and access.can_handle(user, event):
        actions.append("escalate")
    if EventStatus.FED_BACK in allowed and access.can_feed_back(user, event):
        actions.append("feedback")
    if event.status not in (EventStatus.INVALID, EventStatus.FED_BACK) and access.can_work_in(user, event.grid):
        actions.append("attach")
    return actions


def may_assign_hotline(user: User, case: Case) -> bool:
    """Show "派至网格" on a ledger case: a hotline dispute ticket not yet closed, for a dispatcher."""
    return (
        roles.may(user, roles.DISPATCH)
        and case.channel == Channel.HOTLINE
        and case.service_line in (ServiceLine.MEDIATION, ServiceLine.GRID)
        and case.status != CaseStatus.CLOSED
        and not GridEvent.objects.filter(case=case).exists()
    )
