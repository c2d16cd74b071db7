"""Mediation's daily rollups (`MediationStat`, `ReferralStat`, `LegalServiceStat`) are kept exactly
in step with the files, agreements, confirmations, court referrals and legal services, in the same
transaction as each change: after every kind of counted change, every rollup row equals what
`stats_rebuild` recomputes from the tables, and the figures read from the rollups equal the same
figures counted directly (`mediation.selectors.ledger`) — at a village, its township and the
county, for the day, the last 30 days, and three whole months (read from the month rows)."""

from datetime import date, timedelta
from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.services.stats import stats_rebuild
from mediation.choices import (
    CheckMethod,
    ConsentForm,
    FailureRoute,
    FileStatus,
    ReferralKind,
    ReferralResult,
    Side,
    TermStatus,
)
from mediation.legal import services as legal_svc
from mediation.legal.models import LegalKind, LegalOutcome
from mediation.models import FILE_COUNTERS, LegalServiceStat, MediationFile, MediationStat, ReferralStat
from mediation.selectors import stats
from mediation.selectors.ledger import mediation_ledger_stats, stats_match_ledger
from mediation.services import agreements as agreement_svc
from mediation.services import confirmations as confirmation_svc
from mediation.services import files as file_svc
from mediation.services import referrals as referral_svc
from mediation.services.agreements import TermInput
from tests.factories import category
from tests.mediation.conftest import agreement_input, parties

ROLLUPS = {
    MediationStat: (("scope_id", "period", "day", "kind", "committee_id", "mediator_id"), FILE_COUNTERS),
    ReferralStat: (("scope_id", "period", "day", "kind", "status", "result"), ("referrals",)),
    LegalServiceStat: (("scope_id", "period", "day", "kind", "status", "outcome"), ("services",)),
}


def rollup_rows() -> dict:
    """Every row of mediation's rollups as {(table, key…): counters}, rows of zeros left out."""
    rows = {}
    for model, (keys, counters) in ROLLUPS.items():
        for values in model.objects.values_list(*keys, *counters):
            key, figures = values[: len(keys)], values[len(keys) :]
            if any(figures):
                rows[(model.__name__, *key)] = figures
    return rows


def rebuilt_rows() -> dict:
    with transaction.atomic():
        stats_rebuild()
        rows = rollup_rows()
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def in_step(world):
    """in_step(step): the rollups equal a rebuild, and the figures equal direct counts."""
    steps = []

    def check(step: str) -> None:
        steps.append(step)
        kept = rollup_rows()
        assert kept, f"after {step}: nothing counted"
        assert kept == rebuilt_rows(), f"after {step}: the rollups differ from a rebuild from the tables"
        today = timezone.localdate()
        months = (today.replace(day=1) - timedelta(days=1)).replace(day=1), _month_end(today + timedelta(days=31))
        for center in (world.village, world.township, world.county):
            for date_from, date_to in ((today, today), (today - timedelta(days=30), today), months):
                window = {"center": center, "date_from": date_from, "date_to": date_to}
                assert stats_match_ledger(**window) == [], f"after {step}, at {center}, {date_from}–{date_to}"

    check.steps = steps
    return check


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _case(world, *, center=None, line="mediation", key="neighbour", at=None):
    from governance.services.cases import case_register

    return case_register(
        actor=world.window,
        center=center or world.village,
        channel="walk_in",
        service_line=line,
        category=category(key),
        risk_level="blue",
        summary="邻居加盖房屋影响采光，协商未果",
        parties=parties(),
        registered_at=at,
    )


def _open(world, med, *, mediator=None, at=None, key="neighbour") -> MediationFile:
    profile = mediator or med.profile(med.mediator)
    return file_svc.file_open(
        actor=world.window, case=_case(world, at=at, key=key), committee=profile.committee, mediator=profile, at=at
    )


def _consent(world, file, side=Side.APPLICANT, agreed=True):
    file_svc.file_consent(actor=world.window, file=file, side=side, agreed=agreed, form=ConsentForm.WRITTEN)


