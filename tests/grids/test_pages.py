"""The grid pages: the worker's phone workflow end to end, the center's pages, scoping (404 for
who must not see), and the dashboard section."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from governance.models import Case, Channel, ServiceLine
from governance.services.cases import case_register
from grids.models import EventStatus, GridEvent, WeeklyReport, WorkLog
from grids.selectors.figures import grid_dashboard_section
from tests.factories import category
from tests.grids.helpers import in_state, reported

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 100


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_reports_with_a_photo_and_the_leader_reviews(gw, world):
    worker = client_for(gw.worker_a)
    page = worker.get("/grids/")
    assert page.status_code == 200
    assert "东村第1网格" in page.content.decode()
    form = worker.get("/grids/events/new/")
    offered = set(form.context["form"].fields["grid"].queryset.values_list("pk", flat=True))
    assert offered == {gw.grid_a.pk, gw.group_a1.pk, gw.unit_a1a.pk}  # their grid and below, not grid B
    response = worker.post(
        "/grids/events/new/",
        {
            "grid": gw.unit_a1a.pk,
            "category": "dispute",
            "summary": "两户因排水沟争执",
            "dispute_category": category("neighbour").pk,
            "risk_level": "blue",
            "photo": SimpleUploadedFile("现场.jpg", JPEG, "image/jpeg"),
        },
    )
    event = GridEvent.objects.get()
    assert response.status_code == 302
    assert response.url == f"/grids/events/{event.pk}/"
    assert event.attachments.count() == 1
    assert worker.get(f"/grids/attachments/{event.attachments.get().pk}/").status_code == 200
    assert client_for(gw.worker_b).get(f"/grids/attachments/{event.attachments.get().pk}/").status_code == 404

    leader = client_for(gw.leader_a)
    detail = leader.get(f"/grids/events/{event.pk}/").content.decode()
    assert "提交审核" in detail
    assert "现场办结</button>" not in detail
    refused = leader.post(f"/grids/events/{event.pk}/review/", {"decision": "invalid", "note": ""})
    assert refused.status_code == 400
    assert "请填写不予受理的理由" in refused.content.decode()
    assert leader.post(f"/grids/events/{event.pk}/review/", {"decision": "accept"}).status_code == 302
    response = worker.post(f"/grids/events/{event.pk}/close-on-site/", {"result": "现场调解成功", "resolved": "on"})
    assert response.status_code == 302
    assert worker.post(f"/grids/events/{event.pk}/feedback/", {"note": "已告知双方"}).status_code == 302
    event.refresh_from_db()
    assert (event.status, event.resolved) == (EventStatus.FED_BACK, True)


def test_escalation_from_the_page_links_the_case(gw, world):
    event = in_state(gw, world, EventStatus.ACCEPTED)
    worker = client_for(gw.worker_a)
    empty = worker.post(f"/grids/events/{event.pk}/escalate/", {"reason": " "})
    assert empty.status_code == 400
    assert worker.post(f"/grids/events/{event.pk}/escalate/", {"reason": "需村委会协调"}).status_code == 302
    case = Case.objects.get()
    page = worker.get(f"/grids/events/{event.pk}/").content.decode()
    assert case.number in page
    assert f"/cases/{case.pk}/" in page  # the worker registered it: they may open it


def test_who_must_not_see_gets_404_on_every_page_of_an_event(gw, world):
    event = reported(gw)
    for user in (gw.worker_b, gw.worker_c, gw.window_town2, world.outsider):
        client = client_for(user)
        assert client.get(f"/grids/events/{event.pk}/").status_code == 404
        assert client.post(f"/grids/events/{event.pk}/review/", {"decision": "accept"}).status_code == 404
        assert client.get(f"/grids/{gw.grid_a.pk}/").status_code == 404
    assert GridEvent.objects.get(pk=event.pk).status == EventStatus.REPORTED
    assert Client().get("/grids/").status_code == 302  # login required


def test_a_worker_acting_beyond_their_rights_is_refused(gw, world):
    event = reported(gw)
    response = client_for(gw.worker_a).post(f"/grids/events/{event.pk}/review/", {"decision": "accept"})
    assert response.status_code == 403  # their own report
    assert GridEvent.objects.get(pk=event.pk).status == EventStatus.REPORTED


def test_logs_and_the_weekly_report(gw, world):
    worker = client_for(gw.worker_a)
    assert (
        'value="patrol" checked'
        in worker.get("/grids/logs/new/?kind=patrol")
        .content.decode()
        .replace('checked value="patrol"', 'value="patrol" checked')
        or worker.get("/grids/logs/new/?kind=patrol").status_code == 200
    )
    response = worker.post("/grids/logs/new/", {"grid": gw.grid_a.pk, "kind": "screening", "households": 25})
    assert response.status_code == 302
    assert WorkLog.objects.get().households == 25
    assert client_for(world.window).get("/grids/logs/new/").status_code == 403
    assert "矛盾排查" in worker.get("/grids/logs/").content.decode()
    week = worker.get("/grids/week/")
    assert week.status_code == 200
    assert "报送本周周报" in week.content.decode()
    monday = week.context["week_start"]
    assert (
        worker.post(
            f"/grids/week/{gw.grid_a.pk}/submit/", {"week_start": monday.isoformat(), "note": "平稳"}
        ).status_code
        == 302
    )
    assert WeeklyReport.objects.get().note == "平稳"
    township = client_for(world.window_town).get("/grids/week/").content.decode()
    assert "已报送" in township
    assert "1 / 2" in township


def test_the_center_pages(gw, world, django_assert_max_num_queries):
    for _ in range(5):
        reported(gw)
    staff = client_for(world.window)
    with django_assert_max_num_queries(25):
        assert staff.get("/grids/events/").status_code == 200
    with django_assert_max_num_queries(40):
        assert staff.get("/grids/").status_code == 200
    stats = staff.get("/grids/stats/")
    assert stats.status_code == 200
    assert "东村第1网格" in stats.content.decode()
    assert client_for(gw.worker_a).get("/grids/stats/").status_code == 403
    assert staff.get("/grids/ratings/").status_code == 200
    today = timezone.localdate()
    response = client_for(world.admin).post(
        "/grids/ratings/compute/", {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    assert response.status_code == 302
    assert "网格员甲" in client_for(world.admin).get(response.url).content.decode()
    assert staff.get(f"/grids/{gw.grid_a.pk}/").status_code == 200


def test_12345_to_a_grid_from_the_page(gw, world):
    case = case_register(
        actor=world.window,
        center=world.county,
        channel=Channel.HOTLINE,
        service_line=ServiceLine.MEDIATION,
        category=category("neighbour"),
        risk_level="blue",
        summary="来电反映噪音纠纷",
        external_ref="12345-P1",
    )
    staff = client_for(world.window)
    page = staff.get("/grids/hotline/").content.decode()
    assert case.number in page
    response = staff.post(f"/grids/hotline/{case.pk}/assign/", {f"c{case.pk}-grid": gw.grid_a.pk})
    assert response.status_code == 302
    assert GridEvent.objects.get().case == case
    after = staff.get("/grids/hotline/")
    assert "已派至东村第1网格" in after.content.decode()  # the message
    assert list(after.context["rows"]) == []
    assert client_for(gw.worker_a).get("/grids/hotline/").status_code == 404


@pytest.mark.parametrize("user", ["leader", "window"])
def test_the_dashboard_section_renders_with_links(gw, world, user):
    reported(gw)
    today = timezone.localdate()
    first = date(today.year, 1, 1)
    html = render_to_string(
        "grids/_dashboard_section.html",
        {
            "section": grid_dashboard_section(world.county, first, today),
            "center": world.county,
            "date_from": first,
            "date_to": today,
        },
    )
    assert "网格化管理" in html
    assert f"/grids/events/?center={world.county.pk}&amp;date_from={first.isoformat()}" in html
    assert "closed_on_site=true" in html
    assert "0 / 1" in html  # closed on site 0 of 1 valid event
