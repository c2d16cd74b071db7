"""The mediation pages: a dispute mediated to a printed agreement by the people who do it, a court
referral signed, a legal-aid matter taken; who must NOT see a file gets a 404 and nothing changes;
refusals show next to the form; lists cost the same number of queries whatever their length."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import CaseEvent, PiiAccess
from mediation.choices import FileStatus, ReferralStatus
from mediation.legal.models import LegalService, LegalStatus
from mediation.models import CourtReferral, MediationFile, Term
from mediation.services import files as file_svc
from tests.mediation.conftest import WANG_ID, agreement_input


@pytest.fixture
def web():
    def client_for(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


def test_pages_require_login(world, med, open_file, web):
    file = open_file()
    for url in ("/mediation/", "/mediation/files/", f"/mediation/files/{file.pk}/", "/mediation/referrals/"):
        response = web(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_dispute_mediated_to_a_printed_agreement(world, med, web, mediation_case):
    case = mediation_case()
    window, mediator = web(world.window), web(med.mediator)
    cases_page = window.get("/mediation/cases/").content.decode()
    assert case.number in cases_page
    assert f"/mediation/cases/{case.pk}/open/" in cases_page

    profile = med.profile(med.mediator)
    response = window.post(f"/mediation/cases/{case.pk}/open/", {"mediator": profile.pk, "kind": "people"})
    file = MediationFile.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/mediation/files/{file.pk}/"

    # accepting before both sides consented is refused next to the button, nothing changes
    response = mediator.post(f"/mediation/files/{file.pk}/accept/")
    assert response.status_code == 400
    assert "须双方当事人同意调解后方可受理" in response.content.decode()
    assert MediationFile.objects.get(pk=file.pk).status == FileStatus.APPLIED

    for side in ("applicant", "respondent"):
        response = window.post(
            f"/mediation/files/{file.pk}/consent/",
            {"consent-side": side, "consent-agreed": "1", "consent-form": "written"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert mediator.post(f"/mediation/files/{file.pk}/accept/").status_code == 302
    held = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = mediator.post(
        f"/mediation/files/{file.pk}/sessions/",
        {"session-kind": "session", "session-held_at": held, "session-place": "调解室", "session-record": "背对背调解"},
    )
    assert response.status_code == 302

    page = mediator.get(f"/mediation/files/{file.pk}/").content.decode()
    assert "调解成功，制作调解协议" in page
    form = mediator.get(f"/mediation/files/{file.pk}/agree/").content.decode()
    party_ids = re.findall(r'name="party-(\d)-case_party" value="(\d+)"', form)
    assert len(party_ids) == 2
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {
        "head-form": "written",
        "head-facts": "李某加盖房屋影响王某采光",
        "head-sealed": "on",
        "head-recorder": "书记员",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "2",
        "term-TOTAL_FORMS": "3",
        "term-INITIAL_FORMS": "0",
        "term-0-content": "李某拆除超出部分",
        "term-0-method": "自行拆除",
        "term-0-due_on": due,
    }
    for index, case_party in party_ids:
        data.update(
            {
                f"party-{index}-case_party": case_party,
                f"party-{index}-include": "on",
                f"party-{index}-side": "applicant" if index == "0" else "respondent",
                f"party-{index}-signed": "on",
            }
        )
    unsigned = {k: v for k, v in data.items() if k != "party-1-signed"}
    response = mediator.post(f"/mediation/files/{file.pk}/agree/", unsigned)
    assert response.status_code == 400
    assert "签名" in response.content.decode()
    assert MediationFile.objects.get(pk=file.pk).status == FileStatus.MEDIATING

    response = mediator.post(f"/mediation/files/{file.pk}/agree/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    file.refresh_from_db()
    assert file.status == FileStatus.AGREED
    assert file.case.status == "closed"

    term = Term.objects.get(agreement__file=file)
    response = mediator.post(f"/mediation/terms/{term.pk}/record/", {f"term-{term.pk}-status": "performed"})
    assert response.status_code == 302
    response = window.post(
        f"/mediation/agreements/{file.agreement.pk}/check/",
        {"check-method": "phone", "check-finding": "电话回访，已拆除"},
    )
    assert response.status_code == 302

    printed = mediator.get(f"/mediation/files/{file.pk}/agreement/").content.decode()
    assert "人民调解协议书" in printed
    assert WANG_ID in printed  # the parties' own document: whole identity
    assert "李某拆除超出部分" in printed
    assert "本协议一式3份" in printed
    receipt = mediator.get(f"/mediation/files/{file.pk}/receipt/").content.decode()
    assert "人民调解受理通知书" in receipt
    assert "<svg" in receipt


def test_a_leaders_print_of_the_agreement_is_audited(world, med, web, open_file):
    file = open_file()
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    assert web(world.leader).get(f"/mediation/files/{file.pk}/agreement/").status_code == 200
    assert PiiAccess.objects.filter(user=world.leader, case=file.case, via="mediation-agreement").count() == 1
    web(med.mediator).get(f"/mediation/files/{file.pk}/agreement/")
    assert PiiAccess.objects.filter(case=file.case).count() == 1


def test_those_who_must_not_see_a_file_get_404_and_change_nothing(world, med, web, open_file):
    file = open_file()
    events = CaseEvent.objects.filter(case=file.case).count()
    for outsider in (med.mediator_b, med.labour_mediator, world.outsider, world.liaison):
        client = web(outsider)
        assert client.get(f"/mediation/files/{file.pk}/").status_code == 404
        assert client.get(f"/mediation/files/{file.pk}/receipt/").status_code == 404
        assert client.post(f"/mediation/files/{file.pk}/fail/", {"fail-reason": "x"}).status_code == 404
        assert file.case.number not in client.get("/mediation/files/").content.decode()
    assert MediationFile.objects.get(pk=file.pk).status == FileStatus.MEDIATING
    assert CaseEvent.objects.filter(case=file.case).count() == events


def test_a_leader_sees_but_may_not_mediate(world, med, web, open_file):
    file = open_file()
    page = web(world.leader).get(f"/mediation/files/{file.pk}/").content.decode()
    assert file.case.number in page
    assert "调解成功，制作调解协议" not in page
    response = web(world.leader).post(
        f"/mediation/files/{file.pk}/fail/", {"fail-reason": "x", "fail-routes": "litigation"}
    )
    assert response.status_code == 403
    assert MediationFile.objects.get(pk=file.pk).status == FileStatus.MEDIATING


def test_the_workbench_shows_the_mediators_own_work(world, med, web, open_file):
    mine = open_file()
    other = open_file(mediator=med.profile(med.mediator_b))
    page = web(med.mediator).get("/mediation/").content.decode()
    assert mine.case.number in page
    assert other.case.number not in page
    assert "调解工作台" in page


def test_a_court_referral_through_the_pages(world, med, web):
    data = {
        "kind": "pre_litigation",
        "court": "示范县人民法院",
        "court_ref": "（2026）示民诉前调9号",
        "category": "contract",
        "risk_level": "blue",
        "summary": "货款纠纷",
        "committee": med.studio.pk,
        "parties_consented": "on",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-0-role": "applicant",
        "party-0-name": "某商贸公司",
        "party-1-role": "respondent",
        "party-1-name": "赵某",
    }
    response = web(world.window).post("/mediation/referrals/new/", data)
    referral = CourtReferral.objects.get()
    assert response.status_code == 302
    assert referral.case.channel == "court_referral"
    studio = web(med.studio_mediator)
    assert "签收委派" in studio.get(f"/mediation/referrals/{referral.pk}/").content.decode()
    assert web(med.mediator).get(f"/mediation/referrals/{referral.pk}/").status_code == 404
    response = studio.post(f"/mediation/referrals/{referral.pk}/sign/", {})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SIGNED
    assert response["Location"] == f"/mediation/files/{referral.file_id}/"


def test_a_legal_aid_matter_through_the_pages(world, web):
    client = web(world.window)
    response = client.post(
        "/mediation/legal/new/",
        {"kind": "legal_aid", "category": "labour", "request": "申请法律援助追索劳动报酬", "name": "张三"},
    )
    service = LegalService.objects.get()
    assert response.status_code == 302
    response = client.post(f"/mediation/legal/{service.pk}/accept/", {"accept-agency": "法律援助中心"})
    assert response.status_code == 302
    response = client.post(f"/mediation/legal/{service.pk}/conclude/", {"conclude-outcome": "answered"})
    assert response.status_code == 400  # not an outcome of legal aid
    response = client.post(f"/mediation/legal/{service.pk}/conclude/", {"conclude-outcome": "aid_completed"})
    service.refresh_from_db()
    assert service.status == LegalStatus.CONCLUDED


def test_the_dashboard_shows_the_sections_with_links(world, med, web, open_file):
    file = open_file()
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    page = web(world.leader).get("/dashboard/").content.decode()
    assert "矛盾纠纷调解与诉调对接" in page
    assert "公共法律服务" in page
    assert f'href="/mediation/cases/?center={world.county.pk}&amp;date_from=' in page
    assert "/mediation/referrals/?center=" in page
    assert "1 / 1" in page  # resolution: 1 resolved of 1 case


def test_committees_page_shows_mediators_figures(world, med, web, open_file):
    file = open_file()
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    page = web(world.window).get("/mediation/committees/").content.decode()
    assert med.joint.name in page
    assert med.other.name not in page
    assert "100.0%" in page


@pytest.mark.parametrize("url", ["/mediation/files/", "/mediation/cases/", "/mediation/referrals/", "/mediation/"])
def test_lists_cost_the_same_whatever_their_length(world, med, web, open_file, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(world.window)
    open_file()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(6):
        open_file()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 30
