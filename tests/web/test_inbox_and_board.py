"""The liaison's inbox: the department's dispatches by urgency with live countdowns; accept,
reject with a reason, feed back; new dispatches arrive without a reload. The dispatch board."""

import re
from datetime import timedelta

from django.utils import timezone

from governance.models import Case, Deadline, Dispatch, DispatchStatus
from governance.services.dispatch import dispatch_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def _dispatch(world, register, **case_fields):
    case = Case.objects.get(pk=register(world.window, **case_fields)["id"])
    return dispatch_create(actor=world.window, case=case, department=world.labour)


def test_the_inbox_lists_the_departments_dispatches_most_urgent_first(world, web, register):
    later = _dispatch(world, register)
    sooner = _dispatch(world, register)
    Deadline.objects.filter(pk=sooner.response_deadline_id).update(due_at=timezone.now() + timedelta(minutes=20))
    elsewhere = Case.objects.get(pk=register(world.window)["id"])
    dispatch_create(actor=world.window, case=elsewhere, department=world.housing)

    page = web(world.liaison).get("/inbox/").content.decode()
    numbers = re.findall(r"<strong>(SF-\d{4}-\d{6})</strong>", page)
    assert numbers == [sooner.case.number, later.case.number]
    assert elsewhere.number not in page
    assert "待签收 2 件" in page


def test_countdowns_are_coloured_by_state(world, web, register):
    on_time = _dispatch(world, register)
    warned = _dispatch(world, register)
    late = _dispatch(world, register)
    now = timezone.now()
    Deadline.objects.filter(pk=warned.response_deadline_id).update(
        warn_at=now - timedelta(minutes=1), due_at=now + timedelta(minutes=29)
    )
    Deadline.objects.filter(pk=late.response_deadline_id).update(due_at=now - timedelta(minutes=5))
    page = web(world.liaison).get("/inbox/").content.decode()
    assert page.count("countdown state-ok") == 1
    assert page.count("countdown state-warn") == 1
    assert page.count("countdown state-overdue") == 1
    assert "超时 5分钟" in page
    assert on_time.case.number in page


def test_accept_with_htmx_swaps_the_item_for_its_feedback_form(world, web, register):
    dispatch = _dispatch(world, register)
    response = web(world.liaison).post(f"/dispatches/{dispatch.pk}/accept/", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith(f'<li id="dispatch-{dispatch.pk}"')
    assert f'action="/dispatches/{dispatch.pk}/feedback/"' in page
    assert Dispatch.objects.get().status == DispatchStatus.ACCEPTED


def test_reject_needs_a_reason_in_chinese_and_changes_nothing(world, web, register):
    dispatch = _dispatch(world, register)
    response = web(world.liaison).post(
        f"/dispatches/{dispatch.pk}/reject/", {f"reject-{dispatch.pk}-reason": "  "}, **HTMX
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "此项不能只填空格" in page or "请填写退回理由" in page
    assert '<details class="action" open>' in page
    assert Dispatch.objects.get().status == DispatchStatus.PENDING


def test_reject_with_a_reason_sends_the_case_back(world, web, register):
    dispatch = _dispatch(world, register)
    client = web(world.liaison)
    response = client.post(f"/dispatches/{dispatch.pk}/reject/", {f"reject-{dispatch.pk}-reason": "不属于本部门职责"})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.reject_reason) == (DispatchStatus.REJECTED, "不属于本部门职责")
    assert "已退回" in client.get("/inbox/").content.decode()


def test_feed_back_after_accepting(world, web, register):
    dispatch = _dispatch(world, register)
    client = web(world.liaison)
    client.post(f"/dispatches/{dispatch.pk}/accept/", **HTMX)
    missing = client.post(f"/dispatches/{dispatch.pk}/feedback/", {f"feedback-{dispatch.pk}-result": "已办"}, **HTMX)
    assert missing.status_code == 400
    assert "请选择是否化解" in missing.content.decode()
    assert "已办</textarea>" in missing.content.decode()
    done = client.post(
        f"/dispatches/{dispatch.pk}/feedback/",
        {f"feedback-{dispatch.pk}-result": "已督促企业支付工资", f"feedback-{dispatch.pk}-resolved": "yes"},
        **HTMX,
    )
    assert done.status_code == 200
    assert "已反馈：已督促企业支付工资" in done.content.decode()
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.feedback_resolved) == (DispatchStatus.FED_BACK, True)


def test_a_dispatch_handled_meanwhile_by_a_colleague_is_explained(world, web, register):
    dispatch = _dispatch(world, register)
    web(world.liaison).post(f"/dispatches/{dispatch.pk}/accept/", **HTMX)
    again = web(world.liaison).post(f"/dispatches/{dispatch.pk}/accept/", **HTMX)
    assert again.status_code == 400
    assert "派单当前为“已签收”，不能签收" in again.content.decode()


def test_new_dispatches_arrive_without_a_reload(world, web, register):
    first = _dispatch(world, register)
    client = web(world.liaison)
    page = client.get("/inbox/").content.decode()
    assert f'hx-get="/inbox/new/?after={first.pk}"' in page
    assert 'hx-trigger="every 15s"' in page
    nothing = client.get(f"/inbox/new/?after={first.pk}", **HTMX).content.decode()
    assert "<li" not in nothing
    second = _dispatch(world, register)
    news = client.get(f"/inbox/new/?after={first.pk}", **HTMX).content.decode()
    assert f'<li id="dispatch-{second.pk}" class="inbox-item is-new"' in news
    assert first.case.number not in news
    assert 'id="inbox-poller" hx-swap-oob="true"' in news
    assert f"after={second.pk}" in news
    assert "待签收 2 件" in news


def test_the_inbox_has_no_n_plus_one(world, web, register, django_assert_max_num_queries):
    for _ in range(10):
        _dispatch(world, register)
    client = web(world.liaison)
    with django_assert_max_num_queries(10):
        response = client.get("/inbox/")
    assert response.content.decode().count('class="inbox-item') == 10


def test_the_dispatch_board_filters_and_has_no_n_plus_one(world, web, register, django_assert_max_num_queries):
    for _ in range(10):
        _dispatch(world, register)
    late = _dispatch(world, register)
    Deadline.objects.filter(pk=late.response_deadline_id).update(state="breached", breached_at=timezone.now())
    client = web(world.leader)
    with django_assert_max_num_queries(12):
        page = client.get("/dispatches/").content.decode()
    assert "共 11 条派单" in page
    overdue = client.get(f"/dispatches/?center={world.county.pk}&open_overdue=true").content.decode()
    assert "共 1 条派单" in overdue
    assert late.case.number in overdue
    assert web(world.liaison).get("/dispatches/").status_code == 404
