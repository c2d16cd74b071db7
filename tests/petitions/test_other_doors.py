"""A petition-line case that comes in through another door (the desk, the core API) is still a
petition; and nobody dispatches or closes a petition around its procedure."""

from governance.models import Case
from petitions.models import Petition
from tests.conftest import case_body


def test_a_petition_line_case_from_the_core_api_becomes_a_petition(world, api):
    response = api(world.window).post(
        "/api/cases/", case_body(service_line="petition", channel="hotline", headcount=3), format="json"
    )
    assert response.status_code == 201
    petition = Petition.objects.get(case_id=response.json()["id"])
    assert (petition.form, petition.type, petition.headcount) == ("phone", "appeal_request", 3)
    assert petition.case.deadlines.filter(kind="petition.decision", state="open").count() == 1


def test_a_petition_matter_registered_at_the_desk_becomes_a_visit_petition(world, api):
    matter = {"service_line": "petition", "category": "land_requisition", "risk_level": "yellow", "summary": "征地补偿"}
    response = api(world.window).post(
        "/api/visits/", {"visitors": [{"name": "代表甲"}], "headcount": 6, "matter": matter}, format="json"
    )
    assert response.status_code == 201
    petition = Petition.objects.get(case_id=response.json()["case"])
    assert (petition.form, petition.is_collective) == ("visit", True)


def test_other_lines_get_no_petition(world, api):
    api(world.window).post("/api/cases/", case_body(service_line="mediation"), format="json")
    assert not Petition.objects.exists()


def test_the_case_page_cannot_close_or_dispatch_a_petition(world, api):
    case = api(world.window).post("/api/cases/", case_body(service_line="petition"), format="json").json()
    closed = api(world.window).post(f"/api/cases/{case['id']}/close/", {"outcome": "resolved"}, format="json")
    assert closed.status_code == 409
    assert "信访程序" in closed.json()["detail"]
    dispatched = api(world.window).post(
        f"/api/cases/{case['id']}/dispatch/", {"department": world.labour.pk}, format="json"
    )
    assert dispatched.status_code == 409
    assert Case.objects.get(pk=case["id"]).status == "registered"


def test_the_case_page_points_to_the_petition_procedure(world, api, client):
    case = api(world.window).post("/api/cases/", case_body(service_line="petition"), format="json").json()
    client.force_login(world.window)
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert "信访事项须按信访程序" in page
    assert 'action="/cases/{}/dispatch/"'.format(case["id"]) not in page


def test_the_case_page_links_to_the_petition(world, api, client):
    case = api(world.window).post("/api/cases/", case_body(service_line="petition"), format="json").json()
    petition = Petition.objects.get(case_id=case["id"])
    client.force_login(world.window)
    page = client.get(f"/cases/{case['id']}/").content.decode()
    assert f'href="/petitions/{petition.pk}/"' in page
