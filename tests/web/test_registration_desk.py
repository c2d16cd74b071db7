"""The registration desk: a visit and its matter on the ledger in one form; the ID number checked
as it is typed; returning visitors recognised; the receipt; one-click dispatch."""

import re

from governance.models import Case, CaseParty, Dispatch, DispatchStatus
from intake.models import Visit
from tests.conftest import ZHANG_ID
from tests.factories import valid_id_number
from tests.web.conftest import desk_form


def test_window_registers_a_walk_in_visit_with_its_matter(world, web):
    response = web(world.window).post("/intake/register/", desk_form())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/receipt/{case.pk}/"
    assert ZHANG_ID not in response["Location"]
    assert case.channel == "walk_in"
    assert case.category.key == "labour"
    assert case.first_handler == world.window
    parties = list(CaseParty.objects.filter(case=case).select_related("person").order_by("order"))
    assert [(p.person.name, p.role) for p in parties] == [("张三", "applicant"), ("某建筑公司", "respondent")]
    assert parties[0].person.id_number == ZHANG_ID
    assert str(parties[0].person.birth_date) == "1949-12-31"
    assert parties[0].person.sex == "female"
    visit = Visit.objects.get()
    assert (visit.case_id, visit.headcount, visit.window, visit.visitor.name) == (case.pk, 1, "1号窗口", "张三")


def test_a_collective_visit_counts_its_headcount(world, web):
    web(world.window).post("/intake/register/", desk_form(headcount="12"))
    visit = Visit.objects.get()
    assert (visit.headcount, visit.is_collective) == (12, True)
    assert Case.objects.get().headcount == 12


def test_a_wrong_check_digit_is_shown_next_to_the_field_and_nothing_typed_is_lost(world, web):
    bad = ZHANG_ID[:-1] + "3"
    response = web(world.window).post(
        "/intake/register/", desk_form({"id_number": bad, "name": "张三", "phone": "13812345678"})
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号码校验位错误，请核对" in page
    assert re.search(r'id="id_parties-0-id_number-error"[^>]*>身份证号码校验位错误', page)
    assert 'aria-invalid="true"' in page
    assert f'value="{bad}"' in page
    assert 'value="张三"' in page
    assert "农民工被拖欠工资三个月，多次讨要未果</textarea>" in page
    assert not Case.objects.exists()
    assert not Visit.objects.exists()


def test_missing_fields_are_named_in_chinese(world, web):
    response = web(world.window).post(
        "/intake/register/", desk_form({"name": "张三"}, summary="", risk_level="", category="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("请简要记录来访人反映的事项", "请评估风险等级", "请选择纠纷类别"):
        assert message in page
    assert not Case.objects.exists()


def test_a_visit_needs_a_visitor_not_only_a_respondent(world, web):
    response = web(world.window).post("/intake/register/", desk_form({"name": "某公司", "role": "respondent"}))
    assert response.status_code == 400
    assert "至少填写一位来访人" in response.content.decode()
    assert not Case.objects.exists()


def test_added_rows_left_empty_are_ignored(world, web):
    data = desk_form({"id_number": ZHANG_ID, "name": "张三"}, {"role": "applicant"}, {"role": "applicant"})
    response = web(world.window).post("/intake/register/", data)
    assert response.status_code == 302
    assert CaseParty.objects.count() == 1


def _check(client, field: str, value: str):
    return client.post("/intake/check-person/", {field: value}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)


def test_the_id_number_is_checked_as_it_is_typed(world, web):
    client = web(world.window)
    assert "还差 8 位" in _check(client, "parties-0-id_number", "1101051949").content.decode()
    bad = _check(client, "parties-0-id_number", ZHANG_ID[:-1] + "3").content.decode()
    assert "身份证号码校验位错误，请核对" in bad
    good = _check(client, "parties-0-id_number", ZHANG_ID.lower()).content.decode()
    assert "号码有效" in good
    assert "出生日期 1949-12-31" in good
    assert "女" in good
    assert "曾来访" not in good


def test_a_returning_visitor_is_recognised_with_their_earlier_cases(world, web, register):
    earlier = register(world.window)
    client = web(world.window)
    by_id = _check(client, "parties-1-id_number", ZHANG_ID).content.decode()
    assert "张三 曾来访登记 1 件，1 件未办结" in by_id
    assert earlier["number"] in by_id
    assert 'data-fill-field="name" data-fill-value="张三"' in by_id  # the desk fills the name in
    by_phone = _check(client, "parties-0-phone", "138 1234 5678").content.decode()
    assert earlier["number"] in by_phone


def test_earlier_cases_outside_the_users_scope_are_not_shown(world, web, register):
    register(world.outsider)  # the other county knows this person
    page = _check(web(world.window), "parties-0-id_number", ZHANG_ID).content.decode()
    assert "LX-" not in page
    assert "张三" not in page  # nor the name the other county knows
    assert "该号码已有档案，但没有您可查看的案件" in page


def test_only_registering_roles_may_check_persons(world, web):
    assert _check(web(world.liaison), "parties-0-id_number", ZHANG_ID).status_code == 403
    assert _check(web(world.window), "summary", "x").status_code == 400


def test_the_receipt_has_the_number_qr_code_next_steps_and_deadlines(world, web):
    client = web(world.window)
    receipt = client.get(client.post("/intake/register/", desk_form())["Location"]).content.decode()
    case = Case.objects.get()
    assert "受理回执" in receipt
    assert case.number in receipt
    assert "<svg" in receipt
    assert "派单后 2 小时内签收，签收后 24 小时内反馈办理结果" in receipt
    assert "办结后，中心将对您进行回访" in receipt
    assert ZHANG_ID not in receipt  # the receipt carries no ID number


def test_one_click_dispatch_from_the_receipt(world, web):
    client = web(world.window)
    client.post("/intake/register/", desk_form())
    case = Case.objects.get()
    response = client.post(
        f"/cases/{case.pk}/dispatch/",
        {"dispatch-department": world.labour.pk, "from": "receipt", "next": f"/intake/receipt/{case.pk}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/intake/receipt/{case.pk}/"
    dispatch = Dispatch.objects.get()
    assert (dispatch.department, dispatch.is_lead, dispatch.status) == (world.labour, True, DispatchStatus.PENDING)
    receipt = client.get(response["Location"]).content.decode()
    assert "已转交 <strong>人社局</strong> 办理" in receipt


def test_a_dispatch_refused_on_the_receipt_is_shown_there(world, web):
    client = web(world.window)
    client.post("/intake/register/", desk_form())
    case = Case.objects.get()
    response = client.post(
        f"/cases/{case.pk}/dispatch/", {"dispatch-department": world.other_labour.pk, "from": "receipt"}
    )
    assert response.status_code == 400
    assert "受理回执" in response.content.decode()
    assert not Dispatch.objects.exists()


def test_several_parties_with_the_same_id_number_are_refused(world, web):
    number = valid_id_number()
    response = web(world.window).post(
        "/intake/register/",
        desk_form({"id_number": number, "name": "甲"}, {"id_number": number, "name": "乙", "role": "respondent"}),
    )
    assert response.status_code == 400
    assert "同一身份证号码填写了两次" in response.content.decode()


def test_the_receipt_suggests_where_this_kind_of_matter_usually_goes(world, web, dispatched):
    client = web(world.window)
    client.post("/intake/register/", desk_form())
    case = Case.objects.order_by("-id").first()
    receipt = client.get(f"/intake/receipt/{case.pk}/").content.decode()
    assert "派至 人社局" in receipt  # the earlier labour case went there
    assert f'name="dispatch-department" value="{world.labour.pk}"' in receipt
