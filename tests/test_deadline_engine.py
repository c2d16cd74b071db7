"""The one deadline engine: clock hours, calendar days and working days (with China's holidays and
adjusted workdays), SLA policies, extension and suspension."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from governance.calendar import compute_due
from governance.models import CalendarOverride, Case, CaseEvent, Deadline, DeadlineChange, SlaPolicy, TimeUnit
from governance.services import deadlines as engine
from governance.services.dispatch import FEEDBACK, RESPONSE

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


pytestmark = pytest.mark.django_db


def test_clock_hours_ignore_holidays():
    due = compute_due(at("2026-09-30 16:00"), TimeUnit.CLOCK_HOURS, 24)
    assert due.at == at("2026-10-01 16:00")
    assert due.unconfirmed is False


def test_working_days_skip_national_day_and_count_the_adjusted_saturday():
    # 10-01…10-07 are holidays; Saturday 10-10 is an adjusted workday (调休上班)
    due = compute_due(at("2026-09-30 10:00"), TimeUnit.WORKING_DAYS, 3)
    assert due.at == at("2026-10-11 00:00")  # 24:00 of Saturday 10-10
    assert due.unconfirmed is False


def test_working_days_skip_the_spring_festival():
    # 2026-02-15 … 02-23 is the Spring Festival holiday; 02-14 (Saturday) is an adjusted workday
    due = compute_due(at("2026-02-13 09:00"), TimeUnit.WORKING_DAYS, 2)
    assert due.at == at("2026-02-25 00:00")  # 02-14 (1), 02-24 (2)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-11-02 15:00", 15, "2026-11-18 00:00"),  # ordinary: ends 24:00 of 11-17
        ("2026-09-20 10:00", 15, "2026-10-09 00:00"),  # last day 10-05 is a holiday → 10-08
        ("2026-09-16 10:00", 15, "2026-10-09 00:00"),  # last day 10-01 → 10-08
        ("2026-11-06 23:59", 15, "2026-11-24 00:00"),  # last day Sat 11-21 (rest day) → Mon 11-23
    ],
)
def test_calendar_days_start_the_day_after_and_roll_off_holidays(start, days, due):
    assert compute_due(at(start), TimeUnit.CALENDAR_DAYS, days).at == at(due)


def test_unknown_year_falls_back_to_weekends_and_says_so():
    due = compute_due(at("2026-12-28 10:00"), TimeUnit.WORKING_DAYS, 5)
    # 12-29, 12-30, 12-31, 2027-01-01 (not known: counted as a Friday), 01-04
    assert due.at == at("2027-01-05 00:00")
    assert due.unconfirmed is True


def test_administrator_entries_confirm_an_unknown_year():
    CalendarOverride.objects.create(date="2027-01-01", is_workday=False, name="元旦")
    due = compute_due(at("2026-12-28 10:00"), TimeUnit.WORKING_DAYS, 5)
    assert due.at == at("2027-01-06 00:00")
    assert due.unconfirmed is False


def test_an_override_beats_the_library():
    CalendarOverride.objects.create(date="2026-11-04", is_workday=False, name="临时停工")
    due = compute_due(at("2026-11-02 10:00"), TimeUnit.WORKING_DAYS, 2)
    assert due.at == at("2026-11-06 00:00")  # 11-03 (1), 11-04 skipped, 11-05 (2)


@pytest.fixture
def timer(world):
    def start(kind=RESPONSE, when="2026-11-02 09:00", **kwargs):
        return engine.deadline_open(
            kind=kind, subject_id=kwargs.pop("subject_id", 1), center=world.county, start=at(when), **kwargs
        )

    return start


def test_defaults_are_two_hours_to_respond_and_a_day_to_feed_back(timer):
    response = timer()
    feedback = timer(kind=FEEDBACK)
    assert response.due_at == at("2026-11-02 11:00")
    assert response.warn_at == at("2026-11-02 10:30")  # 75 %
    assert feedback.due_at == at("2026-11-03 09:00")
    assert "2小时" in response.basis


def test_the_most_specific_sla_policy_wins(world, timer):
    SlaPolicy.objects.create(kind=RESPONSE, unit=TimeUnit.CLOCK_HOURS, amount=4)
    SlaPolicy.objects.create(kind=RESPONSE, center=world.county, risk_level="red", unit=TimeUnit.CLOCK_HOURS, amount=1)
    SlaPolicy.objects.create(kind=RESPONSE, center=world.township, unit=TimeUnit.WORKING_DAYS, amount=1, warn_ratio=0.5)
    assert timer(subject_id=1).due_at == at("2026-11-02 13:00")  # the global policy
    assert timer(subject_id=2, risk_level="red").due_at == at("2026-11-02 10:00")
    assert timer(subject_id=3, risk_level="blue").due_at == at("2026-11-02 13:00")
    village = engine.deadline_open(kind=RESPONSE, subject_id=4, center=world.village, start=at("2026-11-02 09:00"))
    assert village.due_at == at("2026-11-04 00:00")  # the township's rule reaches its villages
    assert village.unit == TimeUnit.WORKING_DAYS
    assert village.warn_at == at("2026-11-03 04:30")  # half of 39 hours


def test_extension_moves_the_due_time_and_is_recorded(world, timer, register):
    case = register(world.window)
    deadline = timer(kind=FEEDBACK, case=Case.objects.get(pk=case["id"]), unit=TimeUnit.CALENDAR_DAYS, amount=15)
    assert deadline.due_at == at("2026-11-18 00:00")
    engine.deadline_extend(
        deadline=deadline,
        amount=10,
        reason="案情复杂",
        approver=world.leader,
        actor=world.window,
        at=at("2026-11-10 10:00"),
    )
    deadline.refresh_from_db()
    assert deadline.due_at == at("2026-11-28 00:00")  # 11-17 + 10 = Fri 11-27, 24:00
    assert deadline.extensions == 1
    change = DeadlineChange.objects.get(deadline=deadline)
    assert (change.action, change.approver, change.reason) == ("extend", world.leader, "案情复杂")
    event = CaseEvent.objects.get(case_id=case["id"], kind="deadline_extended")
    assert "案情复杂" in event.message


def test_extension_needs_a_reason_and_an_open_timer(world, timer):
    deadline = timer()
    with pytest.raises(Exception, match="请填写延期理由"):
        engine.deadline_extend(deadline=deadline, amount=1, reason=" ", approver=None, actor=None)
    engine.deadline_complete(deadline=deadline, at=at("2026-11-02 10:00"))
    with pytest.raises(Exception, match="该时限已结束"):
        engine.deadline_extend(deadline=deadline, amount=1, reason="x", approver=None, actor=None)


def test_suspension_keeps_the_time_left(timer):
    deadline = timer()  # due 11:00
    engine.deadline_suspend(deadline=deadline, reason="鉴定", actor=None, at=at("2026-11-02 10:00"))
    deadline.refresh_from_db()
    assert deadline.due_at is None
    assert deadline.remaining_seconds == 3600
    # a sweep while suspended does nothing
    assert engine.deadlines_sweep(now=at("2026-11-09 00:00")).breached == []
    engine.deadline_resume(deadline=deadline, actor=None, at=at("2026-11-05 14:00"))
    deadline.refresh_from_db()
    assert deadline.due_at == at("2026-11-05 15:00")


def test_suspension_of_a_day_period_resumes_with_the_days_left(timer):
    deadline = timer(kind=FEEDBACK, unit=TimeUnit.CALENDAR_DAYS, amount=30, when="2026-11-02 09:00")
    assert deadline.due_at == at("2026-12-03 00:00")
    engine.deadline_suspend(deadline=deadline, reason="司法鉴定", actor=None, at=at("2026-11-12 09:00"))
    deadline.refresh_from_db()
    assert deadline.remaining_days == 20  # 11-13 … 12-02
    engine.deadline_resume(deadline=deadline, actor=None, at=at("2026-11-26 09:00"))
    deadline.refresh_from_db()
    assert deadline.due_at == at("2026-12-17 00:00")  # 11-26 + 20 days = 12-16, 24:00


def test_completing_late_is_a_breach(timer):
    deadline = timer()
    assert engine.deadline_complete(deadline=deadline, at=at("2026-11-02 11:30")) == "breached"
    deadline.refresh_from_db()
    assert (deadline.state, deadline.breached_at, deadline.escalated_at) == ("breached", at("2026-11-02 11:30"), None)


def test_cancel_counts_neither_way(timer):
    deadline = timer()
    engine.deadline_cancel(deadline=deadline, at=at("2026-11-02 10:00"))
    assert Deadline.objects.get(pk=deadline.pk).state == "cancelled"
