"""`GET /api/mediation/stats/` against ledgers whose totals are known in advance: the seeds' own
figures, entered through the services (Yumen's committees, Dushan's categories, Yumen's
pre-litigation studio) or loaded in bulk at full size (Xingtai's 23,022 pre-litigation cases)."""

from datetime import date

import pytest
from django.utils import timezone

from governance.models import Outcome
from governance.selectors.dashboard import dashboard_summary
from governance.services.cases import case_close
from mediation.choices import FailureRoute, FileStatus, MediationKind, ReferralKind, ReferralResult, ReferralStatus
from mediation.models import Mediator
from mediation.services import agreements as agreement_svc
from mediation.services import confirmations, referrals
from mediation.services import files as file_svc
from tests.factories import category
from tests.mediation.conftest import agreement_input, local, parties
from tests.mediation.ledger import Ledger


def _stats(api, user, **query):
    response = api(user).get("/api/mediation/stats/", query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def ledger(world):
    def make(day: date = date(2026, 3, 2)) -> Ledger:
        return Ledger(center=world.county, handler=world.window, day=day)

    return make


def test_yumen_committees_814_accepted_749_resolved(world, med, api, ledger):
    """Seed 000: "各调委会共受理各类矛盾纠纷事件814件，化解749件，化解率92%" — in full."""
    book = ledger()
    joint, labour = med.profile(med.mediator), med.profile(med.labour_mediator)
    for index in range(814):
        mediator, key = (labour, "labour") if index % 4 == 0 else (joint, "neighbour")
        won = index < 749
        case_id = book.case(category=key, outcome=Outcome.RESOLVED if won else Outcome.UNRESOLVED)
        book.file(case_id, mediator=mediator, status=FileStatus.AGREED if won else FileStatus.FAILED)
    book.flush()
    figures = _stats(api, world.leader, date_from="2026-03-01", date_to="2026-03-31")
    assert (figures["cases"], figures["resolved"], figures["failed"], figures["in_progress"]) == (814, 749, 65, 0)
    assert figures["resolution_rate"] == 0.9201
    assert figures["resolution_rate_basis"] == {"numerator": 749, "denominator": 814}
    files = figures["files"]
    assert (files["files"], files["accepted"], files["agreed"], files["failed"]) == (814, 814, 749, 65)
    assert files["success_rate_basis"] == {"numerator": 749, "denominator": 814}
    committees = {row["name"]: (row["accepted"], row["agreed"]) for row in figures["by_committee"]}
    # index % 4 == 0 → labour: 204 files, of which those below 749 agreed (188)
    assert committees == {med.joint.name: (610, 561), med.labour.name: (204, 188)}
    mediators = {row["name"]: (row["accepted"], row["agreed"]) for row in figures["by_mediator"]}
    assert mediators == {joint.name: (610, 561), labour.name: (204, 188)}
    assert figures["agreements"] == 749


def test_yumen_committees_scaled_through_the_services(world, med, api, open_file, mediation_case):
    """92 % through the services: 25 files accepted, 23 agreed; a dispute registered without a file
    and still open counts among the cases, not among the files."""
    for index in range(25):
        file = open_file(at=local(2026, 3, 2, 9))
        done = local(2026, 3, 5, 9)
        if index < 23:
            file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file), at=done)
        else:
            file_svc.file_fail(
                actor=med.mediator, file=file, reason="分歧过大", routes=[FailureRoute.LITIGATION], at=done
            )
    mediation_case(at=local(2026, 3, 3, 9))
    figures = _stats(api, world.leader, date_from="2026-03-01", date_to="2026-03-31")
    assert figures["files"]["success_rate"] == 0.92
    assert figures["files"]["success_rate_basis"] == {"numerator": 23, "denominator": 25}
    assert (figures["cases"], figures["resolved"], figures["failed"], figures["in_progress"]) == (26, 23, 2, 1)
    assert figures["resolution_rate_basis"] == {"numerator": 23, "denominator": 26}
    assert figures["by_committee"][0]["success_rate"] == 0.92


DUSHAN = {
    # category: (disputes, still in progress) — seed 004: 324 disputes, 299 resolved, 25 in progress
    "marriage_family": (145, 10),
    "neighbour": (26, 3),
    "land_forest": (37, 4),
    "contract": (54, 5),  # 经济纠纷
    "other": (62, 3),
}


def test_dushan_324_disputes_by_category_299_resolved(world, api, ledger):
    """Seed 004: every dispute of the mediation line counts, whether or not a file was opened."""
    book = ledger()
    for key, (total, open_) in DUSHAN.items():
        for index in range(total):
            book.case(category=key, outcome="" if index < open_ else Outcome.RESOLVED)
    book.flush()
    figures = _stats(api, world.leader, date_from="2026-03-01", date_to="2026-03-31")
    assert (figures["cases"], figures["resolved"], figures["in_progress"]) == (324, 299, 25)
    assert figures["resolution_rate"] == 0.9228
    assert figures["resolution_rate_basis"] == {"numerator": 299, "denominator": 324}
    rows = {row["key"]: row for row in figures["by_category"]}
    assert {key: (row["cases"], row["in_progress"]) for key, row in rows.items()} == DUSHAN
    assert [row["key"] for row in figures["by_category"]] == [
        "marriage_family",
        "neighbour",
        "contract",
        "land_forest",
        "other",
    ]  # the categories' own order
    assert rows["marriage_family"]["resolution_rate_basis"] == {"numerator": 135, "denominator": 145}
    assert rows["marriage_family"]["resolution_rate"] == 0.931
    assert figures["files"]["files"] == 0  # no file was opened: the cases still count


