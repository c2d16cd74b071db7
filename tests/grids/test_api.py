"""The grid API: the verbs, their status codes and Chinese refusals; uploads; the schema."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Case, Channel, ServiceLine
from governance.services.cases import case_register
from grids.models import EventStatus, GridEvent
from tests.factories import category

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 100


def _report(api, user, grid, **extra):
    body = {"grid": grid.pk, "category": "dispute", "summary": "两户因排水沟发生争执", **extra}
    return api(user).post("/api/grids/events/", body, format="json")


def test_the_loop_through_the_api(gw, world, api):
    response = _report(
        api, gw.worker_a, gw.unit_a1a, place="1组", people_involved="张某、李某", dispute_category="neighbour"
    )
    assert response.status_code == 201, response.content
    event = response.json()
    assert (event["status"], event["status_label"], event["grid_name"]) == (
        "reported",
        "待审核",
        "东村第1网格1组第1联户",
    )
    assert event["deadline"]["kind"] == "grid.event.dispute"
    assert event["actions"] == ["attach"]  # the reporter may not review their own report
    url = f"/api/grids/events/{event['id']}/"
    assert api(gw.leader_a).get(url).json()["actions"] == ["review", "attach"]
    assert api(gw.leader_a).post(url + "review/", {"valid": True}, format="json").status_code == 200
    assert api(gw.worker_a).get(url).json()["actions"] == ["close-on-site", "escalate", "attach"]
    response = api(gw.worker_a).post(url + "escalate/", {"reason": "需村调委会调解"}, format="json")
    assert response.status_code == 201
    case = response.json()
    assert case["channel"] == "grid_report"
    assert case["service_line"] == "mediation"
    assert [e["kind"] for e in case["timeline"]] == ["registered", "grid_escalated"]
    # the next tier is the village center's (here: the township's staff, the village has none)
    again = api(world.window_town).post(url + "escalate/", {"reason": "乡镇协调"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == case["id"]
    assert Case.objects.count() == 1
    refused = api(gw.worker_a).post(url + "close-on-site/", {"result": "x"}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {"detail": "事件已提级，由上级办理", "code": "transition_not_allowed"}


def test_refusals_speak_chinese(gw, world, api):
    response = _report(api, gw.worker_a, gw.grid_a, category="weather")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "category" in response.json()["errors"]
    response = _report(api, gw.worker_a, gw.grid_a, category="livelihood", dispute_category="neighbour")
    assert response.status_code == 400
    assert response.json()["errors"] == {"dispute_category": ["只有矛盾纠纷事件需要选择纠纷类别"]}
    event_id = _report(api, gw.worker_a, gw.grid_a).json()["id"]
    response = api(gw.leader_a).post(f"/api/grids/events/{event_id}/review/", {"valid": False}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": ["请填写不予受理的理由"]}
    response = api(gw.worker_a).post(f"/api/grids/events/{event_id}/review/", {"valid": True}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有网格长或上级综治中心工作人员可以审核，且不能审核本人上报的事件"
    response = api(gw.worker_a).post(f"/api/grids/events/{event_id}/feedback/", {"note": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "事件当前为“待审核”，不能反馈"
    assert api(None).get("/api/grids/").status_code == 401


def test_photos_are_checked_by_content_and_size(gw, world, api):
    event_id = _report(api, gw.worker_a, gw.grid_a).json()["id"]
    url = f"/api/grids/events/{event_id}/attachments/"
    ok = api(gw.worker_a).post(url, {"file": SimpleUploadedFile("现场.jpg", JPEG, "image/jpeg")}, format="multipart")
    assert ok.status_code == 201, ok.content
    attachment = ok.json()["attachments"][0]
    assert attachment["content_type"] == "image/jpeg"
    assert attachment["url"].startswith("/grids/attachments/")
    fake = api(gw.worker_a).post(url, {"file": SimpleUploadedFile("x.jpg", b"MZ\x90\x00" * 10)}, format="multipart")
    assert fake.status_code == 400
    assert fake.json()["errors"] == {"file": ["文件内容与扩展名不符"]}
    exe = api(gw.worker_a).post(url, {"file": SimpleUploadedFile("x.exe", JPEG)}, format="multipart")
    assert exe.json()["errors"] == {"file": ["只能上传 jpg、png、webp、heic 照片或 pdf 文件"]}
    from governance.models import PolicySetting

    PolicySetting.objects.create(center=None, key="grids.attachment_max_mb", value=1)
    big = api(gw.worker_a).post(
        url, {"file": SimpleUploadedFile("big.jpg", JPEG + b"0" * (1024 * 1024))}, format="multipart"
    )
    assert big.json()["errors"] == {"file": ["文件不能超过 1 MB"]}
    other = api(gw.worker_b).post(url, {"file": SimpleUploadedFile("a.jpg", JPEG)}, format="multipart")
    assert other.status_code == 404
    assert GridEvent.objects.get(pk=event_id).attachments.count() == 1


def test_hotline_to_grid_through_the_api(gw, world, api):
    case = case_register(
        actor=world.window,
        center=world.county,
        channel=Channel.HOTLINE,
        service_line=ServiceLine.MEDIATION,
        category=category("neighbour"),
        risk_level="blue",
        summary="来电：邻里噪音纠纷",
        external_ref="12345-77",
    )
    body = {"case": case.pk, "grid": gw.grid_a.pk, "instructions": "请现场调处"}
    assert api(gw.window_town2).post("/api/grids/events/from-hotline/", body, format="json").status_code == 400
    response = api(world.window).post("/api/grids/events/from-hotline/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["source"], response.json()["status"]) == ("hotline", EventStatus.ACCEPTED)
    again = api(world.window).post("/api/grids/events/from-hotline/", body, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "该工单已派至网格"


def test_logs_weekly_reports_and_ratings_endpoints(gw, world, api):
    response = api(gw.worker_a).post(
        "/api/grids/logs/", {"grid": gw.grid_a.pk, "kind": "patrol", "note": "夜巡"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind_label"] == "巡查"
    week = api(gw.worker_a).get("/api/grids/weekly-reports/week/", {"grid": gw.grid_a.pk}).json()
    assert week["patrols"] == 1
    assert week["grid"]["name"] == "东村第1网格"
    submitted = api(gw.worker_a).post(
        "/api/grids/weekly-reports/",
        {"grid": gw.grid_a.pk, "week_start": week["week_start"], "note": "平稳"},
        format="json",
    )
    assert submitted.status_code == 201
    township = api(world.window_town).get("/api/grids/weekly-reports/week/", {"center": world.township.pk}).json()
    assert township["grids_submitted"] == 1
    assert api(gw.worker_a).get("/api/grids/weekly-reports/week/").status_code == 403
    from django.utils import timezone

    today = timezone.localdate()
    quarter = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    computed = api(world.admin).post("/api/grids/ratings/", quarter, format="json")
    assert computed.status_code == 201
    assert computed.json()["top_workers"][0]["name"] == "网格员甲"
    assert api(world.window).get("/api/grids/ratings/", quarter).status_code == 200
    assert api(gw.worker_a).get("/api/grids/ratings/", quarter).status_code == 403


def test_the_schema_lists_every_verb(db, api, world):
    schema = api(world.window).get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    for verb in ("review", "close-on-site", "escalate", "feedback", "attachments"):
        assert f"/api/grids/events/{{id}}/{verb}/" in paths
    assert {"/api/grids/", "/api/grids/stats/", "/api/grids/events/from-hotline/", "/api/grids/ratings/"} <= paths
