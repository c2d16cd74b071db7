"""The grid event state machine: every allowed and every refused transition, from the services;
on every refusal nothing changed."""

from __future__ import annotations

import pytest

from governance.exceptions import TransitionNotAllowed
from governance.models import Case
from grids.models import ALLOWED_TRANSITIONS, EventStatus, GridEvent, GridStat, Tier
from grids.services import events as ev
from tests.grids.helpers import in_state


def _review_ok(gw, world, event):
    return ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)


def _review_invalid(gw, world, event):
    return ev.grid_event_review(actor=gw.leader_a, event=event, valid=False, note="不属于网格事项")


def _close(gw, world, event):
    return ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="已处置")


def _escalate(gw, world, event):
    actor = gw.worker_a if event.tier == Tier.GRID else world.window
    return ev.grid_event_escalate(actor=actor, event=event, reason="提级处理")


def _feedback(gw, world, event):
    return ev.grid_event_feedback(actor=gw.worker_a, event=event, note="已反馈")


# action → the status it leads to
ACTIONS = {
    "review_ok": (_review_ok, EventStatus.ACCEPTED),
    "review_invalid": (_review_invalid, EventStatus.INVALID),
    "close_on_site": (_close, EventStatus.CLOSED_ON_SITE),
    "escalate": (_escalate, EventStatus.ESCALATED),
    "feedback": (_feedback, EventStatus.FED_BACK),
}
# States reached through escalation are reached that way; FED_BACK both ways.
STARTS = [
    (EventStatus.REPORTED, "site"),
    (EventStatus.ACCEPTED, "site"),
    (EventStatus.INVALID, "site"),
    (EventStatus.CLOSED_ON_SITE, "site"),
    (EventStatus.ESCALATED, "escalation"),
    (EventStatus.ESCALATED_CLOSED, "escalation"),
    (EventStatus.FED_BACK, "site"),
    (EventStatus.FED_BACK, "escalation"),
]


def _snapshot(event):
    row = GridEvent.objects.values().get(pk=event.pk)
    row.pop("updated_at")
    stats = sorted(
        GridStat.objects.values_list(
            "scope_id",
            "dimension",
            "period",
            "day",
            "key",
            "reported",
            "events",
            "closed_on_site",
            "escalated",
            "escalated_closed",
            "fed_back",
            "invalid",
        )
    )
    return row, stats, Case.objects.count()


@pytest.mark.parametrize(("start", "via"), STARTS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition(gw, world, start, via, action):
    event = in_state(gw, world, start, via=via)
    assert event.status == start
    run, target = ACTIONS[action]
    allowed = target in ALLOWED_TRANSITIONS[start]
    if allowed:
        run(gw, world, event)
        event.refresh_from_db()
        assert event.status == target
    else:
        before = _snapshot(event)
        with pytest.raises(TransitionNotAllowed):
            run(gw, world, event)
        assert _snapshot(event) == before


def test_the_table_is_the_documented_loop():
    assert {
        EventStatus.REPORTED: {EventStatus.ACCEPTED, EventStatus.INVALID},
        EventStatus.ACCEPTED: {EventStatus.CLOSED_ON_SITE, EventStatus.ESCALATED},
        EventStatus.INVALID: set(),
        EventStatus.CLOSED_ON_SITE: {EventStatus.FED_BACK},
        EventStatus.ESCALATED: {EventStatus.ESCALATED, EventStatus.ESCALATED_CLOSED},
        EventStatus.ESCALATED_CLOSED: {EventStatus.FED_BACK},
        EventStatus.FED_BACK: set(),
    } == ALLOWED_TRANSITIONS
    # every status has a row (a missing one would mean "nothing allowed", but say it)
    assert set(ALLOWED_TRANSITIONS) == set(EventStatus.values)


def test_escalation_climbs_tier_by_tier_and_stops_at_the_county(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation")
    assert event.tier == Tier.VILLAGE
    for expected in (Tier.TOWNSHIP, Tier.COUNTY):
        ev.grid_event_escalate(actor=world.window, event=event, reason="上级协调")
        event.refresh_from_db()
        assert (event.status, event.tier) == (EventStatus.ESCALATED, expected)
    before = _snapshot(event)
    with pytest.raises(TransitionNotAllowed, match="县级"):
        ev.grid_event_escalate(actor=world.window, event=event, reason="再提级")
    assert _snapshot(event) == before


def test_an_escalated_event_cannot_be_closed_on_site(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation")
    before = _snapshot(event)
    with pytest.raises(TransitionNotAllowed):
        ev.grid_event_close_on_site(actor=world.window, event=event, result="x")
    assert _snapshot(event) == before


def test_a_stale_copy_gets_a_conflict_not_a_second_step(gw, world):
    event = in_state(gw, world, EventStatus.ACCEPTED)
    stale = GridEvent.objects.get(pk=event.pk)
    ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="已处置")
    # the service re-reads under lock: the stale copy's caller is told the state moved on
    with pytest.raises(TransitionNotAllowed):
        ev.grid_event_escalate(actor=gw.worker_a, event=stale, reason="提级")
    assert Case.objects.count() == 0
