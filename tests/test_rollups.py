"""The daily rollups are kept exactly in step with the ledger, in the same transaction as each
change: after every kind of change, every rollup row equals what `stats_rebuild` recomputes
from the ledger, and the dashboard equals direct counts — for the center where it happened and
for each of its ancestors."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from openpyxl import Workbook

from governance.models import CaseStat, Category, DeadlineStat, DispatchStat
from governance.selectors.dashboard import dashboard_summary, ledger_counts, summary_matches_ledger
from governance.services import cases as case_services
from governance.services import dispatch as dispatch_services
from governance.services.deadlines import deadlines_sweep
from governance.services.persons import PartyInput
from governance.services.stats import stats_rebuild
from intake.hotline import hotline_import
from intake.models import Visit, VisitStat
from intake.services import MatterInput, visit_register
from tests.factories import valid_id_number

ROLLUPS = {
    CaseStat: (
        ("scope_id", "day", "dimension", "key"),
        ("cases", "persons", "closed", "resolved", "followed_up", "satisfied"),
    ),
    DispatchStat: (("scope_id", "day", "department_id"), ("dispatched", "rejected", "fed_back", "resolved")),
    DeadlineStat: (("scope_id", "day", "kind", "department_id"), ("opened", "met", "breached", "cancelled")),
    VisitStat: (("scope_id", "day"), ("visits", "persons", "collective_visits", "collective_persons")),
}


def rollup_rows() -> dict:
    """Every rollup row as {(table, key): counters}, rows of zeros left out."""
    rows = {}
    for model, (keys, counters) in ROLLUPS.items():
        for values in model.objects.values_list(*keys, *counters):
            key, figures = values[: len(keys)], values[len(keys) :]
            if any(figures):
                rows[(model.__name__, *key)] = figures
    return rows


def assert_in_step(world, step: str) -> None:
    kept = rollup_rows()
    with transaction.atomic():
        stats_rebuild()
        rebuilt = rollup_rows()
        transaction.set_rollback(True)
    assert kept == rebuilt, f"after {step}: the rollups differ from a rebuild from the ledger"
    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    periods = [
        (today - timedelta(days=2), today),  # days only (day rows)
        (this_month, next_month - timedelta(days=1)),  # one whole month (its month row)
        (today - timedelta(days=75), today),  # days, whole months, then this month's days to today
        (today, today + timedelta(days=75)),  # this month's days from today, then whole months, days
    ]
    for date_from, date_to in periods:
        for center in (world.county, world.township, world.village):
            summary = dashboard_summary(center=center, date_from=date_from, date_to=date_to)
            direct = ledger_counts(center=center, date_from=date_from, date_to=date_to)
            assert summary_matches_ledger(summary, direct) == [], f"after {step}, at {center}, {date_from}–{date_to}"
    window = {"date_from": today - timedelta(days=2), "date_to": today}
    for center in (world.county, world.township, world.village):
        summary = dashboard_summary(center=center, **window)
        visits = Visit.objects.filter(
            center__in=center.subtree().values("pk"), visited_on__range=tuple(window.values())
        )
        counted = visits.aggregate(visits=Count("id"), persons=Sum("headcount"))
        assert (summary["visits"], summary["persons"]) == (counted["visits"], counted["persons"] or 0), step


def register(world, *, center=None, at=None, headcount=None):
    return case_services.case_register(
        actor=world.window,
        center=center or world.village,
        channel="walk_in",
        service_line="mediation",
        category=Category.objects.get(key="labour"),
        risk_level="yellow",
        summary="农民工被拖欠工资三个月",
        parties=[
            PartyInput(name="张三", id_number=valid_id_number(), phone="+8613812345678"),
            PartyInput(name="某建筑公司", role="respondent"),
        ],
        headcount=headcount,
        registered_at=at,
    )


def test_every_kind_of_change_keeps_the_rollups_in_step(world, tmp_path):
    assert_in_step(world, "nothing")

    case = register(world, headcount=3)
    assert_in_step(world, "register")

    first = dispatch_services.dispatch_create(actor=world.window, case=case, department=world.labour)
    assert_in_step(world, "dispatch")

    dispatch_services.dispatch_reject(actor=world.liaison, dispatch=first, reason="不属于本部门职责")
    assert_in_step(world, "reject")

    again = dispatch_services.dispatch_create(actor=world.window, case=case, department=world.housing)
    assert_in_step(world, "re-dispatch")

    dispatch_services.dispatch_accept(actor=world.liaison_b, dispatch=again)
    assert_in_step(world, "accept")

    assisting = dispatch_services.dispatch_create(actor=world.window, case=case, department=world.labour)
    dispatch_services.dispatch_accept(actor=world.liaison, dispatch=assisting)
    dispatch_services.dispatch_feedback(actor=world.liaison, dispatch=assisting, result="协助核实", resolved=False)
    dispatch_services.dispatch_feedback(actor=world.liaison_b, dispatch=again, result="双方达成协议", resolved=True)
    assert_in_step(world, "feedback")

    case_services.case_close(actor=world.window, case=case, outcome="resolved", note="调解成功")
    assert_in_step(world, "close")

    case_services.case_follow_up(actor=world.window, case=case, satisfaction="satisfied")
    assert_in_step(world, "follow-up")


def test_sweep_warnings_breaches_and_late_work_keep_the_rollups_in_step(world):
    three_hours_ago = timezone.now() - timedelta(hours=3)
    late = register(world, center=world.township, at=three_hours_ago)
    dispatch = dispatch_services.dispatch_create(
        actor=world.window, case=late, department=world.labour, at=three_hours_ago
    )
    soon = register(world)
    warned = dispatch_services.dispatch_create(
        actor=world.window, case=soon, department=world.housing, at=timezone.now() - timedelta(minutes=100)
    )
    report = deadlines_sweep()
    assert (len(report.warned), len(report.breached)) == (1, 1)
    assert_in_step(world, "sweep: a warning and a breach")

    dispatch_services.dispatch_accept(actor=world.liaison, dispatch=dispatch)  # late: stays breached
    dispatch_services.dispatch_accept(actor=world.liaison_b, dispatch=warned)  # warned, still in time
    assert_in_step(world, "accepting after the breach and after the warning")

    assert not deadlines_sweep().breached
    assert_in_step(world, "a second sweep")


def test_visits_keep_the_rollups_in_step(world):
    visitors = [PartyInput(name="王五", phone="+8613900001111")]
    visit_register(actor=world.window, center=world.village, visitors=visitors, headcount=6)
    assert_in_step(world, "a collective visit without a matter")

    matter = MatterInput(
        service_line="mediation", category=Category.objects.get(key="neighbour"), risk_level="blue", summary="排水纠纷"
    )
    visit_register(actor=world.window, center=world.township, visitors=visitors, matter=matter)
    assert_in_step(world, "a visit with a matter")


@pytest.mark.parametrize("tickets", [1, 5])
def test_a_hotline_import_keeps_the_rollups_in_step(world, tmp_path, tickets):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工单编号", "受理时间", "诉求人", "诉求内容", "联系电话", "承办中心", "纠纷类别"])
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    for i in range(tickets):
        center = ("SF0101", "SF01", "SF")[i % 3]
        sheet.append([f"GD{i}", now - timedelta(hours=i), f"来电人{i}", "欠薪", f"1381234{i:04d}", center, "劳动争议"])
    path = tmp_path / "tickets.xlsx"
    workbook.save(path)
    report = hotline_import(actor=world.window, source=path)
    assert report.created == tickets
    assert_in_step(world, f"importing {tickets} hotline tickets")