def test_cases_closed_at_the_window_count_without_a_file(world, api, mediation_case):
    """The same rule through the services: registered and closed at the window, no file."""
    for outcome in (Outcome.RESOLVED, Outcome.RESOLVED, Outcome.WITHDRAWN, Outcome.LITIGATION):
        case_close(actor=world.window, case=mediation_case(), outcome=outcome)
    mediation_case()
    figures = _stats(api, world.leader)
    assert (figures["cases"], figures["resolved"], figures["withdrawn"], figures["failed"], figures["in_progress"]) == (
        5,
        2,
        1,
        1,
        1,
    )


def test_yumen_pre_litigation_studio_261_cases_255_closed(world, med, api, ledger):
    """Seed 000: "诉前调解工作室…共受理案件261件，办结255件，办结率97.7%" — in full."""
    book = ledger()
    studio = med.profile(med.studio_mediator)
    plan = (
        [(ReferralStatus.RECORDED, ReferralResult.SUCCEEDED, Outcome.RESOLVED)] * 200
        + [(ReferralStatus.FILED, ReferralResult.FAILED, Outcome.LITIGATION)] * 50
        + [(ReferralStatus.RETURNED, ReferralResult.RETURNED, Outcome.LITIGATION)] * 5
        + [(ReferralStatus.SIGNED, "", "")] * 3
        + [(ReferralStatus.REFERRED, "", "")] * 3
    )
    for status, result, outcome in plan:
        case_id = book.case(line="court_docking", category="contract", outcome=outcome, channel="court_referral")
        book.referral(case_id, kind=ReferralKind.PRE_LITIGATION, committee=med.studio, status=status, result=result)
        if status != ReferralStatus.REFERRED and result != ReferralResult.RETURNED:
            file_status = {ReferralResult.SUCCEEDED: FileStatus.AGREED, ReferralResult.FAILED: FileStatus.FAILED}
            book.file(
                case_id,
                mediator=studio,
                status=file_status.get(result, FileStatus.MEDIATING),
                kind=MediationKind.PRE_LITIGATION,
            )
    book.flush()
    figures = _stats(api, world.leader, date_from="2026-03-01", date_to="2026-03-31")
    pre = figures["pre_litigation"]
    assert (pre["referrals"], pre["succeeded"], pre["failed"], pre["returned"], pre["concluded"]) == (
        261,
        200,
        50,
        5,
        255,
    )
    assert (pre["waiting"], pre["mediating"], pre["recorded"], pre["filed"]) == (3, 3, 200, 50)
    assert pre["closure_rate"] == 0.977
    assert pre["closure_rate_basis"] == {"numerator": 255, "denominator": 261}
    assert pre["success_rate_basis"] == {"numerator": 200, "denominator": 261}
    pre_kind = next(row for row in figures["by_kind"] if row["key"] == "pre_litigation")
    assert (pre_kind["files"], pre_kind["agreed"]) == (253, 200)
    assert figures["cases"] == 0  # court-docking cases are not cases of the mediation line


def test_pre_litigation_scaled_through_the_services(world, med, api):
    """Four referrals through the services: one succeeds, one fails, one is returned, one waits."""
    studio = med.studio_mediator
    made = []
    for index in range(4):
        made.append(
            referrals.referral_register(
                actor=world.window,
                center=world.county,
                kind=ReferralKind.PRE_LITIGATION,
                court="玉门市人民法院",
                court_ref=f"（2026）甘0981民诉前调{index + 1}号",
                category=category("contract"),
                summary="买卖合同纠纷",
                parties=parties(),
                committee=med.studio,
                parties_consented=True,
            )
        )
    won = referrals.referral_sign(actor=studio, referral=made[0])
    file_svc.file_agree(actor=studio, file=won, agreement=agreement_input(won))
    lost = referrals.referral_sign(actor=studio, referral=made[1])
    file_svc.file_fail(actor=studio, file=lost, reason="分歧过大", routes=[])
    referrals.referral_return(actor=studio, referral=made[2], reason="被告拒绝调解")
    pre = _stats(api, world.leader)["pre_litigation"]
    assert (pre["referrals"], pre["succeeded"], pre["failed"], pre["returned"], pre["waiting"]) == (4, 1, 1, 1, 1)
    assert pre["success_rate_basis"] == {"numerator": 1, "denominator": 4}
    assert pre["closure_rate_basis"] == {"numerator": 3, "denominator": 4}


