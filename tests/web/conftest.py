"""Page tests: a signed-in Django test client per persona (`web(user)`), and a registration form
filled the way the desk sends it."""

from __future__ import annotations

import pytest
from django.test import Client

from governance.models import Category, User
from tests.conftest import ZHANG_ID


@pytest.fixture
def web():
    """web(user) → a test client signed in as that user (web(None): anonymous)."""

    def client_for(user: User | None, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return client_for


def desk_form(*parties: dict, **fields) -> dict:
    """The registration desk's POST: parties (dicts of the party fields) and the matter."""
    parties = parties or (
        {"id_number": ZHANG_ID, "name": "张三", "phone": "13812345678", "role": "applicant"},
        {"name": "某建筑公司", "role": "respondent"},
    )
    data = {
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "50",
        "service_line": "mediation",
        "category": str(Category.objects.get(key="labour").pk),
        "risk_level": "yellow",
        "summary": "农民工被拖欠工资三个月，多次讨要未果",
        "headcount": "",
        "window": "1号窗口",
    }
    for index, party in enumerate(parties):
        row = {"id_number": "", "name": "", "phone": "", "role": "applicant", "address": "", **party}
        for key, value in row.items():
            data[f"parties-{index}-{key}"] = value
    data.update(fields)
    return data