def _accepted(world, med, **kwargs) -> MediationFile:
    file = _open(world, med, **kwargs)
    for side in Side.values:
        _consent(world, file, side)
    return file_svc.file_accept(actor=file.mediator.user or med.mediator, file=file)


def test_every_change_of_a_file_and_its_agreement_keeps_the_rollups_in_step(world, med, in_step):
    mediator = med.mediator
    yesterday = timezone.now() - timedelta(days=1)
    file = _open(world, med, at=yesterday, key="labour")  # another day, a timer fixed by law
    in_step("open a file")
    _consent(world, file, Side.APPLICANT)
    _consent(world, file, Side.RESPONDENT)
    in_step("both sides consent")
    file = file_svc.file_accept(actor=mediator, file=file)
    in_step("accept")

    refused = _open(world, med)
    _consent(world, refused, Side.RESPONDENT, agreed=False)
    file_svc.file_refuse(actor=mediator, file=refused, reason="被申请人拒绝调解")
    in_step("refuse")
    file_svc.file_withdraw(actor=world.window, file=_open(world, med), reason="双方已自行和解")
    in_step("withdraw before acceptance")
    file_svc.file_withdraw(actor=mediator, file=_accepted(world, med), reason="申请人撤回")
    in_step("withdraw while mediating")

    moved = _open(world, med)
    file_svc.file_reassign(actor=med.chief, file=moved, mediator=med.profile(med.mediator_b), reason="原调解员请假")
    in_step("reassign an applied file (the former mediator's row falls to zero)")
    moved = _accepted(world, med)
    file_svc.file_reassign(actor=world.window, file=moved, mediator=med.offline, reason="调整")
    in_step("reassign a file being mediated")

    file_svc.file_fail(actor=mediator, file=_accepted(world, med), reason="分歧过大", routes=[FailureRoute.LITIGATION])
    in_step("fail")

    file_svc.file_agree(actor=mediator, file=file, agreement=agreement_input(file, confirmation_wanted=True))
    in_step("agree")
    agreement = MediationFile.objects.get(pk=file.pk).agreement
    agreement_svc.term_record(actor=mediator, term=agreement.terms.get(), status=TermStatus.PERFORMED)
    in_step("the only term performed: fully performed")

    today = timezone.localdate()
    two_terms = [
        TermInput(content="返还借款2万元", method="银行转账", due_on=today + timedelta(days=10)),
        TermInput(content="赔礼道歉", method="当面", due_on=today + timedelta(days=3)),
    ]
    second = _accepted(world, med)
    file_svc.file_agree(actor=mediator, file=second, agreement=agreement_input(second, terms=two_terms))
    in_step("agree with two terms")
    late = MediationFile.objects.get(pk=second.pk).agreement
    t1, t2 = late.terms.all()
    agreement_svc.term_record(actor=mediator, term=t1, status=TermStatus.DEFAULTED)
    in_step("a term in default: not performed")
    agreement_svc.term_record(actor=mediator, term=t2, status=TermStatus.PERFORMED)
    in_step("the other performed: partly performed")
    agreement_svc.agreement_check(
        actor=world.window,
        agreement=late,
        method=CheckMethod.VISIT,
        finding="上门回访，借款已还清",
        terms={t1.pk: TermStatus.PERFORMED},
    )
    in_step("a follow-up check finds it all performed")

    confirmation = confirmation_svc.confirmation_apply(actor=mediator, agreement=agreement, court="法院", joint=True)
    in_step("confirmation applied")
    confirmation = confirmation_svc.confirmation_accept(actor=mediator, confirmation=confirmation)
    in_step("confirmation accepted")
    confirmation_svc.confirmation_rule(actor=mediator, confirmation=confirmation, confirmed=True)
    in_step("confirmation ruled: confirmed")

    def confirmation_for():
        agreed = _accepted(world, med)
        file_svc.file_agree(actor=mediator, file=agreed, agreement=agreement_input(agreed))
        agreed = MediationFile.objects.get(pk=agreed.pk)
        return confirmation_svc.confirmation_apply(actor=mediator, agreement=agreed.agreement, court="法院", joint=True)

    confirmation_svc.confirmation_not_accept(actor=mediator, confirmation=confirmation_for(), reason="不属于本院管辖")
    in_step("confirmation not accepted")
    refused = confirmation_svc.confirmation_accept(actor=mediator, confirmation=confirmation_for())
    confirmation_svc.confirmation_rule(actor=mediator, confirmation=refused, confirmed=False)
    in_step("confirmation ruled: refused")
    withdrawn = confirmation_svc.confirmation_accept(actor=mediator, confirmation=confirmation_for())
    confirmation_svc.confirmation_withdraw(actor=mediator, confirmation=withdrawn, reason="双方撤回")
    in_step("confirmation withdrawn after acceptance")
    confirmation_svc.confirmation_withdraw(actor=mediator, confirmation=confirmation_for(), reason="双方撤回")
    in_step("confirmation withdrawn before acceptance")

    # the figures at the county for the day: everything above but the file opened yesterday
    county = stats.mediation_stats(center=world.county, date_from=timezone.localdate(), date_to=timezone.localdate())
    assert county["files"]["refused"] == 1
    assert {row["name"]: row["files"] for row in county["by_mediator"]} == {
        "调解员mediator": 9,
        "调解员mediator_b": 1,
        "线下调解员": 1,
    }
    assert county["judicial_confirmations"]["applied"] == 4  # the one applied for yesterday's file: not today's
    assert len(in_step.steps) == 22


