"""The demo: Yumen's committees and mediators, the user `mediator`, and mediation, court docking and
legal services on the generated cases — consistent with the ledger, the law and the figures."""

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count, Q
from django.utils import timezone

from governance.demo.generator import generate_cases
from governance.demo.structure import seed_structure
from governance.models import Case, CaseStatus, Center, Deadline, DeadlineState, Outcome, Role, ServiceLine, User
from mediation import deadlines
from mediation.choices import CommitteeKind, FileStatus, MediationKind, ReferralKind, ReferralResult, Side
from mediation.legal.models import LegalService, LegalStatus
from mediation.models import Agreement, Committee, Consent, CourtReferral, MediationFile, Mediator
from mediation.selectors.stats import mediation_stats


@pytest.fixture
def demo(db):
    seed_structure(password="demo12345", villages_per_township=1)
    generate_cases(1500, days=200, seed=7)
    return Center.objects.get(code="YM")


def test_the_committees_of_yumen_and_the_demo_mediator(db):
    seed_structure(password="demo12345", villages_per_township=1)
    county = Center.objects.get(code="YM")
    names = list(
        Committee.objects.filter(center=county, kind__in=[CommitteeKind.JOINT, CommitteeKind.PROFESSIONAL])
        .order_by("order")
        .values_list("name", flat=True)
    )
    # seed 000: 联合调委会、劳动人事、医患、农村土地、水事、物业、道路交通事故、婚姻家庭 — 8 in all
    assert names == [
        "玉门市联合人民调解委员会",
        "玉门市劳动人事争议调解委员会",
        "玉门市医患纠纷人民调解委员会",
        "玉门市农村土地纠纷人民调解委员会",
        "玉门市水事纠纷人民调解委员会",
        "玉门市物业纠纷人民调解委员会",
        "玉门市道路交通事故纠纷人民调解委员会",
        "玉门市婚姻家庭纠纷人民调解委员会",
    ]
    assert Committee.objects.filter(kind=CommitteeKind.PRE_LITIGATION).count() == 1
    assert Committee.objects.filter(kind=CommitteeKind.TOWNSHIP).count() == 12
    assert Mediator.objects.filter(is_chief=True).count() == 3  # 3个首席调解员工作室
    user = authenticate(username="mediator", password="demo12345")
    assert user is not None
    assert user.has_role(Role.MEDIATOR)
    assert user.mediator_profile.committee.name == "玉门市联合人民调解委员会"

    counts = (Committee.objects.count(), Mediator.objects.count(), User.objects.count())
    seed_structure(password="demo12345", villages_per_township=1)  # idempotent
    assert (Committee.objects.count(), Mediator.objects.count(), User.objects.count()) == counts


def test_the_demo_history(demo, api):
    """One generated history, many checks (generating it is the slow part)."""
    mediation_cases = Case.objects.filter(service_line=ServiceLine.MEDIATION)
    files = MediationFile.objects.all()
    assert files.count() > 100
    assert files.filter(case__service_line=ServiceLine.MEDIATION).count() < mediation_cases.count()
    assert set(files.values_list("status", flat=True)) >= {
        FileStatus.MEDIATING,
        FileStatus.AGREED,
        FileStatus.FAILED,
    }

    # the file's outcome is the ledger's
    agreed = files.filter(status=FileStatus.AGREED)
    assert not agreed.exclude(case__outcome=Outcome.RESOLVED).exists()
    assert not files.filter(status=FileStatus.MEDIATING, case__status=CaseStatus.CLOSED).exists()
    assert not files.filter(status=FileStatus.FAILED, routes=[]).exists()
    # [law] both sides consented to every accepted file; every agreement names both sides
    accepted = files.filter(accepted_at__isnull=False)
    consented = Consent.objects.filter(agreed=True).values("file").annotate(n=Count("side")).filter(n=2)
    assert accepted.count() == consented.count()
    assert Agreement.objects.count() == agreed.count()
    both_sides = Agreement.objects.annotate(sides=Count("parties__side", distinct=True)).filter(sides=2)
    assert both_sides.count() == Agreement.objects.count()
    assert not Agreement.objects.filter(terms__isnull=True).exists()
    assert set(Agreement.objects.values_list("form", flat=True)) == {"written", "oral"}
    assert Agreement.objects.filter(performance="fully_performed").exists()
    assert Agreement.objects.filter(confirmation__isnull=False).exists()
    # the time limits on the engine: one per accepted file, of the right kind
    labour = files.filter(kind=MediationKind.PEOPLE, case__category__key="labour", deadline__isnull=False)
    assert not labour.exclude(deadline__kind=deadlines.LABOUR).exists()
    assert not files.filter(kind=MediationKind.PRE_LITIGATION).exclude(deadline__kind=deadlines.PRE_LITIGATION).exists()
    assert Deadline.objects.filter(kind__startswith="mediation.", state=DeadlineState.BREACHED).exists()
    assert not Deadline.objects.filter(
        Q(kind__startswith="mediation.") | Q(kind__startswith="legal."),
        state__in=[DeadlineState.MET, DeadlineState.BREACHED],
        completed_at__isnull=True,
        due_at__gt=timezone.now(),
    ).exists()

    # court docking: every court referral, its result consistent with its file
    court_cases = Case.objects.filter(channel="court_referral")
    assert CourtReferral.objects.count() == court_cases.count()
    referrals = CourtReferral.objects.all()
    assert set(referrals.values_list("kind", flat=True)) == {ReferralKind.PRE_LITIGATION, ReferralKind.FAST_TRACK}
    assert not referrals.filter(result=ReferralResult.SUCCEEDED).exclude(file__status=FileStatus.AGREED).exists()
    assert not referrals.filter(result=ReferralResult.FAILED).exclude(file__status=FileStatus.FAILED).exists()

    # legal services: every case of the line, each kind
    legal_cases = Case.objects.filter(service_line=ServiceLine.LEGAL_SERVICES)
    assert LegalService.objects.count() == legal_cases.count()
    assert LegalService.objects.values("kind").distinct().count() == 4
    assert not LegalService.objects.filter(status=LegalStatus.CONCLUDED, case__status__in=["registered"]).exists()

    # the figures: the stats equal direct counts of the ledger
    county = demo
    figures = mediation_stats(
        center=county, date_from=timezone.localdate().replace(year=2000), date_to=timezone.localdate()
    )
    assert figures["cases"] == mediation_cases.count()
    assert figures["resolved"] == mediation_cases.filter(outcome=Outcome.RESOLVED).count()
    assert figures["agreements"] == Agreement.objects.count()
    assert figures["pre_litigation"]["referrals"] == referrals.filter(kind=ReferralKind.PRE_LITIGATION).count()

    # the demo mediator has files of their own, and sees only what concerns them
    mediator = User.objects.get(username="mediator")
    own = files.filter(mediator__user=mediator)
    assert own.exists()
    listed = api(mediator).get("/api/mediation/files/?page_size=200").json()["results"]
    assert {row["id"] for row in listed} <= set(own.values_list("pk", flat=True)) | set(
        files.filter(case__first_handler=mediator).values_list("pk", flat=True)
    )
    other = files.exclude(mediator__user=mediator).first()
    assert api(mediator).get(f"/api/mediation/files/{other.pk}/").status_code == 404
    assert Consent.objects.filter(side=Side.APPLICANT).exists()
