"""The demo: petitions on the generated cases of the `petition` service line, consistent with the
ledger and the procedure, and figures the dashboard can show."""

from datetime import date

import pytest
from django.utils import timezone

from governance.demo.generator import generate_cases
from governance.demo.structure import seed_structure
from governance.models import Case, Center, Deadline, ServiceLine
from petitions import demo as petitions_demo
from petitions.choices import PetitionStatus
from petitions.demo import DEMO_QUERY_CODE
from petitions.models import BacklogCase, Petition, PetitionLink, ReceptionDay
from petitions.selectors import petition_by_query_code, petition_figures, petition_ledger_counts


@pytest.fixture
def demo(db, monkeypatch):
    # the petitions' share only (the other centers test theirs)
    monkeypatch.setattr("governance.registry.demo_structure_seeders", lambda: [petitions_demo.seed_structure])
    monkeypatch.setattr("governance.registry.demo_history_generators", lambda: [petitions_demo.generate_history])
    seed_structure(password="demo12345", villages_per_township=1)
    generate_cases(1500, days=200, seed=7)
    return Center.objects.get(code="YM")


def test_the_demo_history(demo):
    """One generated history, many checks (generating it is the slow part)."""
    # every case of the petition service line has its petition
    petition_cases = Case.objects.filter(service_line=ServiceLine.PETITION)
    assert petition_cases.count() > 100
    assert Petition.objects.count() == petition_cases.count()
    assert not petition_cases.filter(petition__isnull=True).exists()

    # varied: forms, states, collective and repeat petitions, work on time and late
    petitions = Petition.objects.all()
    assert set(petitions.values_list("form", flat=True)) == {"letter", "visit", "phone", "online"}
    statuses = set(petitions.values_list("status", flat=True))
    assert {PetitionStatus.HANDLING, PetitionStatus.REPLIED, PetitionStatus.CLOSED, PetitionStatus.REFUSED} <= statuses
    assert petitions.filter(is_collective=True).exists()
    assert petitions.filter(is_repeat=True).exists()
    assert PetitionLink.objects.exists()
    assert Deadline.objects.filter(kind="petition.decision", state="met").exists()
    # late decisions come from the few cases nobody dispatched or closed: at this size, late work
    # shows in handling (the 3-day fast track) as well
    late = Deadline.objects.filter(kind__in=["petition.decision", "petition.handling"], state="breached")
    assert late.exists()
    assert BacklogCase.objects.exists()
    assert ReceptionDay.objects.count() >= 20

    # it follows the procedure: a reply closed the ledger case; every stage has its timer
    for petition in Petition.objects.select_related("case"):
        timers = set(
            Deadline.objects.filter(subject_id=petition.pk, kind__startswith="petition.").values_list("kind", flat=True)
        )
        assert "petition.decision" in timers
        if petition.reply_outcome:
            assert petition.case.status == "closed"
            assert {"petition.handling", "petition.review_window"} <= timers
        if petition.status == PetitionStatus.HANDLING:
            assert "petition.handling" in timers

    # the figures from the rollups equal the ledger's
    today = timezone.localdate()
    figures = petition_figures(demo, date(2000, 1, 1), today)
    assert figures == petition_ledger_counts(demo, date(2000, 1, 1), today)
    assert figures["total"] == Petition.objects.count()
    assert figures["satisfaction_rate_basis"]["denominator"] > 0
    assert 0 < figures["on_time_decision_rate"] <= 1

    # the demo's receipt answers on the public progress page
    petition = petition_by_query_code(DEMO_QUERY_CODE)
    assert petition is not None
    assert petition.reply_outcome


def test_running_the_demo_again_adds_only_new_petitions(demo):
    before = Petition.objects.count()
    seed_structure(password="demo12345", villages_per_township=1)
    generate_cases(300, days=30, seed=8)
    assert Petition.objects.count() == Case.objects.filter(service_line=ServiceLine.PETITION).count() > before
    assert ReceptionDay.objects.filter(cancelled_at__isnull=True).values("leader", "date").distinct().count() == (
        ReceptionDay.objects.filter(cancelled_at__isnull=True).count()
    )