def test_every_change_of_a_court_referral_keeps_the_rollups_in_step(world, med, in_step):
    studio = med.studio_mediator
    numbers = iter(range(1, 100))

    def refer(kind=ReferralKind.PRE_LITIGATION, center=None):
        return referral_svc.referral_register(
            actor=world.window,
            center=center or world.village,
            kind=kind,
            court="示范县人民法院",
            court_ref=f"（2026）示0102民诉前调{next(numbers)}号",
            category=category("contract"),
            summary="买卖合同货款纠纷",
            parties=parties(),
            committee=med.studio if kind == ReferralKind.PRE_LITIGATION else None,
            parties_consented=kind == ReferralKind.PRE_LITIGATION,
        )

    won = refer()
    in_step("referral registered")
    file = referral_svc.referral_sign(actor=studio, referral=won)
    in_step("referral signed: its file opens, being mediated")
    file_svc.file_agree(actor=studio, file=file, agreement=agreement_input(file))
    in_step("referral succeeded")
    referral_svc.referral_record(actor=studio, referral=won, court_record="（2026）示0102民特12号")
    in_step("referral recorded with the court")

    lost = refer(center=world.township)
    file = referral_svc.referral_sign(actor=studio, referral=lost)
    file_svc.file_fail(actor=studio, file=file, reason="分歧过大", routes=[])
    in_step("referral failed")
    referral_svc.referral_file(actor=studio, referral=lost, filing_number="（2026）示0102民初88号")
    in_step("filed after failure")

    returned = refer()
    referral_svc.referral_return(actor=studio, referral=returned, reason="被告拒绝调解")
    in_step("referral returned")
    referral_svc.referral_file(actor=studio, referral=returned, filing_number="（2026）示0102民初89号")
    in_step("filed after return")

    for result in (ReferralResult.MEDIATED, ReferralResult.JUDGED, ReferralResult.WITHDRAWN):
        fast = refer(kind=ReferralKind.FAST_TRACK)
        in_step("fast-track referred")
        referral_svc.fast_track_conclude(actor=world.window, referral=fast, result=result)
        in_step(f"fast-track concluded: {result}")

    pre = stats.mediation_stats(center=world.county, date_from=timezone.localdate(), date_to=timezone.localdate())[
        "pre_litigation"
    ]
    assert (pre["referrals"], pre["recorded"], pre["filed"], pre["concluded"]) == (3, 1, 2, 3)


