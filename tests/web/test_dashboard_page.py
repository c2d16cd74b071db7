"""The leader dashboard: the summary's figures, each linked to its list; trends, breakdowns, the
league table, the watchlists; every registered section; filters for center and period."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import registry
from governance.models import Case, Deadline
from governance.services.dispatch import dispatch_create


@pytest.fixture
def extra_section(settings, tmp_path):
    """A section registered by "another app", with its template."""
    (tmp_path / "demo_section.html").write_text(
        '<section class="card"><h2>测试板块</h2><p id="demo-figures">{{ section.total }}|{{ center.name }}|'
        '{{ date_from|date:"Y-m-d" }}|{{ date_to|date:"Y-m-d" }}</p></section>',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    sections = registry._registry.dashboard_sections
    saved = dict(sections)
    sections["demo"] = registry.DashboardSection(
        key="demo", label="测试板块", compute=lambda center, a, b: {"total": 42}, template="demo_section.html"
    )
    sections["plain"] = registry.DashboardSection(key="plain", label="无模板板块", compute=lambda c, a, b: {"open": 7})
    sections["broken"] = registry.DashboardSection(
        key="broken", label="模板缺失板块", compute=lambda c, a, b: {"n": 3}, template="nowhere/missing.html"
    )
    yield
    sections.clear()
    sections.update(saved)


def test_the_dashboard_shows_the_periods_figures_with_links(world, web, register):
    for risk in ("red", "yellow", "blue"):
        register(world.window, risk_level=risk)
    case = Case.objects.get(risk_level="red")
    dispatch_create(actor=world.window, case=case, department=world.labour)
    page = web(world.leader).get("/dashboard/").content.decode()
    today = timezone.localdate()
    period = f"center={world.county.pk}&amp;created_after={today.year}-01-01&amp;created_before={today.isoformat()}"
    assert re.search(
        rf'<a class="kpi" href="/cases/\?{period}"><span class="kpi__label">受理事项</span>'
        r'<span class="kpi__value">3</span>',
        page,
    )
    assert "红色风险在办（当前）" in page
    assert case.number in page  # the watchlist
    assert f'href="/cases/?center={world.county.pk}&amp;risk_level=red&amp;is_open=true"' in page
    assert "人社局" in page  # the league table
    assert f"/dispatches/?center={world.county.pk}" in page
    assert "0 / 3" in page  # closure rate basis: 0 closed of 3
    assert 'data-chart="chart-monthly"' in page
    assert "/static/vendor/echarts/echarts.min.js" in page


def test_overdue_work_is_listed_and_counted(world, web, register):
    case = Case.objects.get(pk=register(world.window)["id"])
    dispatch = dispatch_create(actor=world.window, case=case, department=world.labour)
    Deadline.objects.filter(pk=dispatch.response_deadline_id).update(state="breached", breached_at=timezone.now())
    page = web(world.leader).get("/dashboard/").content.decode()
    assert "全部 1 项" in page
    assert "未签收" in page
    assert f'href="/dispatches/?center={world.county.pk}&amp;open_overdue=true"' in page


def test_every_registered_section_is_shown(world, web, extra_section):
    page = web(world.leader).get("/dashboard/?date_from=2026-01-01&date_to=2026-03-31").content.decode()
    assert '<p id="demo-figures">42|示范县综治中心|2026-01-01|2026-03-31</p>' in page
    assert "无模板板块" in page
    assert "模板缺失板块" in page  # a section whose template is not there yet still shows its figures


def test_the_center_filter_keeps_to_the_subtree(world, web, register):
    register(world.window)
    register(world.window_town, summary="乡镇的事项")
    client = web(world.leader)
    town = client.get(f"/dashboard/?center={world.township.pk}").content.decode()
    assert "东乡镇综治中心 ·" in town
    other = client.get(f"/dashboard/?center={world.other_county.pk}").content.decode()
    assert "示范县综治中心 ·" in other  # not theirs: the form refuses it, the leader's own center is shown
    assert "邻县综治中心 ·" not in other


def test_a_reversed_period_is_refused_next_to_the_field(world, web):
    page = web(world.leader).get("/dashboard/?date_from=2026-05-01&date_to=2026-04-01").content.decode()
    assert "起始日期不能晚于截止日期" in page


def test_the_dashboard_query_count_does_not_grow_with_the_data(world, web, register):
    for _ in range(5):
        case = Case.objects.get(pk=register(world.window)["id"])
        dispatch_create(actor=world.window, case=case, department=world.labour)
    client = web(world.leader)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    for _ in range(10):
        case = Case.objects.get(pk=register(world.window, risk_level="red")["id"])
        dispatch_create(actor=world.window, case=case, department=world.housing)
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/")
    assert len(small) <= 40
    assert len(large) == len(small)


def test_the_ledger_lists_what_was_closed_on_a_day_whenever_it_was_registered(world, web, register):
    from datetime import timedelta

    from governance.services.cases import case_close, case_register
    from tests.factories import category

    old = case_register(
        actor=world.window,
        center=world.county,
        channel="walk_in",
        service_line="mediation",
        category=category("labour"),
        risk_level="blue",
        summary="上月的事项",
        registered_at=timezone.now() - timedelta(days=40),
    )
    case_close(actor=world.window, case=old, outcome="resolved")
    fresh = register(world.window)
    today = timezone.localdate().isoformat()
    listed = web(world.leader).get(f"/cases/?closed_after={today}&closed_before={today}").content.decode()
    assert old.number in listed
    assert fresh["number"] not in listed
    assert "共 1 件" in listed
