"""Grid event time limits on the shared engine: a limit per event type (SLA policies per type), the
reminder, the yellow card at the limit and the red card after it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from governance.models import Deadline, DeadlineState, Notification, PolicySetting, SlaPolicy, TimeUnit
from governance.services.deadlines import deadlines_sweep
from grids.models import EventCategory, EventStatus, GridEvent, GridStat, Supervision
from grids.services import events as ev
from tests.grids.helpers import reported

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def _overdue():
    return GridStat.objects.get(scope__code="SF", dimension="total", period="day").overdue


def _recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.mark.parametrize(
    ("category", "reported_at", "unit", "amount", "due"),
    [
        # 2 clock hours, holidays or not (National Day)
        (EventCategory.EMERGENCY, at(2026, 10, 1, 9), TimeUnit.CLOCK_HOURS, 2, at(2026, 10, 1, 11)),
        (EventCategory.PUBLIC_SECURITY, at(2026, 10, 1, 9), TimeUnit.CLOCK_HOURS, 24, at(2026, 10, 2, 9)),
        # 3 calendar days from Tue 29 Sep: the third day (2 Oct) is a holiday → the next working day, 8 Oct, 24:00
        (EventCategory.DISPUTE, at(2026, 9, 29, 10), TimeUnit.CALENDAR_DAYS, 3, at(2026, 10, 9, 0)),
        # 5 working days from Wed 30 Sep: 8, 9, 10 (the adjusted Saturday), 12, 13 Oct → 13 Oct 24:00
        (EventCategory.LIVELIHOOD, at(2026, 9, 30, 10), TimeUnit.WORKING_DAYS, 5, at(2026, 10, 14, 0)),
        (EventCategory.SPECIAL_GROUPS, at(2026, 9, 30, 10), TimeUnit.WORKING_DAYS, 3, at(2026, 10, 11, 0)),
    ],
)
def test_each_type_has_its_own_limit(gw, category, reported_at, unit, amount, due):
    event = reported(gw, category=category, reported_at=reported_at)
    deadline = event.deadline
    assert deadline.kind == f"grid.event.{category}"
    assert (deadline.unit, deadline.amount, deadline.due_at) == (unit, amount, due)
    assert deadline.subject_id == event.pk
    assert deadline.center == gw.village


def test_an_sla_policy_per_type_overrides_the_default_for_its_subtree(gw, world):
    SlaPolicy.objects.create(
        kind="grid.event.dispute", center=world.township, unit=TimeUnit.CLOCK_HOURS, amount=48, basis="乡镇规定"
    )
    here = reported(gw, category=EventCategory.DISPUTE, reported_at=at(2026, 9, 29, 10))
    assert (here.deadline.unit, here.deadline.amount, here.deadline.basis) == (TimeUnit.CLOCK_HOURS, 48, "乡镇规定")
    elsewhere = reported(gw, category=EventCategory.DISPUTE, grid=gw.grid_c, actor=gw.worker_c)
    assert elsewhere.deadline.unit == TimeUnit.CALENDAR_DAYS  # another township keeps the default
    other_type = reported(gw, category=EventCategory.EMERGENCY)
    assert other_type.deadline.amount == 2


def test_reminder_then_yellow_then_red(gw, world):
    start = at(2026, 11, 2, 9)  # emergency: 2 hours
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)

    deadlines_sweep(now=start + timedelta(minutes=91))  # 75 % of 2 h
    event.refresh_from_db()
    assert event.supervision == Supervision.REMINDED
    assert _recipients("grid_reminded") == {"worker_a"}

    deadlines_sweep(now=start + timedelta(hours=2, minutes=1))
    event.refresh_from_db()
    assert event.supervision == Supervision.YELLOW
    assert Deadline.objects.get(pk=event.deadline_id).state == DeadlineState.BREACHED
    assert _overdue() == 1
    # the village has no staff of its own: its township's staff are told
    assert _recipients("grid_yellow") == {"worker_a", "window_town"}
    red = event.red_deadline
    assert (red.kind, red.unit, red.amount, red.state) == ("grid.event.red", TimeUnit.CLOCK_HOURS, 2, "open")
    assert red.started_at == start + timedelta(hours=2, minutes=1)

    deadlines_sweep(now=start + timedelta(hours=3))  # nothing new before the red limit
    assert Notification.objects.filter(kind="grid_red").count() == 0
    deadlines_sweep(now=start + timedelta(hours=4, minutes=2))
    event.refresh_from_db()
    assert event.supervision == Supervision.RED
    # the township has no leader of its own: the county's leader and administrator are told
    assert _recipients("grid_red") >= {"leader", "admin", "window_town", "worker_a"}
    assert _overdue() == 1  # red is a level of supervision, not a second overdue event

    ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="险情已排除", at=start + timedelta(hours=5))
    event.refresh_from_db()
    assert Deadline.objects.get(pk=event.red_deadline_id).completed_at == start + timedelta(hours=5)
    assert _overdue() == 1


def test_handled_between_yellow_and_red_no_red_card(gw):
    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    deadlines_sweep(now=start + timedelta(hours=2, minutes=1))
    ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="已处置", at=start + timedelta(hours=3))
    deadlines_sweep(now=start + timedelta(hours=9))
    event.refresh_from_db()
    assert event.supervision == Supervision.YELLOW
    assert Deadline.objects.get(pk=event.red_deadline_id).state == DeadlineState.MET
    assert Notification.objects.filter(kind="grid_red").count() == 0


def test_done_late_before_the_sweep_noticed_counts_overdue_once(gw):
    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    ev.grid_event_close_on_site(
        actor=gw.worker_a, event=event, result="已处置", at=start + timedelta(hours=2, seconds=30)
    )
    assert Deadline.objects.get(pk=event.deadline_id).state == DeadlineState.BREACHED
    assert _overdue() == 1
    deadlines_sweep(now=start + timedelta(hours=8))
    assert _overdue() == 1
    assert GridEvent.objects.get(pk=event.pk).red_deadline_id is None


def test_done_in_time_is_met_and_not_overdue(gw):
    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.DISPUTE, reported_at=start)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="提级", at=start + timedelta(hours=5))
    assert Deadline.objects.get(pk=event.deadline_id).state == DeadlineState.MET
    assert _overdue() == 0


def test_an_invalid_report_cancels_its_timer(gw):
    event = reported(gw, category=EventCategory.EMERGENCY)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=False, note="重复上报")
    assert Deadline.objects.get(pk=event.deadline_id).state == DeadlineState.CANCELLED
    deadlines_sweep(now=event.reported_at + timedelta(days=1))
    assert GridEvent.objects.get(pk=event.pk).supervision == Supervision.NONE
    assert _overdue() == 0


def test_the_red_card_comes_sooner_with_a_smaller_ratio(gw, world):
    PolicySetting.objects.create(center=world.county, key="grids.red_card_ratio", value=0.5)
    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    deadlines_sweep(now=start + timedelta(hours=2, minutes=1))
    event.refresh_from_db()
    assert event.red_deadline.amount == 1
    assert event.status == EventStatus.REPORTED  # a report left unreviewed is just as late


def test_an_extension_on_the_shared_engine_moves_the_yellow_card(gw, world):
    from governance.services.deadlines import deadline_extend

    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    deadline_extend(deadline=event.deadline, amount=3, reason="等待电力部门", approver=world.leader, actor=world.window)
    deadlines_sweep(now=start + timedelta(hours=2, minutes=1))
    event.refresh_from_db()
    assert event.supervision != Supervision.YELLOW
    deadlines_sweep(now=start + timedelta(hours=5, minutes=1))
    event.refresh_from_db()
    assert event.supervision == Supervision.YELLOW


def test_a_suspended_timer_gives_no_card_until_resumed(gw, world):
    from governance.services.deadlines import deadline_resume, deadline_suspend

    start = at(2026, 11, 2, 9)
    event = reported(gw, category=EventCategory.EMERGENCY, reported_at=start)
    deadline_suspend(
        deadline=event.deadline, reason="等待供电部门断电", actor=world.window, at=start + timedelta(hours=1)
    )
    deadlines_sweep(now=start + timedelta(hours=5))
    event.refresh_from_db()
    assert event.supervision == Supervision.NONE
    resumed = deadline_resume(deadline=event.deadline, actor=world.window, at=start + timedelta(hours=6))
    assert resumed.due_at == start + timedelta(hours=7)  # the hour that was left
    deadlines_sweep(now=start + timedelta(hours=7, minutes=1))
    event.refresh_from_db()
    assert event.supervision == Supervision.YELLOW
