"""Registering matters on the one ledger, and reading them back."""

import re

import pytest

from governance.models import Case, CaseEvent, Person, PiiAccess
from tests.conftest import ZHANG_ID, case_body


def test_window_registers_a_case_with_two_parties(world, api):
    response = api(world.window).post("/api/cases/", case_body(), format="json")

    assert response.status_code == 201
    case = response.json()
    assert re.fullmatch(r"SF-\d{4}-000001", case["number"])
    assert case["status"] == "registered"
    assert case["center"] == world.county.pk
    assert case["first_handler"] == "window"
    assert [p["name"] for p in case["parties"]] == ["张三", "某建筑公司"]
    assert [p["role"] for p in case["parties"]] == ["applicant", "respondent"]
    stored = Case.objects.get(pk=case["id"])
    assert stored.first_handler == world.window
    assert list(CaseEvent.objects.filter(case=stored).values_list("kind", flat=True)) == ["registered"]


def test_id_number_fills_birth_date_and_sex(world, register):
    register(world.window)
    person = Person.objects.get(id_number=ZHANG_ID)
    assert str(person.birth_date) == "1949-12-31"
    assert person.sex == "female"
    assert str(person.phone) == "+8613812345678"


def test_numbers_count_up_per_county_and_year(world, register):
    first = register(world.window)["number"]
    second = register(world.window)["number"]
    town = register(world.window_town)["number"]  # townships share the county's sequence
    other = register(world.outsider)["number"]
    assert [first[-6:], second[-6:], town[-6:]] == ["000001", "000002", "000003"]
    assert other.startswith("LX-")
    assert other.endswith("-000001")


def test_returning_visitor_is_recognised_by_id_number(world, register):
    first = register(world.window)
    second = register(world.window, parties=[{"name": "张三", "id_number": ZHANG_ID.lower()}])
    assert first["parties"][0]["person"] == second["parties"][0]["person"]
    assert Person.objects.filter(id_number=ZHANG_ID).count() == 1


def test_returning_visitor_is_recognised_by_phone_and_name(world, register):
    first = register(world.window, parties=[{"name": "李四", "phone": "139 0000 1111"}])
    second = register(world.window, parties=[{"name": "李四", "phone": "13900001111"}])
    somebody_else = register(world.window, parties=[{"name": "李四妻", "phone": "13900001111"}])
    assert first["parties"][0]["person"] == second["parties"][0]["person"]
    assert somebody_else["parties"][0]["person"] != first["parties"][0]["person"]


def test_lists_mask_id_numbers_and_phones(world, api, register):
    register(world.window)
    row = api(world.window).get("/api/cases/").json()["results"][0]
    assert row["parties"][0]["id_number"] == "1101**********002X"
    assert row["parties"][0]["phone"] == "138****5678"


def test_case_page_shows_whole_numbers_and_audits_leaders(world, api, register):
    case = register(world.window)
    detail = api(world.leader).get(f"/api/cases/{case['id']}/").json()
    assert detail["parties"][0]["id_number"] == ZHANG_ID
    assert detail["parties"][0]["phone"] == "13812345678"
    assert detail["parties"][0]["birth_date"] == "1949-12-31"
    assert PiiAccess.objects.filter(user=world.leader, case_id=case["id"]).count() == 1


def test_window_views_are_not_audited_but_liaison_views_are(world, api, dispatched):
    case, _ = dispatched
    api(world.window).get(f"/api/cases/{case['id']}/")
    api(world.liaison).get(f"/api/cases/{case['id']}/")
    assert list(PiiAccess.objects.values_list("user__username", flat=True)) == ["liaison"]


def test_flags_and_collective_headcount_are_kept(world, register):
    case = register(world.window, flags=["mass_incident", "threat_upward"], headcount=30)
    assert case["flags"] == ["mass_incident", "threat_upward"]
    assert case["headcount"] == 30


def test_register_for_a_center_below(world, register):
    case = register(world.window, center=world.village.pk)
    assert case["center"] == world.village.pk
    assert case["center_name"] == "东村综治中心"


