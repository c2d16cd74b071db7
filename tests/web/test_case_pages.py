"""The ledger, the case page and the center staff's actions on it."""

from io import BytesIO

from openpyxl import load_workbook

from governance.models import Case, CaseStatus, Dispatch, DispatchStatus, FollowUp, PiiAccess
from governance.services.dispatch import dispatch_accept, dispatch_feedback
from tests.conftest import ZHANG_ID


def test_the_ledger_masks_phones_and_id_numbers(world, web, register):
    case = register(world.window)
    page = web(world.window).get("/cases/").content.decode()
    assert case["number"] in page
    assert "138****5678" in page
    assert "13812345678" not in page
    assert ZHANG_ID not in page


def test_the_ledger_has_no_n_plus_one(world, web, register, django_assert_max_num_queries):
    for _ in range(12):
        register(world.window)
    client = web(world.window)
    # session, user, roles, center (top bar), unread count, count, page, parties+persons, filter choices
    with django_assert_max_num_queries(14):
        response = client.get("/cases/")
    assert response.content.decode().count('href="/cases/') >= 12


def test_search_by_phone_keeps_the_phone_out_of_the_url(world, web, register):
    mine = register(world.window)
    other = register(world.window, parties=[{"name": "李四", "phone": "13900001111"}])
    client = web(world.window)
    response = client.post("/cases/search/", {"term": "13900001111", "filters": "status=registered"})
    location = response["Location"]
    assert response.status_code == 302
    assert "13900001111" not in location
    assert location.startswith("/cases/?status=registered&s=")
    page = client.get(location).content.decode()
    assert other["number"] in page
    assert mine["number"] not in page
    # a term typed into the URL by hand is ignored
    assert mine["number"] in client.get("/cases/?search=13900001111").content.decode()


def test_dashboard_links_filter_the_ledger_and_show_as_chips(world, web, dispatched, register):
    case, _ = dispatched
    other = register(world.window)
    page = web(world.window).get(f"/cases/?department={world.labour.pk}&is_open=true").content.decode()
    assert case["number"] in page
    assert other["number"] not in page
    assert "承办部门：人社局" in page


def test_window_staff_see_whole_personal_data_on_the_case_page(world, web, register):
    case = register(world.window)
    page = web(world.window).get(f"/cases/{case['id']}/").content.decode()
    assert ZHANG_ID in page
    assert "13812345678" in page
    assert not PiiAccess.objects.exists()


def test_a_leaders_look_at_whole_personal_data_is_audited(world, web, register):
    case = register(world.window)
    client = web(world.leader)
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert ZHANG_ID not in page
    assert "1101**********002X" in page
    assert not PiiAccess.objects.exists()
    revealed = client.post(f"/cases/{case['id']}/reveal/", HTTP_HX_REQUEST="true").content.decode()
    assert ZHANG_ID in revealed
    assert list(PiiAccess.objects.values_list("user__username", "via")) == [("leader", "web")]


def test_dispatch_from_the_case_page_then_joint_dispatch(world, web, register):
    case = register(world.window)
    client = web(world.window)
    first = client.post(f"/cases/{case['id']}/dispatch/", {"dispatch-department": world.labour.pk})
    assert first.status_code == 302
    second = client.post(
        f"/cases/{case['id']}/dispatch/", {"dispatch-department": world.housing.pk, "dispatch-lead": "assist"}
    )
    assert second.status_code == 302
    rows = list(Dispatch.objects.order_by("id").values_list("department__name", "is_lead"))
    assert rows == [("人社局", True), ("住建局", False)]
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "已派单至住建局" in page
    assert "主办" in page
    assert "协办" in page


def test_the_same_department_twice_is_refused_on_the_form(world, web, dispatched):
    case, _ = dispatched
    response = web(world.window).post(f"/cases/{case['id']}/dispatch/", {"dispatch-department": world.labour.pk})
    assert response.status_code == 400
    assert "该部门已在办理此案件" in response.content.decode()
    assert Dispatch.objects.count() == 1


