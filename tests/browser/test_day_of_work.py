"""A day's work through the pages alone, in Chromium: the window registers a walk-in visitor with
an ID number and dispatches; the liaison accepts and feeds back; the leader's dashboard shows the
new counts; the Excel ledger opens and holds the case."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from governance.models import Case, CaseStatus, Dispatch, DispatchStatus
from governance.services.dispatch import dispatch_create
from tests.browser.conftest import PHONE, shoot
from tests.conftest import ZHANG_ID

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_walk_in(page, *, summary: str = "农民工被拖欠工资三个月，多次讨要未果"):
    """At the desk: ID number typed key by key, then the rest, Enter to save."""
    expect(page.locator("h1")).to_have_text("来访登记受理")
    id_input = page.locator("#id_parties-0-id_number")
    expect(id_input).to_be_focused()  # keyboard first: the cursor starts in the ID number
    id_input.press_sequentially(ZHANG_ID[:10], delay=20)
    expect(page.locator(".person-check").first).to_contain_text("还差 8 位")
    id_input.press_sequentially(ZHANG_ID[10:], delay=20)
    expect(page.locator(".person-check").first).to_contain_text("出生日期 1949-12-31 · 女")
    page.keyboard.press("Tab")
    page.keyboard.type("张三")
    page.keyboard.press("Tab")
    page.keyboard.type("13812345678")
    page.click("text=添加当事人")
    expect(page.locator("#id_parties-1-id_number")).to_be_focused()  # the new row starts at its ID number
    page.fill("#id_parties-1-name", "某建筑公司")
    page.select_option("#id_parties-1-role", "respondent")
    page.select_option("#id_category", label="劳动争议 — 欠薪、工伤、劳动合同")
    page.fill("#id_summary", summary)
    page.check("input[name=risk_level][value=yellow]")
    page.locator("#id_parties-0-name").press("Enter")  # Enter saves
    expect(page.locator("h1")).to_have_text("受理回执")


def test_window_registers_and_dispatches_liaison_handles_leader_sees_it(world, session_for, live_server):
    # --- the window -------------------------------------------------------------------------------
    desk = session_for("window", "pw-window")
    register_walk_in(desk)
    case = Case.objects.get()
    expect(desk.locator(".receipt__number")).to_have_text(case.number)
    expect(desk.locator(".receipt__qr svg")).to_be_visible()
    shoot(desk, "desk-receipt")
    desk.select_option("#id_dispatch-department", label="人社局（常驻）")
    desk.fill("#id_dispatch-instructions", "请核实欠薪情况")
    desk.get_by_role("button", name="派单", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("已派单至人社局")
    expect(desk.locator(".receipt")).to_contain_text("已转交 人社局 办理")
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.PENDING
    assert ZHANG_ID not in desk.url

    # --- the liaison --------------------------------------------------------------------------------
    inbox = session_for("liaison", "pw-liaison")
    expect(inbox.locator("h1")).to_contain_text("派单待办")
    item = inbox.locator(f"#dispatch-{dispatch.pk}")
    expect(item).to_contain_text(case.number)
    expect(item.locator(".countdown")).to_have_class("countdown state-ok")
    expect(item.locator(".countdown")).to_contain_text("剩余")
    item.locator("button", has_text="签收").click()
    expect(item.locator("summary", has_text="反馈办理结果")).to_be_visible()  # swapped in place, no reload
    item.locator("textarea").fill("已约谈企业负责人，工资已全部支付")
    item.locator("label", has_text="已化解").click()
    item.locator("button", has_text="提交反馈").click()
    expect(item).to_contain_text("已反馈：已约谈企业负责人，工资已全部支付")
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.feedback_resolved) == (DispatchStatus.FED_BACK, True)
    shoot(inbox, "inbox-after-feedback")

    # --- the leader -----------------------------------------------------------------------------------
    cockpit = session_for("leader", "pw-leader")
    expect(cockpit.locator("h1")).to_contain_text("领导驾驶舱")
    today = cockpit.locator(".kpis").first
    expect(today.locator(".kpi", has_text="受理事项").locator(".kpi__value")).to_have_text("1")
    expect(today.locator(".kpi", has_text="派单").locator(".kpi__value")).to_have_text("1")
    expect(today.locator(".kpi", has_text="来访批次").locator(".kpi__value")).to_have_text("1 / 1")
    period = cockpit.locator(".kpis").nth(1)
    expect(period.locator(".kpi", has_text="按时签收率").locator(".kpi__value")).to_have_text("100.0%")
    expect(period.locator(".kpi", has_text="按时反馈率").locator(".kpi__basis")).to_have_text("1 / 1")
    expect(cockpit.locator("#h-league + .table-wrap")).to_contain_text("人社局")
    expect(cockpit.locator(".chart svg").first).to_be_visible()  # ECharts drew from our own static files
    shoot(cockpit, "dashboard")
    cockpit.locator(".kpi", has_text="受理事项").first.click()
    expect(cockpit.locator("table")).to_contain_text(case.number)

    # --- the window closes it and exports the ledger ------------------------------------------------------
    desk.goto(f"{live_server.url}/cases/{case.pk}/")
    desk.locator("label", has_text="已化解").first.click()
    desk.click("button:has-text('办结')")
    expect(desk.locator(".messages")).to_contain_text("案件已办结")
    assert Case.objects.get().status == CaseStatus.CLOSED
    desk.goto(f"{live_server.url}/cases/")
    with desk.expect_download() as download:
        desk.click("text=导出Excel台账")
    path = download.value.path()
    sheet = load_workbook(BytesIO(path.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[1], rows[2], strict=True))
    assert row["案件编号"] == case.number
    assert row["办理状态"] == "已办结"
    assert row["身份证号码"] == "1101**********002X"


def test_new_dispatches_appear_in_the_open_inbox_without_a_reload(world, session_for):
    inbox = session_for("liaison", "pw-liaison")
    expect(inbox.locator(".empty")).to_contain_text("暂无待办派单")
    from governance.services.cases import case_register

    case = case_register(
        actor=world.window,
        center=world.county,
        channel="hotline",
        service_line="mediation",
        category=__import__("tests.factories", fromlist=["category"]).category("labour"),
        risk_level="red",
        summary="工地五十余名工人聚集讨薪",
        headcount=50,
        flags=["mass_incident"],
    )
    dispatch = dispatch_create(actor=world.window, case=case, department=world.labour)
    item = inbox.locator(f"#dispatch-{dispatch.pk}")
    expect(item).to_be_visible(timeout=25_000)  # the inbox polls every 15 s
    expect(item).to_have_class("inbox-item is-new")
    expect(item).to_contain_text("群体性事件风险")
    expect(inbox.locator("#inbox-poller")).to_contain_text("待签收 1 件")


def test_a_liaison_on_a_phone_accepts_and_rejects_with_a_reason(world, session_for):
    from governance.services.cases import case_register
    from tests.factories import category

    cases = [
        case_register(
            actor=world.window,
            center=world.county,
            channel="walk_in",
            service_line="mediation",
            category=category("labour"),
            risk_level="blue",
            summary=f"事项{n}",
        )
        for n in range(2)
    ]
    first, second = (dispatch_create(actor=world.window, case=c, department=world.labour) for c in cases)
    phone = session_for("liaison", "pw-liaison", viewport=PHONE)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing sticks out sideways
    phone.locator(f"#dispatch-{first.pk} button", has_text="签收").click()
    expect(phone.locator(f"#dispatch-{first.pk} summary", has_text="反馈办理结果")).to_be_visible()
    second_item = phone.locator(f"#dispatch-{second.pk}")
    second_item.locator("summary", has_text="退回").click()
    second_item.locator("button", has_text="确认退回").click()
    expect(second_item.locator(".field__error")).to_contain_text("请填写退回理由")
    second_item.locator("textarea").fill("属于住建局职责")
    second_item.locator("button", has_text="确认退回").click()
    expect(second_item).to_contain_text("已退回：属于住建局职责")
    shoot(phone, "inbox-phone")
    assert Dispatch.objects.get(pk=second.pk).status == DispatchStatus.REJECTED


def test_a_returning_visitor_is_recognised_at_the_desk_and_their_name_filled_in(world, session_for):
    from governance.services.cases import case_register
    from governance.services.persons import PartyInput
    from tests.factories import category

    earlier = case_register(
        actor=world.window,
        center=world.county,
        channel="walk_in",
        service_line="mediation",
        category=category("labour"),
        risk_level="yellow",
        summary="上次来访：欠薪",
        parties=[PartyInput(name="张三", id_number=ZHANG_ID, phone="+8613812345678")],
    )
    desk = session_for("window", "pw-window")
    desk.locator("#id_parties-0-id_number").press_sequentially(ZHANG_ID, delay=10)
    history = desk.locator(".person-history")
    expect(history).to_contain_text("张三 曾来访登记 1 件，1 件未办结")
    expect(history).to_contain_text(earlier.number)
    expect(desk.locator("#id_parties-0-name")).to_have_value("张三")
    desk.keyboard.press("Tab")  # the history's links are not in the way of the keyboard
    expect(desk.locator("#id_parties-0-name")).to_be_focused()
    shoot(desk, "desk-returning-visitor")