def test_detail_has_dispatches_and_timeline(world, api, dispatched):
    case, dispatch = dispatched
    detail = api(world.window).get(f"/api/cases/{case['id']}/").json()
    assert detail["status"] == "dispatched"
    assert [d["id"] for d in detail["dispatches"]] == [dispatch["id"]]
    assert [e["kind"] for e in detail["timeline"]] == ["registered", "dispatched"]
    assert detail["timeline"][1]["kind_label"] == "派单"
    assert "人社局" in detail["timeline"][1]["message"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=registered", {"A", "C"}),
        ("status=dispatched", {"B"}),
        ("channel=hotline", {"B"}),
        ("service_line=petition", {"C"}),
        ("category=neighbour", {"C"}),
        ("risk_level=red", {"A"}),
        ("search=王五", {"B"}),
        ("search=13700000000", {"C"}),
        ("search=137-0000-0000", {"C"}),
        ("search=nobody", set()),
    ],
)
def test_case_list_filters(world, api, register, query, expected):
    register(world.window, risk_level="red", summary="A")
    b = register(world.window, channel="hotline", summary="B", parties=[{"name": "王五"}])
    register(
        world.window,
        service_line="petition",
        category="neighbour",
        summary="C",
        parties=[{"name": "赵六", "phone": "13700000000"}],
    )
    api(world.window).post(f"/api/cases/{b['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    results = api(world.window).get(f"/api/cases/?{query}").json()["results"]
    assert {r["summary"] for r in results} == expected


def test_case_list_filters_by_center_subtree_and_dates(world, api, register):
    register(world.window, summary="county")
    register(world.window, summary="village", center=world.village.pk)
    by_township = api(world.window).get(f"/api/cases/?center={world.township.pk}").json()["results"]
    assert [r["summary"] for r in by_township] == ["village"]
    today = Case.objects.first().registered_on.isoformat()
    assert len(api(world.window).get(f"/api/cases/?created_after={today}").json()["results"]) == 2
    assert api(world.window).get("/api/cases/?created_before=2000-01-01").json()["results"] == []


def test_search_by_case_number_whole_or_prefix(world, api, register):
    register(world.window, summary="first")
    second = register(world.window, summary="second")
    results = api(world.window).get(f"/api/cases/?search={second['number']}").json()["results"]
    assert [r["summary"] for r in results] == ["second"]
    year_prefix = second["number"][:7].lower()  # "sf-2026": case-insensitive
    results = api(world.window).get(f"/api/cases/?search={year_prefix}").json()["results"]
    assert [r["summary"] for r in results] == ["second", "first"]


def test_case_list_is_paginated_newest_first(world, api, register):
    for n in range(3):
        register(world.window, summary=f"case {n}")
    page = api(world.window).get("/api/cases/?page_size=2").json()
    assert [r["summary"] for r in page["results"]] == ["case 2", "case 1"]
    following = api(world.window).get(page["next"]).json()
    assert [r["summary"] for r in following["results"]] == ["case 0"]
    assert following["next"] is None


def test_overdue_filter_lists_cases_with_a_breached_open_timer(world, api, register):
    from datetime import timedelta

    from governance.models import Deadline
    from governance.services.deadlines import deadlines_sweep

    late = register(world.window, summary="late")
    register(world.window, summary="fine")
    api(world.window).post(f"/api/cases/{late['id']}/dispatch/", {"department": world.labour.pk}, format="json")
    assert api(world.window).get("/api/cases/?overdue=true").json()["results"] == []
    deadlines_sweep(now=Deadline.objects.get().due_at + timedelta(minutes=1))
    assert [c["summary"] for c in api(world.window).get("/api/cases/?overdue=true").json()["results"]] == ["late"]
    assert [c["summary"] for c in api(world.window).get("/api/cases/?overdue=false").json()["results"]] == ["fine"]
    # and the list's own flag says which is which
    listed = {c["summary"]: c["overdue"] for c in api(world.window).get("/api/cases/").json()["results"]}
    assert listed == {"late": True, "fine": False}