def test_every_change_of_a_legal_service_keeps_the_rollups_in_step(world, in_step):
    def register(kind, center=None):
        return legal_svc.legal_service_register(
            actor=world.window,
            center=center or world.village,
            kind=kind,
            category=category("labour"),
            request="被拖欠工资三个月共计1.2万元",
            parties=parties()[:1],
        )

    consultation = register(LegalKind.CONSULTATION)
    in_step("legal service registered")
    legal_svc.legal_service_conclude(
        actor=world.window, service=consultation, outcome=LegalOutcome.ANSWERED, result_note="已答复"
    )
    in_step("consultation answered")
    aid = register(LegalKind.LEGAL_AID, center=world.township)
    aid = legal_svc.legal_service_accept(actor=world.window, service=aid, agency="法律援助中心", assignee="李律师")
    in_step("legal aid granted (accepted)")
    legal_svc.legal_service_conclude(actor=world.window, service=aid, outcome=LegalOutcome.AID_COMPLETED)
    in_step("legal aid concluded")
    legal_svc.legal_service_refuse(actor=world.window, service=register(LegalKind.NOTARISATION), reason="材料不全")
    in_step("notarisation refused")
    arbitration = legal_svc.legal_service_accept(actor=world.window, service=register(LegalKind.LABOUR_ARBITRATION))
    legal_svc.legal_service_withdraw(actor=world.window, service=arbitration, reason="已和解")
    in_step("arbitration withdrawn")
    legal_case = _case(world, line="legal_services")
    legal_svc.legal_service_open(actor=world.window, case=legal_case, kind=LegalKind.CONSULTATION, request="咨询继承")
    in_step("legal service opened on a case registered at the window")

    legal = stats.legal_stats(center=world.county, date_from=timezone.localdate(), date_to=timezone.localdate())
    assert (legal["total"], legal["pending"], legal["concluded"], legal["refused"], legal["withdrawn"]) == (
        5,
        1,
        2,
        1,
        1,
    )


def test_cases_without_a_file_come_from_the_cores_rollup(world, in_step, med):
    """Cases of the mediation line by category: closed at the window with every outcome, or open."""
    from governance.services.cases import case_close

    for outcome in ("resolved", "unresolved", "withdrawn", "litigation"):
        case_close(actor=world.window, case=_case(world, key="labour"), outcome=outcome)
    _case(world, key="neighbour")
    _case(world, key="contract", line="grid")
    _open(world, med)  # one file, so that there is something of mediation's own to compare
    in_step("cases closed at the window")
    figures = stats.mediation_stats(center=world.county, date_from=timezone.localdate(), date_to=timezone.localdate())
    rows = {
        r["key"]: (r["cases"], r["resolved"], r["failed"], r["withdrawn"], r["in_progress"])
        for r in figures["by_category"]
    }
    assert rows == {"neighbour": (2, 0, 0, 0, 2), "labour": (4, 1, 2, 1, 0)}
    assert (figures["cases"], figures["resolved"], figures["failed"], figures["in_progress"]) == (6, 1, 2, 2)


def test_the_figures_are_read_from_the_rollups_not_the_tables(world, med):
    file = _accepted(world, med)
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    today = timezone.localdate()
    window = {"center": world.county, "date_from": today - timedelta(days=365), "date_to": today}
    with CaptureQueriesContext(connection) as queries:
        stats.dashboard_mediation(**window)
        stats.dashboard_legal(**window)
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in (
        'governance_case"',
        "mediation_mediationfile",
        "mediation_agreement",
        "mediation_judicialconfirmation",
        "mediation_courtreferral",
        'mediation_legalservice"',
    ):
        assert table not in tables
    assert len(queries) <= 7
    # take the rollup away and the figures follow it, while the tables still hold the file
    MediationStat.objects.all().delete()
    assert stats.mediation_stats(**window)["files"]["files"] == 0
    assert mediation_ledger_stats(**window)["files"]["files"] == 1


