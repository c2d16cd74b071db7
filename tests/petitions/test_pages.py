"""The petition pages: login and scoping, registration with its receipt and one-time query code,
the steps on the petition page, the printable notice, reception days, backlog cases, the public
progress page (no account, throttled, no personal data) and the dashboard section."""

import re

import pytest
from django.test import Client

from petitions import services
from petitions.choices import PetitionStatus
from petitions.models import Petition, ReceptionDay
from tests.petitions.conftest import ZHAO_ID


@pytest.fixture
def web():
    def client_for(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


def _register_data(**overrides) -> dict:
    data = {
        "petition-form": "visit",
        "petition-type": "appeal_request",
        "petition-headcount": "1",
        "petition-summary": "反映村集体土地补偿款分配不公",
        "petition-risk_level": "blue",
        "petitioners-TOTAL_FORMS": "1",
        "petitioners-INITIAL_FORMS": "0",
        "petitioners-MIN_NUM_FORMS": "1",
        "petitioners-MAX_NUM_FORMS": "50",
        "petitioners-0-name": "赵大勇",
        "petitioners-0-id_number": ZHAO_ID,
        "petitioners-0-phone": "13912345678",
    }
    data.update(overrides)
    return data


def test_pages_need_a_login(world, web):
    for url in ("/petitions/", "/petitions/register/", "/petitions/receptions/", "/petitions/backlog/"):
        response = web(None).get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_register_then_the_receipt_shows_the_code_once(world, web):
    client = web(world.window)
    assert client.get("/petitions/register/").status_code == 200
    response = client.post("/petitions/register/", _register_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    petition = Petition.objects.get()
    assert response["Location"] == f"/petitions/{petition.pk}/receipt/"

    receipt = client.get(response["Location"]).content.decode()
    code = re.search(r"([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})", receipt).group(1)
    assert petition.case.number in receipt
    assert client.post("/petitions/lookup/", {"code": code}).status_code == 200
    # a second look at the receipt no longer shows it
    again = client.get(response["Location"]).content.decode()
    assert code not in again
    assert "重新生成查询码" in again


def test_register_refusals_land_on_the_form(world, web):
    six = {f"petitioners-{i}-name": f"代表{i}" for i in range(6)}
    data = _register_data(**{"petition-headcount": "40", "petitioners-TOTAL_FORMS": "6", **six})
    data.pop("petitioners-0-id_number")
    response = web(world.window).post("/petitions/register/", data)
    assert response.status_code == 400
    assert "代表人数不超过5人" in response.content.decode()
    assert not Petition.objects.exists()


def test_only_center_staff_register(world, web):
    assert web(world.liaison).get("/petitions/register/").status_code == 403


def test_list_and_detail(world, web, petition_of, django_assert_max_num_queries):
    petitions = [petition_of() for _ in range(3)]
    client = web(world.window)
    with django_assert_max_num_queries(12):
        page = client.get("/petitions/?form=visit")
    assert page.status_code == 200
    text = page.content.decode()
    assert all(p.case.number in text for p in petitions)
    assert ZHAO_ID not in text  # masked in lists
    detail = client.get(f"/petitions/{petitions[0].pk}/")
    assert detail.status_code == 200
    assert "转送有权处理的部门或机关" in detail.content.decode()
    assert web(world.outsider).get(f"/petitions/{petitions[0].pk}/").status_code == 404


def test_steps_through_the_page(world, web, petition_of):
    petition = petition_of()
    client = web(world.window)
    forwarded = client.post(
        f"/petitions/{petition.pk}/forward/",
        {"forward-department": world.labour.pk, "forward-track": "simple", "forward-note": "请核实"},
    )
    assert forwarded.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.HANDLING
    # refused by the state: shown on the page, nothing changes
    refused = client.post(f"/petitions/{petition.pk}/refuse/", {"refuse-reason": "other", "refuse-notice": "x"})
    assert refused.status_code == 400
    assert "不能不予受理" in refused.content.decode()
    # the department has not fed back yet: the reply waits
    early = client.post(f"/petitions/{petition.pk}/reply/", {"reply-outcome": "support", "reply-text": "支持"})
    assert early.status_code == 400
    assert "承办部门尚未反馈" in early.content.decode()

    extended = client.post(
        f"/petitions/{petition.pk}/extend/",
        {"extend-days": "31", "extend-reason": "复杂", "extend-approver": world.leader.pk},
    )
    assert extended.status_code == 400
    assert Petition.objects.get(pk=petition.pk).extension_days is None


def test_the_written_notice_prints(world, web, at_status):
    petition = at_status(PetitionStatus.REFUSED)
    page = web(world.window).get(f"/petitions/{petition.pk}/notice/")
    assert page.status_code == 200
    assert "不予受理告知书" in page.content.decode()
    assert web(world.window).get(f"/petitions/{at_status(PetitionStatus.REGISTERED).pk}/notice/").status_code == 404


def test_the_accused_department_gets_404_on_the_pages(world, web, petition_of):
    petition = petition_of(type="accusation", accused=[services.AccusedInput(department=world.housing)])
    client = web(world.liaison_b)
    assert client.get(f"/petitions/{petition.pk}/").status_code == 404
    assert client.get(f"/cases/{petition.case_id}/").status_code == 404
    assert petition.case.number not in client.get("/petitions/").content.decode()


def test_reception_days_page(world, web):
    client = web(world.admin)
    assert client.get("/petitions/receptions/").status_code == 200
    response = client.post(
        "/petitions/receptions/",
        {
            "reception-leader": world.leader.pk,
            "reception-date": "2030-06-05",
            "reception-starts_at": "09:00",
            "reception-ends_at": "11:30",
            "reception-place": "群众来访接待大厅",
        },
    )
    assert response.status_code == 302
    reception = ReceptionDay.objects.get()
    assert "2030-06-05" in client.get("/petitions/receptions/").content.decode()
    assert web(world.window).post("/petitions/receptions/", {}).status_code == 403
    assert client.post(f"/petitions/receptions/{reception.pk}/cancel/").status_code == 302
    assert ReceptionDay.objects.get().cancelled_at is not None


def test_backlog_page(world, web, at_status):
    petition = at_status(PetitionStatus.HANDLING)
    services.backlog_designate(actor=world.leader, petition=petition, stars=3, leader=world.leader, reason="久拖未决")
    page = web(world.leader).get("/petitions/backlog/?mine=1")
    assert page.status_code == 200
    assert petition.case.number in page.content.decode()


def test_public_progress_page_without_an_account(world, web, petition_of):
    petition = petition_of()
    client = web(None)
    assert client.get("/petitions/lookup/").status_code == 200
    page = client.post("/petitions/lookup/", {"code": petition.query_code})
    assert page.status_code == 200
    text = page.content.decode()
    assert petition.case.number in text
    for secret in ("赵大勇", ZHAO_ID, "13912345678", "土地补偿款"):
        assert secret not in text
    assert client.post("/petitions/lookup/", {"code": "WRONG-CODE-XX"}).status_code == 404


def test_public_progress_page_is_throttled_with_the_api(world, web, api, petition_of):
    petition = petition_of()
    client = web(None)
    for _ in range(10):
        client.post("/petitions/lookup/", {"code": "WRONGCODE123"})
    for _ in range(10):
        api(None).post("/api/petitions/lookup/", {"code": "WRONGCODE123"}, format="json")
    assert client.post("/petitions/lookup/", {"code": petition.query_code}).status_code == 429


def test_the_petitioner_rates_on_the_public_page(world, web, at_status):
    petition = at_status(PetitionStatus.REPLIED)
    code = services.petition_reissue_code(actor=world.window, petition=petition).query_code
    page = web(None).post("/petitions/lookup/rate/", {"code": code, "satisfaction": "satisfied"})
    assert page.status_code == 200
    assert "感谢您的评价" in page.content.decode()
    assert Petition.objects.get(pk=petition.pk).satisfaction == "satisfied"


def test_the_dashboard_shows_the_section_with_links(world, web, petition_of):
    petition_of(form="letter")
    page = web(world.leader).get("/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "群众来访接待(信访)" in text
    assert "/petitions/?center=" in text
    assert "late=decision" in text
