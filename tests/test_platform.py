"""The platform around the API: OpenAPI docs, the admin in Chinese, production settings, the
append-only timeline, the demo seed."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from governance.models import Case, CaseEvent, Center, Deadline, Department, Dispatch, Person, User

ROOT = Path(__file__).resolve().parent.parent


def clean_env(**values) -> dict:
    """The environment of a fresh process: ours, without what the test run itself set (e.g. the
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE), plus `values`."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(values)
    return env


def test_openapi_schema_lists_the_contract(world, api):
    response = api(world.window).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/auth/token/",
        "/api/me/",
        "/api/centers/",
        "/api/departments/",
        "/api/categories/",
        "/api/choices/",
        "/api/cases/",
        "/api/cases/{id}/",
        "/api/cases/{id}/dispatch/",
        "/api/cases/{id}/close/",
        "/api/cases/{id}/follow-up/",
        "/api/dispatches/",
        "/api/dispatches/{id}/accept/",
        "/api/dispatches/{id}/reject/",
        "/api/dispatches/{id}/feedback/",
        "/api/notifications/",
        "/api/dashboard/summary/",
        "/api/visits/",
        "/api/persons/lookup/",
    ]:
        assert path in paths, path


def test_api_docs_page_uses_our_own_static_files(world, client):
    client.force_login(world.window)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page


def test_admin_is_in_chinese_and_lists_the_set_up(world, client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw", center=world.county)
    client.force_login(admin)
    for url, text in [
        ("/admin/", "综治中心管理后台"),
        ("/admin/governance/center/", "示范县综治中心"),
        ("/admin/governance/department/", "人社局"),
        ("/admin/governance/user/", "liaison"),
        ("/admin/governance/slapolicy/", "时限政策"),
        ("/admin/governance/calendaroverride/add/", "是否工作日"),
        ("/admin/governance/policysetting/add/", "visit.collective_threshold"),
        ("/admin/governance/category/", "劳动争议"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_admin_requires_a_department_for_a_liaison(world, client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw", center=world.county)
    client.force_login(admin)
    response = client.post(
        "/admin/governance/user/add/",
        {
            "username": "newliaison",
            "password1": "a-long-password-1",
            "full_name": "新联络员",
            "center": world.county.pk,
            "roles": ["liaison"],
        },
    )
    assert response.status_code == 200
    assert "部门联络员必须指定所属部门" in response.content.decode()
    assert not User.objects.filter(username="newliaison").exists()


def test_admin_never_deletes_the_ledger(world, client, register):
    case = register(world.window)
    admin = User.objects.create_superuser("root", "root@example.org", "pw", center=world.county)
    client.force_login(admin)
    assert client.get(f"/admin/governance/case/{case['id']}/delete/").status_code == 403
    assert client.get(f"/admin/governance/case/{case['id']}/change/").status_code == 200


def test_check_deploy_is_clean_with_production_variables():
    env = clean_env(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "K7#mQ2!vL9@pR4$wT6^yU8&iO1*aS3(dF5)gH0",
        ALLOWED_HOSTS="zzzx.example.gov.cn",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = clean_env(DEBUG="false", SECRET_KEY="")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_setting_fails_loudly():
    env = clean_env(DEBUG="maybe")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.postgres
def test_the_timeline_is_append_only_in_the_database(world, register):
    register(world.window)
    event = CaseEvent.objects.get()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(message="rewritten")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get().message == event.message
    assert connection.vendor == "postgresql"


def test_seed_demo_twice_duplicates_nothing(db):
    out = StringIO()
    call_command("seed_demo", "--cases", "60", "--password", "secret-pw", stdout=out, verbosity=0)
    counts = (
        Center.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        Case.objects.count(),
        Person.objects.count(),
        Dispatch.objects.count(),
    )
    call_command("seed_demo", "--cases", "60", "--password", "secret-pw", stdout=StringIO(), verbosity=0)
    again = (
        Center.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        Case.objects.count(),
        Person.objects.count(),
        Dispatch.objects.count(),
    )
    assert again == counts
    assert counts[0] == 1 + 12 + 36
    assert counts[1] >= 13
    assert Case.objects.filter(external_ref__startswith="DEMO-").count() == 60
    # and this morning's work: the liaisons have dispatches waiting, one of them already overdue
    liaison = User.objects.get(username="liaison")
    waiting = Dispatch.objects.filter(department=liaison.department, status__in=["pending", "accepted"])
    assert waiting.count() == 4
    assert Deadline.objects.filter(department=liaison.department, state="breached", completed_at=None).exists()
    text = out.getvalue()
    assert "window" in text
    assert "secret-pw" in text
    for username in ("window", "liaison", "liaison2", "leader", "admin"):
        assert User.objects.get(username=username).check_password("secret-pw")
    assert User.objects.get(username="liaison").department != User.objects.get(username="liaison2").department
    check = StringIO()
    call_command("rebuild_stats", "--check-only", stdout=check)
    assert "统计与台账一致" in check.getvalue()


def test_seed_demo_tops_up_to_the_requested_number(db):
    call_command("seed_demo", "--cases", "20", stdout=StringIO(), verbosity=0)
    call_command("seed_demo", "--cases", "35", stdout=StringIO(), verbosity=0)
    assert Case.objects.filter(external_ref__startswith="DEMO-").count() == 35
    assert Case.objects.values("number").distinct().count() == Case.objects.count()
