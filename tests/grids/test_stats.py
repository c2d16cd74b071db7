"""The grid figures: the rollup kept in step by the services equals direct counts of the ledger (and
its rebuild), and the stats endpoint reproduces Yumen's published grid figures, scaled down, from
events entered through the services."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from governance.models import Outcome
from governance.services.cases import case_close
from governance.services.deadlines import deadlines_sweep
from governance.services.stats import stats_rebuild
from grids.models import COUNTERS, EventCategory, GridStat, LogKind
from grids.selectors.figures import grid_dashboard_section, grid_ledger_counts, grid_totals
from grids.services import events as ev
from grids.services import hotline, logs
from tests.factories import category
from tests.grids.helpers import reported

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 11, 2, 9, tzinfo=TZ)
PERIOD = {"date_from": "2026-11-01", "date_to": "2026-11-30"}


def _mixed_ledger(gw, world):
    """A bit of everything, over two days and two townships."""
    events = []
    for i, cat in enumerate(EventCategory.values * 2):
        grid, actor = (
            (gw.grid_a, gw.worker_a),
            (gw.unit_a1a, gw.worker_a),
            (gw.grid_b, gw.worker_b),
            (gw.grid_c, gw.worker_c),
        )[i % 4]
        events.append(reported(gw, category=cat, grid=grid, actor=actor, reported_at=DAY + timedelta(hours=i)))
    reviewer = {gw.grid_c.pk: gw.window_town2}
    for i, event in enumerate(events):
        who = reviewer.get(event.grid_id, world.window_town)
        if i % 7 == 6:
            ev.grid_event_review(actor=who, event=event, valid=False, note="重复")
            continue
        if i % 5 == 4:
            continue  # left waiting for review
        ev.grid_event_review(actor=who, event=event, valid=True)
        worker = {gw.grid_b.pk: gw.worker_b, gw.grid_c.pk: gw.worker_c}.get(event.grid_id, gw.worker_a)
        if i % 6 == 5:
            ev.grid_event_escalate(actor=worker, event=event, reason="提级")
            event.refresh_from_db()
            if i % 4 == 1:
                case_close(actor=world.window, case=event.case, outcome=Outcome.RESOLVED)
                event.refresh_from_db()
                ev.grid_event_feedback(actor=worker, event=event, note="已反馈")
        else:
            ev.grid_event_close_on_site(actor=worker, event=event, result="已处置", resolved=i % 3 != 0)
            if i % 2:
                ev.grid_event_feedback(actor=worker, event=event, note="已反馈")
    deadlines_sweep(now=DAY + timedelta(days=20))  # whatever was left open is now overdue
    from governance.models import Case, Channel, ServiceLine
    from governance.services.cases import case_register

    ticket = case_register(
        actor=world.window,
        center=world.county,
        channel=Channel.HOTLINE,
        service_line=ServiceLine.MEDIATION,
        category=category("neighbour"),
        risk_level="blue",
        summary="噪音扰民",
        external_ref="12345-9",
    )
    hotline.hotline_assign_to_grid(actor=world.window, case=ticket, grid=gw.grid_b, at=DAY)
    for kind, n in ((LogKind.HOUSEHOLD_VISIT, 5), (LogKind.PATROL, 3), (LogKind.SCREENING, 2), (LogKind.KEY_PERSON, 1)):
        for _ in range(n):
            logs.worklog_record(actor=gw.worker_a, grid=gw.group_a1, kind=kind, households=12)
            logs.worklog_record(actor=gw.worker_c, grid=gw.grid_c, kind=kind, households=7)
    assert Case.objects.count() > 1


def test_the_rollup_equals_the_ledger_and_its_rebuild(gw, world):
    _mixed_ledger(gw, world)
    today = date.today()
    windows = [
        (date(2026, 1, 1), today + timedelta(days=1)),  # whole months, then this month's days
        (date(2026, 11, 2), date(2026, 11, 2)),  # one day
        (date(2026, 10, 15), date(2026, 12, 31)),  # edge days, then the whole months holding the data
    ]
    for center in (world.county, world.township, world.village, gw.township2, gw.village2, world.other_county):
        for date_from, date_to in windows:
            rolled = grid_totals(center, date_from, date_to)
            direct = grid_ledger_counts(center, date_from, date_to)
            assert {k: rolled[k] for k in direct} == direct, (center, date_from)
    county = grid_ledger_counts(world.county, date(2026, 1, 1), today)
    assert county["reported"] == 17
    assert county["invalid"] == 2
    assert county["hotline"] == 1
    assert county["overdue"] > 0
    assert county["escalated_closed"] > 0
    assert county["households_screened"] == 38

    def rows():
        return sorted(
            tuple(r.values())
            for r in GridStat.objects.values("scope_id", "dimension", "period", "day", "key", *COUNTERS)
        )

    kept = rows()
    stats_rebuild()
    assert rows() == kept


def test_per_grid_and_per_worker(gw, world, api):
    _mixed_ledger(gw, world)
    body = api(world.window).get("/api/grids/stats/", {"center": world.county.pk, **PERIOD}).json()
    per_grid = {row["name"]: row for row in body["per_grid"]}
    assert set(per_grid) == {"东村第1网格", "东村第2网格", "西村第1网格"}  # the top grids of the subtree
    a = per_grid["东村第1网格"]
    direct = grid_ledger_counts(world.village, date(2026, 11, 1), date(2026, 11, 30))
    b = per_grid["东村第2网格"]
    assert a["events"] + b["events"] == direct["events"]
    assert a["household_visits"] == 5
    assert b["household_visits"] == 0
    workers = {row["name"]: row for row in body["per_worker"]}
    assert workers["网格员甲"]["patrols"] == 3
    assert workers["网格员丙"]["patrols"] == 3
    assert sum(w["events"] for w in body["per_worker"]) == body["events"]
    drill = api(gw.worker_a).get("/api/grids/stats/", {"grid": gw.grid_a.pk, **PERIOD}).json()
    assert drill["events"] == a["events"]
    assert [row["name"] for row in drill["per_grid"]] == ["东村第1网格1组"]
    assert drill["per_grid"][0]["household_visits"] == 5


def _yumen_loop(gw, world, *, events: int, on_site: int, disputes: int, disputes_resolved: int):
    """`events` valid events of which `on_site` closed on site and the rest escalated, `disputes` of
    them disputes (closed on site), `disputes_resolved` of those resolved."""
    for i in range(events):
        dispute = i < disputes
        event = ev.grid_event_report(
            actor=gw.worker_a,
            grid=gw.grid_a,
            category=EventCategory.DISPUTE if dispute else EventCategory.PUBLIC_SECURITY,
            summary="排查发现",
            reported_at=DAY + timedelta(minutes=i),
        )
        ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
        if i < on_site:
            ev.grid_event_close_on_site(
                actor=gw.worker_a, event=event, result="现场办结", resolved=i < disputes_resolved or not dispute
            )
        else:
            ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="分流职能部门")


def test_yumen_closed_on_site_99_7_percent_and_disputes_98_4_percent(gw, world, api):
    # Yumen: 192,394 valid events, 192,004 closed on site (99.7 %), 390 diverted; disputes 1,846
    # found, 1,818 resolved (98.4 %); 360,000 household visits, 73,000 patrols, 16,600 key-person
    # records. Here the events at 1/580 (332, 331 on site), disputes at 1/30, logs at 1/1000.
    _yumen_loop(gw, world, events=332, on_site=331, disputes=62, disputes_resolved=61)
    for kind, n in ((LogKind.HOUSEHOLD_VISIT, 360), (LogKind.PATROL, 73), (LogKind.KEY_PERSON, 17)):
        for _ in range(n):
            logs.worklog_record(actor=gw.worker_a, grid=gw.grid_a, kind=kind)
    body = api(world.leader).get("/api/grids/stats/", {"center": world.county.pk, **PERIOD}).json()
    assert (body["events"], body["closed_on_site"], body["escalated"]) == (332, 331, 1)
    assert body["closed_on_site_rate_basis"] == {"numerator": 331, "denominator": 332}
    assert round(body["closed_on_site_rate"] * 100, 1) == 99.7
    assert (body["disputes"], body["disputes_resolved"]) == (62, 61)
    assert round(body["dispute_resolution_rate"] * 100, 1) == 98.4
    assert (body["household_visits"], body["patrols"], body["key_persons"]) == (360, 73, 17)


def test_yumen_diverted_65_closed_63_is_96_9_percent(gw, world, api):
    # Yumen: 390 events diverted to departments, 378 closed (96.9 %) — here 390/6 and 378/6.
    _yumen_loop(gw, world, events=65, on_site=0, disputes=0, disputes_resolved=0)
    from grids.models import GridEvent

    for event in GridEvent.objects.select_related("case").order_by("pk")[:63]:
        case_close(actor=world.window, case=event.case, outcome=Outcome.RESOLVED, note="职能部门办结")
    body = api(world.leader).get("/api/grids/stats/", {"center": world.county.pk, **PERIOD}).json()
    assert (body["escalated"], body["escalated_closed"]) == (65, 63)
    assert body["escalated_closure_rate_basis"] == {"numerator": 63, "denominator": 65}
    assert round(body["escalated_closure_rate"] * 100, 1) == 96.9
    assert body["closed_on_site"] == 0
    assert body["closed_on_site_rate"] == 0.0


def test_every_rate_has_its_basis_and_an_empty_period_divides_by_nothing(gw, world, api):
    body = api(world.leader).get("/api/grids/stats/", {"center": world.county.pk, **PERIOD}).json()
    rates = [k for k in body if k.endswith("_rate")]
    assert rates
    assert all(body[f"{k}_basis"] == {"numerator": 0, "denominator": 0} for k in rates)
    assert all(body[k] is None for k in rates)


def test_the_dashboard_section(gw, world):
    from governance import registry

    section = next(s for s in registry.dashboard_sections() if s.key == "grids")
    assert section.template == "grids/_dashboard_section.html"
    reported(gw, reported_at=DAY)
    figures = grid_dashboard_section(world.county, date(2026, 11, 1), date(2026, 11, 30))
    assert (figures["events"], figures["open_events"]) == (1, 1)
    assert figures["closed_on_site_rate_basis"] == {"numerator": 0, "denominator": 1}
