"""Working days and due times.

Working days follow China's statutory holidays and adjusted workdays (调休) from the
maintained `chinesecalendar` package, with administrator overrides (`CalendarOverride`) taking
precedence. For a year the package does not know yet, and where no override covers a day, we
fall back to "weekends off" and mark the result as unconfirmed so the interface can show it —
never a silent failure (chinesecalendar raises NotImplementedError for such years).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

from governance.models import CalendarOverride, TimeUnit


@dataclass(frozen=True)
class Due:
    at: datetime
    unconfirmed: bool  # a day in a year without confirmed holiday data was involved


class WorkCalendar:
    """Answers "is this a working day?" for a window of dates with two small queries.

    A year the library does not know counts as confirmed once an administrator has entered its
    holidays (any override in that year: they copy the State Council's notice); otherwise its days
    fall back to weekends-off and `unconfirmed` is set so the deadline can say so."""

    def __init__(self, start: date, end: date):
        self.overrides = dict(
            CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
        )
        self.entered_years = set(
            CalendarOverride.objects.filter(date__year__in=range(start.year, end.year + 1)).values_list(
                "date__year", flat=True
            )
        )
        self.unconfirmed = False

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.entered_years:
                self.unconfirmed = True
            return day.weekday() < 5


def _end_of_day(day: date) -> datetime:
    """24:00 of `day` in local time, i.e. the start of the next day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def add_working_days(start_day: date, amount: int, calendar: WorkCalendar) -> date:
    """The `amount`-th working day after `start_day` (the start day itself is not counted)."""
    day = start_day
    counted = 0
    while counted < amount:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def next_workday_on_or_after(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def compute_due(start: datetime, unit: str, amount: int) -> Due:
    """When a timer of `amount` `unit`s started at `start` falls due.

    - clock hours: exactly `amount` hours later;
    - calendar days [民法典 201–203]: the start day is not counted; the period ends at 24:00 of
      its last day; a last day that is a statutory holiday or rest day moves to the next
      working day;
    - working days: weekends and statutory holidays excluded, adjusted workdays counted; ends at
      24:00 of the last working day.
    """
    if unit == TimeUnit.CLOCK_HOURS:
        return Due(start + timedelta(hours=amount), False)
    start_day = _local_day(start)
    window_end = start_day + timedelta(days=amount * 2 + 60)
    calendar = WorkCalendar(start_day, window_end)
    if unit == TimeUnit.CALENDAR_DAYS:
        last = next_workday_on_or_after(start_day + timedelta(days=amount), calendar)
    elif unit == TimeUnit.WORKING_DAYS:
        last = add_working_days(start_day, amount, calendar)
    else:
        raise ValueError(f"unknown time unit {unit!r}")
    return Due(_end_of_day(last), calendar.unconfirmed)


def extend_due(due_at: datetime, unit: str, amount: int) -> Due:
    """A due time pushed back by `amount` `unit`s (an approved extension counts from the old end)."""
    if unit == TimeUnit.CLOCK_HOURS:
        return Due(due_at + timedelta(hours=amount), False)
    # the old period ended at 24:00 of its last day: count on from that day
    return compute_due(due_at - timedelta(microseconds=1), unit, amount)


def remaining_days(now: datetime, due_at: datetime, unit: str) -> int:
    """Whole days (of the unit) left between now and the due time, at least 1."""
    today = _local_day(now)
    last_day = _local_day(due_at - timedelta(microseconds=1))
    if unit == TimeUnit.CALENDAR_DAYS:
        return max(1, (last_day - today).days)
    calendar = WorkCalendar(today, last_day)
    days = sum(1 for i in range(1, (last_day - today).days + 1) if calendar.is_workday(today + timedelta(days=i)))
    return max(1, days)


def warn_time(start: datetime, due_at: datetime, ratio: float) -> datetime:
    seconds = (due_at - start).total_seconds() * ratio
    return start + timedelta(seconds=math.floor(seconds))


def year_is_confirmed(year: int) -> bool:
    """True when the holiday library knows `year` or an administrator has entered overrides for it."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        return True
    except NotImplementedError:
        return CalendarOverride.objects.filter(date__year=year).exists()
