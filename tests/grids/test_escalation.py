"""Escalation: leaving the grid an event becomes exactly one case on the ledger, which the core
dispatches; closing that case closes the event's loop upstream."""

from __future__ import annotations

import pytest

from governance.exceptions import Forbidden, InvalidInput
from governance.models import Case, CaseEvent, CaseStatus, Channel, Notification, Outcome, ServiceLine
from governance.services.cases import case_close
from governance.services.dispatch import dispatch_accept, dispatch_create, dispatch_feedback
from grids.models import EventCategory, EventStatus, GridEvent, GridStat, Tier
from grids.services import events as ev
from tests.factories import category
from tests.grids.helpers import in_state, reported


def _total(field):
    return sum(GridStat.objects.filter(dimension="total", period="day", scope__code="SF").values_list(field, flat=True))


def test_escalating_a_dispute_registers_one_mediation_case_at_the_village(gw, world):
    event = reported(gw, category=EventCategory.DISPUTE, dispute_category=category("neighbour"))
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    case = ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="双方分歧大，网格调解不成")
    event.refresh_from_db()
    assert Case.objects.count() == 1
    assert event.case == case
    assert (event.status, event.tier) == (EventStatus.ESCALATED, Tier.VILLAGE)
    assert case.center == world.village
    assert case.channel == Channel.GRID_REPORT
    assert case.service_line == ServiceLine.MEDIATION
    assert case.category.key == "neighbour"
    assert case.first_handler == gw.worker_a
    assert case.number.startswith("SF-")
    assert f"网格事件 #{event.pk}" in case.summary
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["registered", "grid_escalated"]
    assert _total("escalated") == 1


def test_a_non_dispute_becomes_a_grid_line_case_with_category_other(gw, world):
    event = in_state(gw, world, EventStatus.ACCEPTED, category=EventCategory.PUBLIC_SECURITY)
    case = ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="需住建部门处置")
    assert (case.service_line, case.category.key) == (ServiceLine.GRID, "other")


def test_escalating_again_moves_up_without_a_second_case(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation")
    first_case = event.case
    again = ev.grid_event_escalate(actor=world.window_town, event=event, reason="村里协调不了")
    event.refresh_from_db()
    assert again == first_case
    assert event.tier == Tier.TOWNSHIP
    assert Case.objects.count() == 1
    assert _total("escalated") == 1  # counted once, when it left the grid
    messages = list(first_case.events.filter(kind="grid_escalated").values_list("message", flat=True))
    assert messages[1].startswith("网格事件提级至东乡镇综治中心（乡镇(街道)）")


def test_above_the_grid_only_the_tiers_staff_escalate(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation")
    for outsider in (gw.worker_a, gw.worker_b, gw.window_town2, world.outsider):
        with pytest.raises(Forbidden):
            ev.grid_event_escalate(actor=outsider, event=event, reason="再提级")
    event.refresh_from_db()
    assert event.tier == Tier.VILLAGE


def test_another_grids_worker_cannot_escalate_and_no_case_appears(gw, world):
    event = in_state(gw, world, EventStatus.ACCEPTED)
    with pytest.raises(Forbidden):
        ev.grid_event_escalate(actor=gw.worker_b, event=event, reason="提级")
    assert Case.objects.count() == 0
    assert GridEvent.objects.get(pk=event.pk).status == EventStatus.ACCEPTED


def test_escalation_needs_a_reason(gw, world):
    event = in_state(gw, world, EventStatus.ACCEPTED)
    with pytest.raises(InvalidInput) as refused:
        ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="  ")
    assert refused.value.errors == {"reason": ["请填写提级理由"]}
    assert Case.objects.count() == 0


def test_the_case_is_dispatched_and_closed_with_the_core_and_the_event_follows(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation", category=EventCategory.DISPUTE)
    case = event.case
    dispatch = dispatch_create(actor=world.window, case=case, department=world.labour)
    dispatch_accept(actor=world.liaison, dispatch=dispatch)
    dispatch_feedback(actor=world.liaison, dispatch=dispatch, result="已调解", resolved=True)
    assert GridEvent.objects.get(pk=event.pk).status == EventStatus.ESCALATED
    case_close(actor=world.window, case=case, outcome=Outcome.RESOLVED, note="调解成功")
    event.refresh_from_db()
    assert event.status == EventStatus.ESCALATED_CLOSED
    assert event.escalated_closed_at == Case.objects.get(pk=case.pk).closed_at
    assert event.resolved is True
    assert (_total("escalated_closed"), _total("disputes_resolved")) == (1, 1)
    assert Notification.objects.filter(recipient=gw.worker_a, kind="grid_escalated_closed").count() == 1
    ev.grid_event_feedback(actor=gw.worker_a, event=event, note="已向双方反馈")
    assert CaseEvent.objects.filter(case=case, kind="grid_fed_back").count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_a_case_closed_unresolved_counts_closed_but_not_resolved(gw, world):
    event = in_state(gw, world, EventStatus.ESCALATED, via="escalation", category=EventCategory.DISPUTE)
    case_close(actor=world.window, case=event.case, outcome=Outcome.LITIGATION, note="转诉讼")
    event.refresh_from_db()
    assert (event.status, event.resolved) == (EventStatus.ESCALATED_CLOSED, False)
    assert (_total("escalated_closed"), _total("disputes_resolved")) == (1, 0)


def test_closing_an_ordinary_case_touches_no_grid_event(gw, world):
    from governance.services.cases import case_register

    case = case_register(
        actor=world.window,
        center=world.county,
        channel=Channel.WALK_IN,
        service_line=ServiceLine.MEDIATION,
        category=category("labour"),
        risk_level="blue",
        summary="欠薪",
    )
    case_close(actor=world.window, case=case, outcome=Outcome.RESOLVED)
    assert GridEvent.objects.count() == 0
    assert _total("escalated_closed") == 0
