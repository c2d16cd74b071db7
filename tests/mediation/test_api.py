"""The mediation API end to end: a dispute registered at the window, mediated to an agreement,
followed up and confirmed by the court; a court referral that fails and is filed; a legal-aid
application; errors in the one JSON shape; every step listed in the OpenAPI schema."""

from datetime import timedelta

from django.utils import timezone

from governance.models import CaseParty
from mediation.models import Mediator

ZHANG_ID = "11010519491231002X"


def _case(api, world, **overrides):
    body = {
        "channel": "walk_in",
        "service_line": "mediation",
        "category": "neighbour",
        "risk_level": "blue",
        "summary": "因排水问题与邻居发生纠纷",
        "parties": [
            {"name": "张三", "id_number": ZHANG_ID, "phone": "13812345678", "role": "applicant"},
            {"name": "李四", "role": "respondent"},
        ],
    }
    body.update(overrides)
    response = api(world.window).post("/api/cases/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_dispute_mediated_to_an_agreement_through_the_api(world, med, api):
    case = _case(api, world)
    window, mediator = api(world.window), api(med.mediator)
    profile = Mediator.objects.get(user=med.mediator)
    response = window.post(
        "/api/mediation/files/",
        {"case": case["id"], "committee": med.joint.pk, "mediator": profile.pk, "request": "请求对方修好排水沟"},
        format="json",
    )
    assert response.status_code == 201, response.content
    file = response.json()
    assert (file["status"], file["kind"], file["mediator_name"]) == ("applied", "people", profile.name)
    assert file["parties"][0]["id_number"] != ZHANG_ID  # masked

    for side in ("applicant", "respondent"):
        response = window.post(
            f"/api/mediation/files/{file['id']}/consent/",
            {"side": side, "agreed": True, "form": "written"},
            format="json",
        )
        assert response.status_code == 200, response.content
    response = mediator.post(f"/api/mediation/files/{file['id']}/accept/", format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "mediating"
    assert (body["deadline"]["kind"], body["deadline"]["amount"]) == ("mediation.period", 30)

    response = mediator.post(
        f"/api/mediation/files/{file['id']}/sessions/",
        {"kind": "session", "held_at": timezone.now().isoformat(), "place": "调解室", "record": "双方陈述意见"},
        format="json",
    )
    assert response.status_code == 201, response.content

    party_ids = {p["role"]: p["id"] for p in body["parties"]}
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    agreement = {
        "form": "written",
        "facts": "李四修建房屋堵塞排水沟，雨季积水浸泡张三院墙。",
        "parties": [
            {"case_party": party_ids["applicant"], "side": "applicant", "responsibility": "无", "signed": True},
            {"case_party": party_ids["respondent"], "side": "respondent", "responsibility": "恢复排水", "signed": True},
        ],
        "terms": [
            {"content": "李四疏通排水沟", "method": "自行施工", "due_on": due, "obligor": party_ids["respondent"]},
            {
                "content": "李四赔偿院墙修缮费800元",
                "method": "微信转账",
                "due_on": due,
                "obligor": party_ids["respondent"],
            },
        ],
        "sealed": True,
        "recorder": "王书记员",
        "confirmation_wanted": True,
    }
    response = mediator.post(f"/api/mediation/files/{file['id']}/agree/", agreement, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "agreed"
    assert body["case"]["status"] == "closed"
    assert body["case"]["outcome"] == "resolved"
    assert [t["order"] for t in body["agreement"]["terms"]] == [1, 2]
    assert body["agreement"]["window_deadline"]["kind"] == "mediation.confirmation_window"

    agreement_id = body["agreement"]["id"]
    first, second = (t["id"] for t in body["agreement"]["terms"])
    response = mediator.post(f"/api/mediation/terms/{first}/record/", {"status": "performed"}, format="json")
    assert response.status_code == 200, response.content
    response = window.post(
        f"/api/mediation/agreements/{agreement_id}/check/",
        {"method": "phone", "finding": "电话回访，赔偿款已付", "terms": [{"term": second, "status": "performed"}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["agreement"]["performance"] == "fully_performed"

    response = mediator.post(
        f"/api/mediation/agreements/{agreement_id}/confirmation/",
        {"court": "示范县人民法院", "joint": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    confirmation = response.json()["agreement"]["confirmation"]
    assert confirmation["status"] == "applied"
    response = window.post(
        f"/api/mediation/confirmations/{confirmation['id']}/accept/",
        {"court_case_number": "（2026）示0102民特3号"},
        format="json",
    )
    assert response.json()["ruling_deadline"]["amount"] == 15
    response = window.post(
        f"/api/mediation/confirmations/{confirmation['id']}/rule/", {"confirmed": True}, format="json"
    )
    assert response.json()["status"] == "confirmed"

    timeline = [e["kind"] for e in api(world.leader).get(f"/api/cases/{case['id']}/").json()["timeline"]]
    for kind in (
        "mediation_file_opened",
        "mediation_consent",
        "mediation_accepted",
        "mediation_session",
        "mediation_agreed",
        "closed",
        "agreement_term",
        "agreement_checked",
        "confirmation_applied",
        "confirmation_accepted",
        "confirmation_ruled",
    ):
        assert kind in timeline, kind


def test_a_court_referral_that_fails_goes_back_to_be_filed(world, med, api):
    window, studio = api(world.window), api(med.studio_mediator)
    response = window.post(
        "/api/mediation/referrals/",
        {
            "kind": "pre_litigation",
            "court": "示范县人民法院",
            "court_ref": "（2026）示0102民诉前调88号",
            "category": "contract",
            "summary": "原告诉请被告支付货款8万元",
            "parties": [{"name": "某商贸公司", "role": "applicant"}, {"name": "赵某", "role": "respondent"}],
            "committee": med.studio.pk,
            "parties_consented": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    referral = response.json()
    assert (referral["status"], referral["case"]["channel"]) == ("referred", "court_referral")
    response = studio.post(f"/api/mediation/referrals/{referral['id']}/sign/", {}, format="json")
    assert response.status_code == 200, response.content
    file_id = response.json()["file"]["id"]
    assert response.json()["file"]["deadline"]["kind"] == "mediation.pre_litigation"
    response = studio.post(
        f"/api/mediation/files/{file_id}/fail/", {"reason": "被告无力一次性支付", "routes": []}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["routes"] == ["litigation"]
    response = studio.post(
        f"/api/mediation/referrals/{referral['id']}/filed/", {"filing_number": "（2026）示0102民初301号"}, format="json"
    )
    assert response.json()["status"] == "filed"
    assert response.json()["case"]["outcome"] == "litigation"


def test_law_violations_come_back_as_400_and_409_in_chinese(world, med, api):
    case = _case(api, world)
    profile = Mediator.objects.get(user=med.mediator)
    file = (
        api(world.window)
        .post(
            "/api/mediation/files/",
            {"case": case["id"], "committee": med.joint.pk, "mediator": profile.pk},
            format="json",
        )
        .json()
    )
    response = api(med.mediator).post(f"/api/mediation/files/{file['id']}/accept/", format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "须双方当事人同意调解后方可受理（人民调解法第十七条）",
        "code": "transition_not_allowed",
    }
    response = api(world.window).post(
        f"/api/mediation/files/{file['id']}/consent/", {"side": "plaintiff", "agreed": True, "form": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"side", "form"}
    response = api(world.leader).post(f"/api/mediation/files/{file['id']}/accept/", format="json")
    assert response.status_code == 403
    response = api(world.window).post(
        "/api/mediation/files/", {"case": case["id"], "committee": med.other.pk, "mediator": profile.pk}, format="json"
    )
    assert response.status_code == 400
    assert "committee" in response.json()["errors"]


def test_a_legal_aid_application_through_the_api(world, api):
    window = api(world.window)
    response = window.post(
        "/api/mediation/legal/",
        {
            "kind": "legal_aid",
            "request": "申请法律援助追索劳动报酬",
            "category": "labour",
            "parties": [{"name": "张三", "id_number": ZHANG_ID, "role": "applicant"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    service = response.json()
    assert (service["status"], service["case"]["status"]) == ("applied", "registered")
    assert service["decision_deadline"]["amount"] == 7
    response = window.post(
        f"/api/mediation/legal/{service['id']}/accept/",
        {"agency": "示范县法律援助中心", "assignee": "刘律师", "reference": "示援字〔2026〕9号"},
        format="json",
    )
    assert response.json()["status"] == "accepted"
    response = window.post(
        f"/api/mediation/legal/{service['id']}/conclude/", {"outcome": "certificate_issued"}, format="json"
    )
    assert response.status_code == 400
    response = window.post(
        f"/api/mediation/legal/{service['id']}/conclude/", {"outcome": "aid_completed"}, format="json"
    )
    assert response.json()["case"]["status"] == "closed"
    assert api(world.outsider).get(f"/api/mediation/legal/{service['id']}/").status_code == 404


def test_every_step_is_in_the_openapi_schema(world, api):
    schema = api(world.window).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/mediation/files/",
        "/api/mediation/files/{id}/",
        "/api/mediation/files/{id}/consent/",
        "/api/mediation/files/{id}/accept/",
        "/api/mediation/files/{id}/refuse/",
        "/api/mediation/files/{id}/withdraw/",
        "/api/mediation/files/{id}/sessions/",
        "/api/mediation/files/{id}/reassign/",
        "/api/mediation/files/{id}/extend/",
        "/api/mediation/files/{id}/appraisal-start/",
        "/api/mediation/files/{id}/appraisal-end/",
        "/api/mediation/files/{id}/agree/",
        "/api/mediation/files/{id}/fail/",
        "/api/mediation/agreements/{id}/check/",
        "/api/mediation/agreements/{id}/confirmation/",
        "/api/mediation/terms/{id}/record/",
        "/api/mediation/confirmations/{id}/accept/",
        "/api/mediation/confirmations/{id}/not-accept/",
        "/api/mediation/confirmations/{id}/extend/",
        "/api/mediation/confirmations/{id}/rule/",
        "/api/mediation/confirmations/{id}/withdraw/",
        "/api/mediation/referrals/",
        "/api/mediation/referrals/{id}/sign/",
        "/api/mediation/referrals/{id}/return/",
        "/api/mediation/referrals/{id}/record/",
        "/api/mediation/referrals/{id}/filed/",
        "/api/mediation/referrals/{id}/conclude/",
        "/api/mediation/legal/",
        "/api/mediation/legal/{id}/accept/",
        "/api/mediation/legal/{id}/refuse/",
        "/api/mediation/legal/{id}/conclude/",
        "/api/mediation/legal/{id}/withdraw/",
        "/api/mediation/legal/{id}/extend/",
        "/api/mediation/legal/{id}/pause/",
        "/api/mediation/legal/{id}/resume/",
        "/api/mediation/committees/",
        "/api/mediation/mediators/",
        "/api/mediation/stats/",
        "/api/mediation/legal/stats/",
    ):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/mediation/stats/"]["get"]["parameters"]}
    assert {"center", "date_from", "date_to"} <= params


def test_the_mediator_list_shows_case_counts_and_success_rates(world, med, api, open_file):
    from mediation.services import files as file_svc
    from tests.mediation.conftest import agreement_input

    for _ in range(3):
        file = open_file()
        file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    failed = open_file()
    file_svc.file_fail(actor=med.mediator, file=failed, reason="分歧大", routes=["litigation"])
    open_file(accepted=False)
    rows = {
        row["name"]: row for row in api(world.window).get(f"/api/mediation/mediators/?committee={med.joint.pk}").json()
    }
    figures = rows["调解员mediator"]["figures"]
    assert (figures["files"], figures["accepted"], figures["agreed"], figures["failed"]) == (5, 4, 3, 1)
    assert figures["success_rate"] == 0.75
    assert figures["success_rate_basis"] == {"numerator": 3, "denominator": 4}
    assert rows["调解员chief"]["is_chief"] is True
    assert CaseParty.objects.exists()
