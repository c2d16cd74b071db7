"""Every page needs a signed-in user, keeps to the API's scoping (outside it: 404), refuses what
the role may not do (403) and needs a CSRF token for every form."""

import pytest

from governance.models import Case, Dispatch, DispatchStatus
from tests.conftest import ZHANG_ID

PAGES = [
    "/",
    "/intake/register/",
    "/intake/visits/",
    "/cases/",
    "/cases/export/",
    "/inbox/",
    "/dispatches/",
    "/dashboard/",
    "/notifications/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_needs_a_login(world, web, url):
    response = web(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_case_page_needs_a_login(world, web, dispatched):
    case, _ = dispatched
    response = web(None).get(f"/cases/{case['id']}/")
    assert response.status_code == 302


def test_login_page_is_chinese_by_default_whatever_the_browser_says(world, web):
    page = web(None).get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "登录综治中心工作平台" in page
    assert "English" in page  # the switch


def test_the_user_can_switch_to_english(world, web):
    client = web(world.window)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    assert response.status_code == 302
    page = client.get("/cases/").content.decode()
    assert '<html lang="en">' in page
    assert "中文" in page  # and back


def test_signing_in_leads_each_role_to_its_work(world, web):
    assert web(world.window).get("/")["Location"] == "/intake/register/"
    assert web(world.liaison).get("/")["Location"] == "/inbox/"
    assert web(world.leader).get("/")["Location"] == "/dashboard/"


def test_the_center_and_role_aware_navigation_are_always_shown(world, web):
    window_page = web(world.window).get("/cases/").content.decode()
    assert "示范县综治中心" in window_page
    assert 'href="/intake/register/"' in window_page
    assert 'href="/inbox/"' not in window_page
    liaison_page = web(world.liaison).get("/inbox/").content.decode()
    assert 'href="/inbox/"' in liaison_page
    assert 'href="/dashboard/"' not in liaison_page
    assert 'href="/intake/register/"' not in liaison_page


def test_another_departments_liaison_gets_404_for_the_case(world, web, dispatched):
    case, _ = dispatched
    assert web(world.liaison).get(f"/cases/{case['id']}/").status_code == 200
    assert web(world.liaison_b).get(f"/cases/{case['id']}/").status_code == 404
    assert web(world.liaison_x).get(f"/cases/{case['id']}/").status_code == 404
    assert web(world.outsider).get(f"/cases/{case['id']}/").status_code == 404
    assert web(world.window).get("/cases/999999/").status_code == 404


def test_another_departments_liaison_cannot_accept_and_nothing_changes(world, web, dispatched):
    _, dispatch = dispatched
    response = web(world.liaison_b).post(f"/dispatches/{dispatch['id']}/accept/")
    assert response.status_code == 404
    assert Dispatch.objects.get(pk=dispatch["id"]).status == DispatchStatus.PENDING


def test_the_township_window_does_not_see_county_cases(world, web, dispatched):
    case, _ = dispatched
    assert web(world.window_town).get(f"/cases/{case['id']}/").status_code == 404
    assert case["number"] not in web(world.window_town).get("/cases/").content.decode()


def test_roles_that_may_not_act_get_403_and_nothing_changes(world, web, dispatched):
    case, _ = dispatched
    liaison = web(world.liaison)
    assert liaison.get("/dashboard/").status_code == 403
    assert liaison.get("/intake/register/").status_code == 403
    response = liaison.post(f"/cases/{case['id']}/dispatch/", {"dispatch-department": world.housing.pk})
    assert response.status_code == 403
    assert Dispatch.objects.filter(case_id=case["id"]).count() == 1
    assert web(world.window).get("/inbox/").status_code == 403


def test_forms_need_the_csrf_token(world, web):
    client = web(world.window, enforce_csrf_checks=True)
    response = client.post("/intake/register/", {"summary": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert not Case.objects.exists()


def test_person_check_is_post_only_so_id_numbers_never_reach_a_url(world, web):
    client = web(world.window)
    assert client.get(f"/intake/check-person/?parties-0-id_number={ZHANG_ID}").status_code == 405
