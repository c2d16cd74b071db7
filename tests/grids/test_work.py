"""Work logs, the daily-screening / weekly-report rhythm, quarterly ratings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from governance.exceptions import Forbidden, InvalidInput
from governance.models import PolicySetting
from grids.models import GridRating, GridStat, Household, LogKind, WeeklyReport, WorkerRating
from grids.selectors.reports import grid_week, township_week
from grids.services import logs, ratings, reports
from tests.grids.helpers import reported

TZ = ZoneInfo("Asia/Shanghai")


def test_a_worker_logs_their_own_field_work_in_their_grids(gw, world):
    household = Household.objects.create(grid=gw.unit_a1a, center=gw.village, address="1组1号", head_name="张三")
    log = logs.worklog_record(actor=gw.worker_a, grid=gw.grid_a, kind=LogKind.HOUSEHOLD_VISIT, household=household)
    assert (log.center, log.worker, log.households) == (gw.village, gw.worker_a, 1)
    row = GridStat.objects.get(scope=world.county, dimension="total", period="day")
    assert row.household_visits == 1
    for user in (gw.worker_b, world.window, world.leader):  # nobody logs for someone else's grid or for them
        with pytest.raises(Forbidden):
            logs.worklog_record(actor=user, grid=gw.grid_a, kind=LogKind.PATROL)
    with pytest.raises(InvalidInput, match="不在此网格"):
        logs.worklog_record(actor=gw.worker_b, grid=gw.grid_b, kind=LogKind.HOUSEHOLD_VISIT, household=household)
    with pytest.raises(InvalidInput, match="7天"):
        logs.worklog_record(
            actor=gw.worker_a, grid=gw.grid_a, kind=LogKind.PATROL, occurred_at=timezone.now() - timedelta(days=8)
        )
    with pytest.raises(InvalidInput, match="晚于当前"):
        logs.worklog_record(
            actor=gw.worker_a, grid=gw.grid_a, kind=LogKind.PATROL, occurred_at=timezone.now() + timedelta(hours=1)
        )
    assert GridStat.objects.get(scope=world.county, dimension="total", period="day").patrols == 0


def _week_of_work(gw, monday: date):
    for offset in range(5):  # screening every working day, visits on 3 of them
        at = datetime.combine(monday + timedelta(days=offset), datetime.min.time(), TZ) + timedelta(hours=17)
        logs.worklog_record(actor=gw.worker_a, grid=gw.grid_a, kind=LogKind.SCREENING, households=20, occurred_at=at)
        if offset < 3:
            logs.worklog_record(actor=gw.worker_a, grid=gw.unit_a1a, kind=LogKind.HOUSEHOLD_VISIT, occurred_at=at)


def _this_monday() -> date:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    # the logs may be back-dated a week at most: use last week unless it is late enough in this one
    return monday if today.weekday() >= 4 else monday - timedelta(days=7)


def test_the_grid_week_and_its_submission(gw, world):
    monday = _this_monday()
    _week_of_work(gw, monday)
    reported(gw, reported_at=datetime.combine(monday, datetime.min.time(), TZ) + timedelta(hours=10))
    week = grid_week(gw.grid_a, monday)
    assert (week["screening_days"], week["visit_days"], week["households_screened"]) == (5, 3, 100)
    assert (week["events"], week["open_events"]) == (1, 1)
    assert week["workers"] == [
        {"id": gw.worker_a.pk, "name": "网格员甲", "visit_days": 3, "min_visit_days": 4, "meets_minimum": False}
    ]
    report = reports.weekly_report_submit(actor=gw.worker_a, grid=gw.grid_a, week_start=monday, note="1户矛盾待跟进")
    assert report.figures["screening_days"] == 5
    assert report.center == gw.village
    again = reports.weekly_report_submit(actor=gw.worker_a, grid=gw.grid_a, week_start=monday, note="已更新")
    assert again.pk == report.pk
    assert WeeklyReport.objects.count() == 1
    with pytest.raises(InvalidInput, match="周一"):
        reports.weekly_report_submit(actor=gw.worker_a, grid=gw.grid_a, week_start=monday + timedelta(days=1))
    with pytest.raises(Forbidden):
        reports.weekly_report_submit(actor=gw.worker_b, grid=gw.grid_a, week_start=monday)


def test_the_policy_minimum_of_visit_days_is_local(gw, world):
    PolicySetting.objects.create(center=world.township, key="grids.min_visit_days_per_week", value=3)
    monday = _this_monday()
    _week_of_work(gw, monday)
    assert grid_week(gw.grid_a, monday)["workers"][0]["meets_minimum"] is True


def test_the_township_week_shows_who_reported(gw, world):
    monday = _this_monday()
    _week_of_work(gw, monday)
    reports.weekly_report_submit(actor=gw.worker_a, grid=gw.grid_a, week_start=monday, note="平稳")
    week = township_week(world.township, monday)
    rows = {row["name"]: row for row in week["grids"]}
    assert set(rows) == {"东村第1网格", "东村第2网格"}
    assert rows["东村第1网格"]["submitted"] is True
    assert rows["东村第1网格"]["screening_days"] == 5
    assert rows["东村第2网格"]["submitted"] is False
    assert (week["grids_submitted"], week["grids_total"], week["screenings"]) == (1, 2, 5)


def test_quarterly_ratings_are_transparent_and_follow_the_policy(gw, world):
    PolicySetting.objects.create(
        center=None,
        key="grids.score_weights",
        value={"events": 10, "closed_on_site": 5, "household_visits": 1, "overdue": -20},
    )
    PolicySetting.objects.create(center=None, key="grids.star_thresholds", value=[5, 10, 20, 40])
    q_day = timezone.localdate()
    year, quarter = q_day.year, (q_day.month - 1) // 3 + 1
    from grids.services import events as ev

    event = reported(gw)
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    ev.grid_event_close_on_site(actor=gw.worker_a, event=event, result="已办结")
    for _ in range(3):
        logs.worklog_record(actor=gw.worker_a, grid=gw.grid_a, kind=LogKind.HOUSEHOLD_VISIT)
    logs.worklog_record(actor=gw.worker_b, grid=gw.grid_b, kind=LogKind.HOUSEHOLD_VISIT)
    with pytest.raises(Forbidden):
        ratings.ratings_compute(actor=gw.worker_a, center=world.county, year=year, quarter=quarter)
    assert ratings.ratings_compute(actor=world.admin, center=world.county, year=year, quarter=quarter) == (3, 2)
    rows = {r.grid.name: r for r in GridRating.objects.filter(scope=world.county).select_related("grid")}
    a = rows["东村第1网格"]
    assert a.score == Decimal("18.00")
    assert a.stars == 3
    assert a.rank == 1
    assert a.breakdown["items"]["household_visits"] == {
        "label": "入户走访",
        "count": 3,
        "weight": 1,
        "points": "3.00",
    }
    assert a.breakdown["rule"]["star_thresholds"] == [5, 10, 20, 40]
    assert (rows["东村第2网格"].score, rows["东村第2网格"].stars) == (Decimal("1.00"), 1)
    top = list(WorkerRating.objects.filter(scope=world.county).order_by("rank").values_list("worker__username", "rank"))
    assert top == [("worker_a", 1), ("worker_b", 2)]
    # again: replaced, not duplicated
    ratings.ratings_compute(actor=world.leader, center=world.county, year=year, quarter=quarter)
    assert GridRating.objects.filter(scope=world.county).count() == 3


def test_a_quarter_that_has_not_started_is_refused(gw, world):
    with pytest.raises(InvalidInput, match="尚未开始"):
        ratings.ratings_compute(actor=world.admin, center=world.county, year=timezone.localdate().year + 1, quarter=1)
