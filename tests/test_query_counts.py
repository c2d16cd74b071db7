"""No N+1: every API list costs the same, small, number of queries whether it shows 2 rows or
25. Each figure below is exact; a change that adds a query per row (or any query) fails here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from governance.models import Category, User
from governance.services import cases as case_services
from governance.services import dispatch as dispatch_services
from governance.services.persons import PartyInput
from intake.models import Visit
from intake.services import MatterInput, visit_register
from tests.factories import valid_id_number


def populate(world, count: int, start: int) -> None:
    """`count` more cases with two parties each, dispatched (some accepted, fed back, rejected and
    re-dispatched, closed), and visits — so lists have every kind of row."""
    labour = Category.objects.get(key="labour")
    for i in range(start, start + count):
        case = case_services.case_register(
            actor=world.window,
            center=(world.county, world.township, world.village)[i % 3],
            channel="walk_in",
            service_line="mediation",
            category=labour,
            risk_level="blue",
            summary=f"欠薪 {i}",
            parties=[
                PartyInput(name=f"申请人{i}", id_number=valid_id_number(seq=f"{i % 1000:03d}"), phone="+8613812345678"),
                PartyInput(name=f"被申请人{i}", phone=f"+86139{i:08d}", role="respondent"),
            ],
        )
        dispatch = dispatch_services.dispatch_create(actor=world.window, case=case, department=world.labour)
        if i % 4 == 1:
            dispatch_services.dispatch_accept(actor=world.liaison, dispatch=dispatch)
        if i % 4 == 2:
            dispatch_services.dispatch_accept(actor=world.liaison, dispatch=dispatch)
            dispatch_services.dispatch_feedback(actor=world.liaison, dispatch=dispatch, result="已调解", resolved=True)
            case_services.case_close(actor=world.window, case=case, outcome="resolved")
        if i % 4 == 3:
            dispatch_services.dispatch_reject(actor=world.liaison, dispatch=dispatch, reason="不属于本部门")
            dispatch_services.dispatch_create(actor=world.window, case=case, department=world.housing)
        visit_register(
            actor=world.window,
            center=world.county,
            visitors=[PartyInput(name=f"来访人{i}", phone="+8613900001111")],
            matter=MatterInput(service_line="mediation", category=labour, risk_level="blue", summary="邻里纠纷")
            if i % 2
            else None,
        )


def queries(user: User, url: str) -> tuple[int, int]:
    """(number of queries, number of rows shown) for one GET, as a fresh request of `user`."""
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # nothing cached from earlier requests
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = len(body["results"]) if isinstance(body, dict) and "results" in body else len(body)
    return len(captured), rows


# (persona, url, queries): the user's roles, the page, its prefetches (and a filter's own look-up)
LISTS = [
    ("leader", "/api/cases/", 4),
    ("leader", "/api/cases/?center={township}&created_after=2000-01-01&risk_level=blue", 5),
    ("leader", "/api/cases/?search=申请人", 4),
    ("leader", "/api/cases/?search=13812345678", 4),
    ("window", "/api/cases/?overdue=false&category=labour", 5),
    ("liaison", "/api/dispatches/", 2),
    ("liaison", "/api/dispatches/?status=pending", 2),
    ("window", "/api/dispatches/?status=accepted", 3),
    ("window", "/api/notifications/", 1),
    ("liaison", "/api/notifications/", 1),
    ("window", "/api/visits/", 3),
]
# reference lists: they do not grow with the ledger, but must not cost a query per row either
REFERENCE = [
    ("leader", "/api/centers/", 3),
    ("leader", "/api/departments/", 2),
    ("leader", "/api/categories/", 1),
]


@pytest.mark.parametrize(("persona", "url", "expected"), LISTS)
def test_list_queries_do_not_grow_with_the_rows(world, persona, url, expected):
    user = getattr(world, persona)
    url = url.format(township=world.township.pk)
    populate(world, 4, start=0)
    few, shown_few = queries(user, url)
    populate(world, 12, start=4)
    many, shown_many = queries(user, url)
    assert 0 < shown_few < shown_many
    assert (few, many) == (expected, expected)


@pytest.mark.parametrize(("persona", "url", "expected"), REFERENCE)
def test_reference_lists_cost_a_fixed_number_of_queries(world, persona, url, expected):
    populate(world, 2, start=0)
    count, shown = queries(getattr(world, persona), url)
    assert shown > 0
    assert count == expected


def test_the_lists_show_rows(world):
    populate(world, 4, start=0)
    assert queries(world.leader, "/api/cases/")[1] == 4 + 2  # two of the visits brought a matter
    assert queries(world.liaison, "/api/dispatches/")[1] == 4
    assert queries(world.window, "/api/visits/")[1] == Visit.objects.count() == 4


def test_the_dashboard_costs_the_same_whatever_the_ledger_holds(world):
    url = f"/api/dashboard/summary/?center={world.county.pk}"
    populate(world, 4, start=0)
    few = queries(world.leader, url)[0]
    populate(world, 12, start=4)
    assert queries(world.leader, url)[0] == few