def test_closing_waits_for_the_departments_then_follow_up(world, web, dispatched):
    case, _ = dispatched
    client = web(world.window)
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "仍有部门在办理" in page
    refused = client.post(f"/cases/{case['id']}/close/", {"close-outcome": "resolved"})
    assert refused.status_code == 400
    assert "仍有部门在办理" in refused.content.decode()
    assert Case.objects.get().status == CaseStatus.DISPATCHED

    dispatch = Dispatch.objects.get()
    dispatch_accept(actor=world.liaison, dispatch=dispatch)
    dispatch_feedback(actor=world.liaison, dispatch=dispatch, result="已督促支付工资", resolved=True)
    no_outcome = client.post(f"/cases/{case['id']}/close/", {"close-note": "调解成功"})
    assert no_outcome.status_code == 400
    assert "请选择办结结果" in no_outcome.content.decode()
    assert "调解成功</textarea>" in no_outcome.content.decode()
    assert client.post(f"/cases/{case['id']}/close/", {"close-outcome": "resolved"}).status_code == 302
    assert Case.objects.get().status == CaseStatus.CLOSED
    response = client.post(f"/cases/{case['id']}/follow-up/", {"follow_up-satisfaction": "satisfied"})
    assert response.status_code == 302
    assert FollowUp.objects.get().satisfaction == "satisfied"
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "记录回访" not in page  # done once
    assert "回访" in page


def test_the_leader_sees_no_close_or_follow_up_actions(world, web, register):
    case = register(world.window)
    page = web(world.leader).get(f"/cases/{case['id']}/").content.decode()
    assert f'action="/cases/{case["id"]}/close/"' not in page
    assert f'action="/cases/{case["id"]}/dispatch/"' in page  # leaders may dispatch
    liaison_page = web(world.liaison).get(f"/cases/{case['id']}/")
    assert liaison_page.status_code == 404  # not dispatched to them


def test_the_liaison_acts_on_their_dispatch_from_the_case_page(world, web, dispatched):
    case, dispatch = dispatched
    client = web(world.liaison)
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert f'action="/dispatches/{dispatch["id"]}/accept/"' in page
    assert f'action="/cases/{case["id"]}/dispatch/"' not in page
    response = client.post(f"/dispatches/{dispatch['id']}/accept/", {"from": "case", "next": f"/cases/{case['id']}/"})
    assert response["Location"] == f"/cases/{case['id']}/"
    assert Dispatch.objects.get().status == DispatchStatus.ACCEPTED
    refused = client.post(f"/dispatches/{dispatch['id']}/feedback/", {"from": "case"})
    assert refused.status_code == 400
    assert "请填写办理结果" in refused.content.decode()


def test_the_excel_ledger_opens_and_masks_personal_data(world, web, dispatched):
    case, _ = dispatched
    response = web(world.window).get("/cases/export/?status=dispatched")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "示范县综治中心案件台账"
    header = rows[1]
    assert header[:4] == ("序号", "案件编号", "登记日期", "受理中心")
    row = dict(zip(header, rows[2], strict=True))
    assert row["案件编号"] == case["number"]
    assert row["当事人"] == "张三（申请人）、某建筑公司（被申请人）"
    assert row["身份证号码"] == "1101**********002X"
    assert row["联系电话"] == "138****5678"
    assert row["承办部门"] == "人社局（主办）"
    assert row["办理状态"] == "已派单"
    assert len(rows) == 3
    flat = repr(rows)
    assert ZHANG_ID not in flat
    assert "13812345678" not in flat


def test_the_export_keeps_to_the_users_scope(world, web, register):
    register(world.outsider)
    sheet = load_workbook(BytesIO(web(world.window).get("/cases/export/").content)).active
    assert len(list(sheet.iter_rows(values_only=True))) == 2  # title and header only


def test_a_large_export_is_cut_and_says_so(world, web, register, monkeypatch):
    from governance.views import cases as case_views

    monkeypatch.setattr(case_views, "MAX_EXPORT_ROWS", 2)
    numbers = [register(world.window)["number"] for _ in range(3)]
    rows = list(load_workbook(BytesIO(web(world.window).get("/cases/export/").content)).active.values)
    assert [row[1] for row in rows[2:4]] == [numbers[2], numbers[1]]  # newest first
    assert rows[4][1] == "共 3 件，本表只含前 2 件；请按日期或中心缩小范围后分批导出。"


def test_long_lists_count_only_up_to_a_cap(world, web, register, monkeypatch):
    from governance.views.base import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for _ in range(3):
        register(world.window)
    page = web(world.window).get("/cases/").content.decode()
    assert "2 件以上" in page
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    assert "共 3 件" in web(world.window).get("/cases/").content.decode()
