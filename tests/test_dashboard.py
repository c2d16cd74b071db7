"""The leader's figures: exact values for a ledger whose totals are known, every rate with its
numerator and denominator, and the rollups equal to direct counts of the ledger. The same test runs
on SQLite and PostgreSQL (.ci/run runs this file on both): the numbers must be the same."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Case, Deadline, Dispatch
from governance.selectors.dashboard import dashboard_summary, ledger_counts, summary_matches_ledger
from governance.services import dispatch as dispatch_services
from governance.services.deadlines import deadlines_sweep
from governance.services.stats import stats_rebuild


def post(client, path, body=None):
    response = client.post(path, body or {}, format="json")
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.fixture
def ledger(world, api, register):
    """Four cases and two visits with known outcomes (see the assertions)."""
    window, liaison = api(world.window), api(world.liaison)
    a = register(world.window, summary="A")  # labour, walk-in, mediation, yellow
    b = register(world.window, summary="B", category="neighbour", channel="hotline", risk_level="blue")
    c = register(
        world.window,
        summary="C",
        category="land_forest",
        channel="grid_report",
        service_line="grid",
        risk_level="red",
        center=world.village.pk,
        headcount=3,
    )
    # A: dispatched, accepted and fed back on time, closed resolved, followed up satisfied
    da = post(window, f"/api/cases/{a['id']}/dispatch/", {"department": world.labour.pk})
    post(liaison, f"/api/dispatches/{da['id']}/accept/")
    post(liaison, f"/api/dispatches/{da['id']}/feedback/", {"result": "工资已付", "resolved": True})
    post(window, f"/api/cases/{a['id']}/close/", {"outcome": "resolved"})
    post(window, f"/api/cases/{a['id']}/follow-up/", {"satisfaction": "satisfied"})
    # B: dispatched to 住建局, nobody responds in time; accepted late; never fed back
    db = post(window, f"/api/cases/{b['id']}/dispatch/", {"department": world.housing.pk})
    response_due = Deadline.objects.get(pk=db["response_deadline"]["id"]).due_at
    deadlines_sweep(now=response_due + timedelta(minutes=1))
    dispatch_services.dispatch_accept(
        actor=world.liaison_b, dispatch=Dispatch.objects.get(pk=db["id"]), at=response_due + timedelta(minutes=30)
    )
    feedback_due = Dispatch.objects.get(pk=db["id"]).feedback_deadline.due_at
    deadlines_sweep(now=feedback_due + timedelta(minutes=1))
    # C: closed at the window, withdrawn
    post(window, f"/api/cases/{c['id']}/close/", {"outcome": "withdrawn"})
    # D: a collective visit of six with a petition matter; and a one-person consultation
    post(
        window,
        "/api/visits/",
        {
            "visitors": [{"name": "代表甲", "phone": "13900000001"}],
            "headcount": 6,
            "matter": {
                "service_line": "petition",
                "category": "land_requisition",
                "risk_level": "red",
                "summary": "D 征地补偿",
            },
        },
    )
    post(window, "/api/visits/", {"visitors": [{"name": "咨询人"}]})
    return {"A": a, "B": b, "C": c}


def test_county_summary(world, api, ledger):
    s = api(world.leader).get("/api/dashboard/summary/").json()
    assert s["center"] == {"id": world.county.pk, "name": "示范县综治中心"}
    assert (s["visits"], s["persons"], s["collective_visits"], s["collective_persons"]) == (2, 7, 1, 6)
    assert (s["individual_visits"], s["individual_persons"]) == (1, 1)
    assert (s["cases"], s["closed"], s["resolved"], s["case_persons"]) == (4, 2, 1, 2 + 2 + 3 + 6)
    assert s["closure_rate"] == 0.5
    assert s["closure_rate_basis"] == {"numerator": 2, "denominator": 4}
    assert s["resolution_rate"] == 0.25
    assert s["resolution_rate_basis"] == {"numerator": 1, "denominator": 4}
    assert (s["followed_up"], s["satisfied"], s["satisfaction_rate"]) == (1, 1, 1.0)
    d = s["dispatch"]
    assert d["total"] == 2
    assert (d["responded_on_time"], d["response_overdue"]) == (1, 1)
    assert (d["fed_back_on_time"], d["feedback_overdue"]) == (1, 1)
    assert d["response_on_time_rate"] == 0.5
    assert d["response_on_time_rate_basis"] == {"numerator": 1, "denominator": 2}
    assert d["feedback_on_time_rate"] == 0.5
    assert d["open_overdue"] == 1


def test_breakdowns(world, api, ledger):
    s = api(world.leader).get("/api/dashboard/summary/").json()
    channels = {r["key"]: r["cases"] for r in s["by_channel"]}
    assert channels == {
        "walk_in": 2,
        "hotline": 1,
        "grid_report": 1,
        "court_referral": 0,
        "police_referral": 0,
        "petition_referral": 0,
        "online": 0,
    }
    lines = {r["key"]: (r["cases"], r["closed"]) for r in s["by_service_line"] if r["cases"]}
    assert lines == {"mediation": (2, 1), "grid": (1, 1), "petition": (1, 0)}
    categories = {r["key"]: r["cases"] for r in s["by_category"]}
    assert categories == {"neighbour": 1, "land_forest": 1, "land_requisition": 1, "labour": 1}
    labour = next(r for r in s["by_category"] if r["key"] == "labour")
    assert (labour["label"], labour["resolution_rate"]) == ("劳动争议", 1.0)
    risk = {r["key"]: r["cases"] for r in s["by_risk_level"]}
    assert risk == {"red": 2, "yellow": 1, "blue": 1}
    league = [(r["name"], r["response_on_time_rate"], r["feedback_on_time_rate"]) for r in s["by_department"]]
    assert league == [("人社局", 1.0, 1.0), ("住建局", 0.0, 0.0)]


def test_subtree_and_date_range(world, api, ledger):
    town = api(world.leader).get(f"/api/dashboard/summary/?center={world.township.pk}").json()
    assert (town["cases"], town["closed"], town["resolved"], town["closure_rate"]) == (1, 1, 0, 1.0)
    assert town["dispatch"]["total"] == 0
    assert town["dispatch"]["response_on_time_rate"] is None
    assert town["dispatch"]["response_on_time_rate_basis"] == {"numerator": 0, "denominator": 0}
    long_ago = api(world.leader).get("/api/dashboard/summary/?date_from=2020-01-01&date_to=2020-12-31").json()
    assert (long_ago["cases"], long_ago["visits"], long_ago["closure_rate"]) == (0, 0, None)
    today = timezone.localdate().isoformat()
    same = api(world.leader).get(f"/api/dashboard/summary/?date_from={today}&date_to={today}").json()
    assert same["cases"] == 4


def test_bad_date_range(world, api):
    response = api(world.leader).get("/api/dashboard/summary/?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 400
    assert response.json()["errors"]["date_from"] == ["起始日期不能晚于截止日期"]
    assert api(world.leader).get("/api/dashboard/summary/?date_from=soon").status_code == 400


def test_rollups_equal_direct_counts(world, ledger):
    window = {"date_from": timezone.localdate() - timedelta(days=1), "date_to": timezone.localdate()}
    for center in (world.county, world.township, world.village):
        assert (
            summary_matches_ledger(dashboard_summary(center=center, **window), ledger_counts(center=center, **window))
            == []
        )


def test_rebuilding_the_rollups_changes_nothing(world, ledger):
    window = {"center": world.county, "date_from": timezone.localdate(), "date_to": timezone.localdate()}
    before = dashboard_summary(**window)
    stats_rebuild()
    assert dashboard_summary(**window) == before
    assert Case.objects.count() == 4


def test_a_lines_figures_by_category_come_from_the_rollups(world, ledger):
    from governance.selectors.dashboard import line_by_category

    window = {"center": world.county, "date_from": timezone.localdate(), "date_to": timezone.localdate()}
    mediation = line_by_category(service_line="mediation", **window)
    assert {key: (f["cases"], f["closed"], f["resolved"]) for key, f in mediation.items()} == {
        "labour": (1, 1, 1),
        "neighbour": (1, 0, 0),
    }
    grid = line_by_category(service_line="grid", **window)
    assert (grid["land_forest"]["withdrawn"], grid["land_forest"]["closure_rate"]) == (1, 1.0)
    assert line_by_category(service_line="court_docking", **window) == {}