def test_xingtai_23022_pre_litigation_cases_11854_successful(world, med, api, ledger):
    """Seed 003: "共受理诉前调解案件23022件，调解成功11854件、调解率51.48%" — in full. The exact
    rate is 11854 / 23022 = 0.514899…, which rounds to 0.5149; the article truncated it."""
    book = ledger(date(2021, 6, 30))
    for index in range(23022):
        won = index < 11854
        case_id = book.case(
            line="court_docking",
            category="contract",
            outcome=Outcome.RESOLVED if won else Outcome.LITIGATION,
            channel="court_referral",
        )
        book.referral(
            case_id,
            kind=ReferralKind.PRE_LITIGATION,
            committee=med.studio,
            status=ReferralStatus.RECORDED if won else ReferralStatus.FILED,
            result=ReferralResult.SUCCEEDED if won else ReferralResult.FAILED,
        )
    book.flush()
    figures = _stats(api, world.leader, date_from="2021-01-01", date_to="2021-12-31")
    pre = figures["pre_litigation"]
    assert (pre["referrals"], pre["succeeded"], pre["failed"]) == (23022, 11854, 11168)
    assert pre["success_rate"] == 0.5149
    assert pre["success_rate_basis"] == {"numerator": 11854, "denominator": 23022}
    assert _stats(api, world.leader, date_from="2022-01-01", date_to="2022-12-31")["pre_litigation"]["referrals"] == 0


def test_agreements_performance_and_confirmations_are_counted(world, med, api, open_file):
    agreements = []
    for _ in range(4):
        file = open_file()
        file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
        agreements.append(file.agreement)
    for agreement in agreements[:3]:
        agreement_svc.term_record(actor=med.mediator, term=agreement.terms.get(), status="performed")
    for agreement in agreements[:2]:
        confirmation = confirmations.confirmation_apply(
            actor=med.mediator, agreement=agreement, court="法院", joint=True
        )
        confirmations.confirmation_accept(actor=med.mediator, confirmation=confirmation)
    confirmations.confirmation_rule(actor=med.mediator, confirmation=agreements[0].confirmation, confirmed=True)
    figures = _stats(api, world.leader)
    assert (figures["agreements"], figures["agreements_fully_performed"]) == (4, 3)
    assert figures["full_performance_rate_basis"] == {"numerator": 3, "denominator": 4}
    confirmed = figures["judicial_confirmations"]
    assert (
        confirmed["applied"],
        confirmed["accepted"],
        confirmed["confirmed"],
        confirmed["pending"],
    ) == (
        2,
        2,
        1,
        1,
    )
    assert confirmed["confirmation_rate_basis"] == {"numerator": 1, "denominator": 2}


def test_the_period_and_the_subtree_decide_what_counts(world, api, mediation_case):
    mediation_case(at=local(2026, 3, 2, 10))
    mediation_case(at=local(2026, 3, 3, 10), center=world.township)
    mediation_case(at=local(2026, 4, 1, 10))
    county = _stats(api, world.leader, date_from="2026-03-01", date_to="2026-03-31")
    assert county["cases"] == 2
    township = _stats(api, world.leader, center=world.township.pk, date_from="2026-03-01", date_to="2026-03-31")
    assert township["cases"] == 1
    assert township["center"] == {"id": world.township.pk, "name": world.township.name}


def test_who_may_read_the_figures(world, med, api):
    assert api(med.mediator).get("/api/mediation/stats/").status_code == 403
    assert api(world.liaison).get("/api/mediation/stats/").status_code == 403
    assert api(world.leader).get("/api/mediation/stats/", {"center": world.other_county.pk}).status_code == 404
    assert api(world.window_town).get("/api/mediation/stats/", {"center": world.county.pk}).status_code == 404
    assert api(None).get("/api/mediation/stats/").status_code == 401


def test_the_dashboard_carries_the_same_figures(world, med, open_file):
    file = open_file()
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    today = timezone.localdate()
    summary = dashboard_summary(center=world.county, date_from=today.replace(month=1, day=1), date_to=today)
    section = summary["sections"]["mediation"]
    assert (section["cases"], section["resolved"], section["agreements"]) == (1, 1, 1)
    assert section["label"] == "矛盾纠纷调解与诉调对接"
    assert summary["sections"]["legal_services"]["total"] == 0


@pytest.mark.parametrize("limit", [None, 1])
def test_mediator_league_is_ordered_by_files(world, med, open_file, limit):
    from mediation.selectors.stats import mediation_stats

    open_file()
    open_file()
    open_file(mediator=Mediator.objects.get(user=med.mediator_b))
    today = timezone.localdate()
    figures = mediation_stats(center=world.county, date_from=today, date_to=today, mediator_limit=limit)
    names = [row["name"] for row in figures["by_mediator"]]
    assert names == (["调解员mediator", "调解员mediator_b"] if limit is None else ["调解员mediator"])
    assert figures["mediators_total"] == 2
