"""12345+网格: a hotline ticket of a dispute kind goes straight to a grid."""

from __future__ import annotations

import pytest

from governance.exceptions import Conflict, Forbidden, InvalidInput, TransitionNotAllowed
from governance.models import Case, CaseEvent, Channel, Notification, Outcome, ServiceLine
from governance.services.cases import case_close, case_register
from grids.models import EventCategory, EventSource, EventStatus, GridEvent, GridStat, Tier
from grids.services import events as ev
from grids.services import hotline
from tests.factories import category


def _ticket(world, *, channel=Channel.HOTLINE, line=ServiceLine.MEDIATION, ref="12345-0001"):
    return case_register(
        actor=world.window,
        center=world.county,
        channel=channel,
        service_line=line,
        category=category("neighbour"),
        risk_level="yellow",
        summary="来电反映邻居加盖房屋挡光，协商不成",
        external_ref=ref if channel == Channel.HOTLINE else "",
    )


def test_a_dispute_ticket_becomes_an_accepted_dispute_event_of_the_grid(gw, world):
    case = _ticket(world)
    event = hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_a, instructions="请当日上门调处")
    assert (event.source, event.status, event.category, event.tier) == (
        EventSource.HOTLINE,
        EventStatus.ACCEPTED,
        EventCategory.DISPUTE,
        Tier.GRID,
    )
    assert event.case == case
    assert event.dispute_category.key == "neighbour"
    assert event.risk_level == "yellow"
    assert event.worker == gw.worker_a  # the grid's full-time worker answers for it
    assert event.deadline.kind == "grid.event.dispute"
    assert event.deadline.case == case
    assert CaseEvent.objects.filter(case=case, kind="grid_assigned").count() == 1
    assert set(Notification.objects.filter(kind="grid_assigned").values_list("recipient__username", flat=True)) == {
        "worker_a",
        "leader_a",
    }
    row = GridStat.objects.get(scope=world.county, dimension="total", period="day")
    assert (row.reported, row.events, row.disputes, row.hotline) == (1, 1, 1, 1)


def test_closed_on_site_the_center_is_asked_to_reply_and_close_the_ticket(gw, world):
    case = _ticket(world)
    event = hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_a)
    ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="现场调解，双方同意拆除遮挡部分")
    assert CaseEvent.objects.filter(case=case, kind="grid_closed_on_site").count() == 1
    assert Notification.objects.filter(recipient=world.window, kind="grid_closed_on_site").count() == 1
    case_close(actor=world.window, case=case, outcome=Outcome.RESOLVED)
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED_ON_SITE  # the loop is the grid's: it feeds back itself


def test_escalating_a_ticket_uses_the_ticket_as_its_case(gw, world):
    case = _ticket(world)
    event = hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_a)
    assert ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="需司法所介入") == case
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"channel": Channel.WALK_IN}, "只有12345热线工单可以直派网格"),
        ({"line": ServiceLine.PETITION}, "只有矛盾纠纷类工单可以直派网格"),
    ],
)
def test_only_hotline_dispute_tickets(gw, world, kwargs, error):
    case = _ticket(world, **kwargs)
    with pytest.raises(InvalidInput, match=error):
        hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_a)
    assert not GridEvent.objects.filter(case=case).exists()
    assert GridStat.objects.count() == 0


def test_not_twice_not_closed_not_outside_and_only_by_dispatchers(gw, world):
    case = _ticket(world)
    with pytest.raises(Forbidden):
        hotline.hotline_assign_to_grid(actor=gw.worker_a, case=case, grid=gw.grid_a)
    other_county_case = case_register(
        actor=world.outsider,
        center=world.other_county,
        channel=Channel.HOTLINE,
        service_line=ServiceLine.MEDIATION,
        category=category("neighbour"),
        risk_level="blue",
        summary="x",
        external_ref="12345-LX",
    )
    with pytest.raises(InvalidInput, match="辖区"):
        hotline.hotline_assign_to_grid(actor=None, case=other_county_case, grid=gw.grid_a)
    hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_a)
    with pytest.raises(Conflict):
        hotline.hotline_assign_to_grid(actor=world.window, case=case, grid=gw.grid_b)
    closed = _ticket(world, ref="12345-0002")
    case_close(actor=world.window, case=closed, outcome=Outcome.RESOLVED)
    with pytest.raises(TransitionNotAllowed):
        hotline.hotline_assign_to_grid(actor=world.window, case=closed, grid=gw.grid_a)
    assert GridStat.objects.get(scope=world.county, dimension="total", period="day").hotline == 1
