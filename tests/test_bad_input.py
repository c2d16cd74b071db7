"""Bad input gets a 400 with a field message (Chinese first) and leaves nothing half written."""

import pytest
from stdnum.cn import ric

from governance.models import Case, CaseEvent, CaseParty, CaseStat, Person
from tests.conftest import ZHANG_ID, case_body

BAD_DATE = "11010519491331002" + ric.calc_check_digit("110105194913310020")  # 13th month, right check digit


def nothing_written():
    return (
        Case.objects.count() == 0
        and Person.objects.count() == 0
        and CaseParty.objects.count() == 0
        and CaseEvent.objects.count() == 0
        and CaseStat.objects.count() == 0
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"parties": [{"name": "张三", "id_number": ZHANG_ID[:-1] + "1"}]},
            "id_number",
            "身份证号码校验位错误，请核对",
        ),
        ({"parties": [{"name": "张三", "id_number": "1101051949"}]}, "id_number", "身份证号码应为18位"),
        ({"parties": [{"name": "张三", "id_number": BAD_DATE}]}, "id_number", "身份证号码中的出生日期无效"),
        (
            {"parties": [{"name": "张三", "phone": "12345"}]},
            "phone",
            "电话号码无效，请输入11位手机号或带区号的固定电话",
        ),
    ],
)
def test_bad_party_details(world, api, change, field, message):
    response = api(world.window).post("/api/cases/", case_body(**change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "输入有误，请检查标出的字段"
    party_errors = body["errors"]["parties"]
    first = party_errors["0"] if isinstance(party_errors, dict) else party_errors[0]
    assert first[field] == [message]
    assert nothing_written()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"category": "astrology"}, "category", "未知的纠纷类别：astrology"),
        ({"risk_level": "purple"}, "risk_level", "“purple” 不是合法选项。"),
        ({"channel": "pigeon"}, "channel", "“pigeon” 不是合法选项。"),
        ({"headcount": -3}, "headcount", "请确保该值大于或者等于 1。"),
        ({"headcount": "many"}, "headcount", "请填写合法的整数值。"),
        ({"summary": "纠" * 2001}, "summary", "请确保这个字段不能超过 2000 个字符。"),
        ({"summary": ""}, "summary", "该字段不能为空。"),
        ({"parties": []}, "parties", "该字段必须包含至少 1 个元素。"),
        ({"flags": ["ufo"]}, "flags", None),
        ({"center": 999999}, "center", None),
    ],
)
def test_bad_case_fields(world, api, change, field, message):
    response = api(world.window).post("/api/cases/", case_body(**change), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert message in str(errors[field])
    assert nothing_written()


def test_missing_fields_are_each_named(world, api):
    response = api(world.window).post("/api/cases/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"channel", "service_line", "category", "risk_level", "summary", "parties"}
    assert response.json()["errors"]["channel"] == ["该字段是必填项。"]


def test_malformed_json(world, api):
    response = api(world.window).post("/api/cases/", '{"channel": "walk_in",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("请求内容不是有效的 JSON")
    assert nothing_written()


def test_center_outside_the_users_subtree_is_refused(world, api):
    response = api(world.window_town).post("/api/cases/", case_body(center=world.county.pk), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["center"] == ["中心不存在或不在您的管辖范围内"]
    assert nothing_written()


def test_errors_in_english_when_the_client_asks(world, api):
    body = case_body(parties=[{"name": "张三", "id_number": ZHANG_ID[:-1] + "1"}], headcount=0)
    response = api(world.window).post("/api/cases/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "Invalid input: see the fields marked"
    assert payload["errors"]["headcount"] == ["Ensure this value is greater than or equal to 1."]
    party = payload["errors"]["parties"]
    first = party["0"] if isinstance(party, dict) else party[0]
    assert first["id_number"] == ["The check digit of the ID card number is wrong; please check it"]


def test_a_bad_second_party_saves_nothing_of_the_first(world, api):
    body = case_body(parties=[{"name": "甲", "id_number": ZHANG_ID}, {"name": "乙", "phone": "000"}])
    assert api(world.window).post("/api/cases/", body, format="json").status_code == 400
    assert nothing_written()


def test_duplicate_external_reference_is_a_conflict(world, api, register):
    register(world.window, channel="hotline", external_ref="12345-2026-0001")
    response = api(world.window).post(
        "/api/cases/", case_body(channel="hotline", external_ref="12345-2026-0001"), format="json"
    )
    assert response.status_code == 409
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("close", {"outcome": "exploded"}, "outcome"),
        ("follow-up", {"satisfaction": "ecstatic"}, "satisfaction"),
        ("dispatch", {"department": "abc"}, "department"),
        ("dispatch", {}, "department"),
    ],
)
def test_bad_action_input(world, api, register, path, body, field):
    case = register(world.window)
    response = api(world.window).post(f"/api/cases/{case['id']}/{path}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == ["registered"]


def test_reject_needs_a_reason_and_feedback_needs_a_result(world, api, dispatched):
    _, dispatch = dispatched
    liaison = api(world.liaison)
    response = liaison.post(f"/api/dispatches/{dispatch['id']}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["该字段不能为空。"]
    liaison.post(f"/api/dispatches/{dispatch['id']}/accept/")
    response = liaison.post(f"/api/dispatches/{dispatch['id']}/feedback/", {"resolved": "maybe"}, format="json")
    assert set(response.json()["errors"]) == {"result", "resolved"}
