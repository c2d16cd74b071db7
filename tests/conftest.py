"""Personas for every test (one per role, and the ones who must NOT see things):

- county "示范县" (code SF) → township "东乡镇" (SF01) → village "东村" (SF0101); another county "邻县" (LX)
- departments at the county: 人社局 (labour bureau), 住建局 (housing bureau); at the other county: 邻县人社局
- window (window staff, county), window_town (window staff of the township: sees only its subtree),
  liaison (人社局), liaison_b (住建局: another department), leader (county), admin (center admin),
  outsider (window staff of the other county), liaison_x (the other county's 人社局)
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import pytest
from django.db import connection
from rest_framework.test import APIClient

from governance.models import Center, Department, Role, User
from tests.factories import make_center, make_department, make_user


@dataclass
class World:
    county: Center
    township: Center
    village: Center
    other_county: Center
    labour: Department
    housing: Department
    other_labour: Department
    window: User
    window_town: User
    liaison: User
    liaison_b: User
    leader: User
    admin: User
    outsider: User
    liaison_x: User


def ensure_categories():
    """Transactional tests flush the tables, including the categories a data migration loads."""
    from importlib import import_module

    from django.apps import apps

    from governance.models import Category

    if not Category.objects.exists():
        migration = import_module("governance.migrations.0002_categories_and_append_only_timeline")
        migration.add_categories(apps, None)


@pytest.fixture
def world(db) -> World:
    ensure_categories()
    county = make_center("示范县综治中心", "SF")
    township = make_center("东乡镇综治中心", "SF01", parent=county)
    village = make_center("东村综治中心", "SF0101", parent=township)
    other = make_center("邻县综治中心", "LX")
    labour = make_department(county, "人社局")
    housing = make_department(county, "住建局")
    other_labour = make_department(other, "邻县人社局")
    return World(
        county=county,
        township=township,
        village=village,
        other_county=other,
        labour=labour,
        housing=housing,
        other_labour=other_labour,
        window=make_user("window", Role.WINDOW_STAFF, center=county, window="1号窗口"),
        window_town=make_user("window_town", Role.WINDOW_STAFF, center=township),
        liaison=make_user("liaison", Role.LIAISON, center=county, department=labour),
        liaison_b=make_user("liaison_b", Role.LIAISON, center=county, department=housing),
        leader=make_user("leader", Role.LEADER, center=county),
        admin=make_user("admin", Role.CENTER_ADMIN, center=county),
        outsider=make_user("outsider", Role.WINDOW_STAFF, center=other),
        liaison_x=make_user("liaison_x", Role.LIAISON, center=other, department=other_labour),
    )


@pytest.fixture
def api():
    """api(user) → an API client signed in as that user (api(None): anonymous)."""

    def client_for(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


def pytest_configure(config):
    from django.conf import settings

    # hashing a password properly takes ~0.3 s; the personas need it nine times per test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _service_up(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    """Tests that need the real PostgreSQL, Redis or Chromium are skipped where those are missing —
    unless CI says they are required (REQUIRE_SERVICES / REQUIRE_BROWSER), then they fail instead."""
    require_services = os.environ.get("REQUIRE_SERVICES") == "1"
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    on_postgres = connection.vendor == "postgresql"
    redis_up = _service_up("127.0.0.1", 6379)
    chromium = os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres and not require_services:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not redis_up and not require_services:
            item.add_marker(pytest.mark.skip(reason="needs Redis on 127.0.0.1:6379"))
        if "browser" in item.keywords and not chromium and not require_browser:
            item.add_marker(pytest.mark.skip(reason="needs Debian's Chromium at /usr/bin/chromium"))


ZHANG_ID = "11010519491231002X"  # a valid GB 11643 number (birth 1949-12-31, female)


def case_body(**overrides) -> dict:
    body = {
        "channel": "walk_in",
        "service_line": "mediation",
        "category": "labour",
        "risk_level": "yellow",
        "summary": "农民工被拖欠工资三个月，多次讨要未果",
        "headcount": 2,
        "parties": [
            {"name": "张三", "id_number": ZHANG_ID, "phone": "13812345678", "role": "applicant"},
            {"name": "某建筑公司", "role": "respondent"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def register(api):
    """register(user, **fields) → the created case (JSON) registered through the API."""

    def do(user: User, **overrides) -> dict:
        response = api(user).post("/api/cases/", case_body(**overrides), format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return do


@pytest.fixture
def dispatched(world, api, register):
    """A case registered by `window` and dispatched to 人社局 (labour): (case, dispatch) JSON."""
    case = register(world.window)
    response = api(world.window).post(
        f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk, "instructions": "请核实"}, format="json"
    )
    assert response.status_code == 201, response.content
    return case, response.json()