def test_the_migration_counts_what_was_already_recorded(world, med, in_step):
    """Migration 0003 fills the new rollups from the files, referrals and legal services already
    in the tables: the same rows as the rebuild."""
    file = _accepted(world, med)
    file_svc.file_agree(actor=med.mediator, file=file, agreement=agreement_input(file))
    _open(world, med)
    legal_svc.legal_service_register(
        actor=world.window,
        center=world.township,
        kind=LegalKind.LEGAL_AID,
        category=category("labour"),
        request="申请法律援助",
        parties=parties()[:1],
    )
    in_step("before the migration")
    expected = rollup_rows()
    for model in ROLLUPS:
        model.objects.all().delete()
    migration = import_module("mediation.migrations.0003_daily_rollups")
    migration.count_existing(None, SimpleNamespace(connection=connection))
    assert rollup_rows() == expected


def test_the_check_command_compares_rollups_and_tables(world, med):
    _accepted(world, med)
    out = StringIO()
    call_command("check_mediation_stats", stdout=out)
    assert "一致" in out.getvalue()
    MediationStat.objects.filter(scope=world.county).update(accepted=0)
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_mediation_stats", stdout=StringIO(), stderr=err)
    assert "files.accepted" in err.getvalue()


def test_any_period_reads_whole_months_and_edge_days_alike(world, med):
    """Files over four months (bulk, then the rebuild, as the demo generator does): every period —
    a day, parts of months, whole months, across a year's end — gives the figures the tables give."""
    from tests.mediation.ledger import Ledger

    joint, labour = med.profile(med.mediator), med.profile(med.labour_mediator)
    days = [date(2025, 11, 30), date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 15), date(2026, 2, 28)]
    for index, day in enumerate(days):
        book = Ledger(center=world.village if index % 2 else world.township, handler=world.window, day=day)
        for n in range(index + 2):
            mediator = labour if n % 3 == 0 else joint
            won = n % 2 == 0
            case_id = book.case(category="labour", outcome="resolved" if won else "unresolved")
            book.file(case_id, mediator=mediator, status=FileStatus.AGREED if won else FileStatus.FAILED)
        court_case = book.case(line="court_docking", category="contract", channel="court_referral")
        book.referral(court_case, kind=ReferralKind.FAST_TRACK, committee=None, status="referred", result="")
        book.flush()
    for model in (MediationStat, ReferralStat):
        assert model.objects.filter(period="month").exists()
    windows = [
        (date(2025, 11, 30), date(2025, 11, 30)),
        (date(2025, 11, 1), date(2025, 11, 30)),
        (date(2025, 11, 30), date(2025, 12, 31)),
        (date(2025, 12, 1), date(2026, 1, 31)),
        (date(2025, 12, 2), date(2026, 2, 27)),
        (date(2025, 12, 1), date(2026, 2, 28)),
        (date(2025, 1, 1), date(2026, 12, 31)),
        (date(2026, 1, 16), date(2026, 1, 16)),
    ]
    for center in (world.village, world.township, world.county):
        for date_from, date_to in windows:
            assert stats_match_ledger(center=center, date_from=date_from, date_to=date_to) == [], (date_from, date_to)
    whole = stats.mediation_stats(center=world.county, date_from=date(2025, 12, 1), date_to=date(2026, 2, 28))
    assert whole["files"]["files"] == 3 + 4 + 5 + 6
    assert whole["fast_track"]["referrals"] == 4


def test_period_parts_cut_a_period_at_whole_months():
    from governance.selectors.dashboard import period_parts

    def parts(date_from, date_to):
        return str(period_parts(date_from, date_to))

    assert "month" not in parts(date(2026, 3, 2), date(2026, 3, 31))
    assert "'day'" not in parts(date(2026, 3, 1), date(2026, 3, 31))
    one_year = parts(date(2025, 11, 22), date(2026, 11, 22))
    assert "datetime.date(2025, 12, 1)" in one_year  # whole months from December…
    assert "datetime.date(2026, 11, 1)" in one_year  # …to October, then the days of November
    assert "month" not in parts(date(9999, 12, 2), date(9999, 12, 31))
