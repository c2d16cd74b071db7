"""GET /api/petitions/stats/ against ledgers whose totals are known in advance, starting with
Yumen's own figures (DOMAIN.md): 1,020 received — 98 letters, 922 visit batches / 4,667
person-times, of which collective 210 batches / 3,454 person-times and individual 712 batches /
1,213 person-times. Every petition is entered through the registration service."""

from datetime import timedelta

from governance.models import PolicySetting
from governance.selectors.dashboard import dashboard_summary
from governance.services.stats import stats_rebuild
from petitions import services
from petitions.selectors import petition_figures, petition_ledger_counts
from tests.petitions.conftest import local

STATS_KEYS = {
    "total",
    "letters",
    "phone",
    "online",
    "visits",
    "on_time_decision_rate",
    "on_time_decision_rate_basis",
    "on_time_handling_rate",
    "on_time_handling_rate_basis",
    "satisfaction_rate",
    "satisfaction_rate_basis",
    "repeat_petitions",
}


def yumen_visits() -> list[int]:
    """Headcounts of Yumen's 922 visit batches: 210 collective (5 or more people) totalling 3,454
    person-times, 712 individual (1–4) totalling 1,213."""
    collective = [17] * 94 + [16] * 116
    individual = [2] * 501 + [1] * 211
    assert (len(collective), sum(collective), len(individual), sum(individual)) == (210, 3454, 712, 1213)
    return collective + individual


def test_yumen_petition_figures_are_reproduced(world, api):
    start = local(2021, 1, 4, 9)
    entries = [("letter", 1)] * 98 + [("visit", n) for n in yumen_visits()]
    for i, (form, headcount) in enumerate(entries):
        services.petition_register(
            actor=world.window,
            center=world.county if i % 3 else world.township,  # a township's petitions count for the county too
            form=form,
            type="appeal_request",
            headcount=headcount,
            petitioners=[services.PetitionerInput(name=f"信访人{i}")],
            summary="反映问题",
            registered_at=start + timedelta(hours=8 * i),
        )
    # outside the period, and at another county: not counted
    for when, center, actor in (
        (local(2020, 12, 31, 9), world.county, world.window),
        (start, world.other_county, world.outsider),
    ):
        services.petition_register(
            actor=actor,
            center=center,
            form="visit",
            type="suggestion",
            headcount=30,
            petitioners=[services.PetitionerInput(name="外")],
            summary="x",
            registered_at=when,
        )

    response = api(world.leader).get(
        "/api/petitions/stats/",
        {"center": world.county.pk, "date_from": "2021-01-01", "date_to": "2021-12-31"},
    )

    assert response.status_code == 200, response.content
    stats = response.json()
    assert set(stats) == STATS_KEYS
    assert (stats["total"], stats["letters"], stats["phone"], stats["online"]) == (1020, 98, 0, 0)
    assert stats["visits"] == {
        "batches": {"total": 922, "collective": 210, "individual": 712},
        "persons": {"total": 4667, "collective": 3454, "individual": 1213},
    }
    # nothing decided, handled or rated yet: no rate, and the basis says why
    assert stats["on_time_decision_rate"] is None
    assert stats["on_time_decision_rate_basis"] == {"numerator": 0, "denominator": 0}
    assert stats["satisfaction_rate_basis"] == {"numerator": 0, "denominator": 0}
    assert stats["repeat_petitions"] == 0

    window = (world.county, local(2021, 1, 1).date(), local(2021, 12, 31).date())
    assert petition_ledger_counts(*window) == stats
    stats_rebuild()
    assert petition_figures(*window) == stats
    # the township's own view: its third
    town = (
        api(world.leader)
        .get("/api/petitions/stats/", {"center": world.township.pk, "date_from": "2021-01-01", "date_to": "2021-12-31"})
        .json()
    )
    assert town["total"] == len([i for i in range(1020) if i % 3 == 0])


def test_rates_with_their_numerators_and_denominators(world, api, petition_of):
    start = local(2025, 3, 3, 9)
    made = [petition_of(registered_at=start + timedelta(hours=i), repeat=i < 2) for i in range(10)]
    # decisions: 7 within 15 days, 3 late
    for i, petition in enumerate(made):
        at = start + timedelta(days=5 if i < 7 else 20)
        services.petition_forward(actor=world.window, petition=petition, organ="市水务局", at=at)
    # handling (60 days): 4 replied in time, 1 late; the rest still running
    for i, petition in enumerate(made[:5]):
        at = start + timedelta(days=30 if i < 4 else 90)
        services.petition_reply(actor=world.window, petition=petition, outcome="support", text="支持", at=at)
    # evaluations: 2 satisfied, 1 basically, 1 dissatisfied
    for petition, satisfaction in zip(
        made[:4], ["satisfied", "satisfied", "basically_satisfied", "dissatisfied"], strict=True
    ):
        services.petition_rate(actor=world.window, petition=petition, satisfaction=satisfaction)

    stats = api(world.window).get("/api/petitions/stats/", {"date_from": "2025-01-01", "date_to": "2025-12-31"}).json()

    assert (stats["on_time_decision_rate"], stats["on_time_decision_rate_basis"]) == (
        0.7,
        {"numerator": 7, "denominator": 10},
    )
    assert (stats["on_time_handling_rate"], stats["on_time_handling_rate_basis"]) == (
        0.8,
        {"numerator": 4, "denominator": 5},
    )
    assert (stats["satisfaction_rate"], stats["satisfaction_rate_basis"]) == (
        0.75,
        {"numerator": 3, "denominator": 4},
    )
    # two marked repeat, and the other eight are the same person again in the same category
    assert stats["repeat_petitions"] == 10
    assert stats == petition_ledger_counts(world.county, local(2025, 1, 1).date(), local(2025, 12, 31).date())


def test_the_threshold_decides_what_counts_as_collective(world, api, petition_of):
    PolicySetting.objects.create(center=None, key="visit.collective_threshold", value=3)
    petition_of(headcount=3, petitioners=[services.PetitionerInput(name="甲")])
    petition_of(headcount=2, petitioners=[services.PetitionerInput(name="乙")])
    stats = api(world.window).get("/api/petitions/stats/").json()
    assert stats["visits"]["batches"] == {"total": 2, "collective": 1, "individual": 1}


def test_stats_are_scoped_and_for_staff_only(world, api, petition_of):
    petition_of()
    assert api(world.outsider).get("/api/petitions/stats/", {"center": world.county.pk}).status_code == 404
    assert api(world.liaison).get("/api/petitions/stats/").status_code == 403
    assert api(world.window_town).get("/api/petitions/stats/").json()["total"] == 0


def test_the_leader_dashboard_has_the_petitions_section(world, petition_of):
    petition_of(registered_at=local(2025, 5, 5, 9), form="letter")
    summary = dashboard_summary(
        center=world.county, date_from=local(2025, 1, 1).date(), date_to=local(2025, 12, 31).date()
    )
    section = summary["sections"]["petitions"]
    assert section["label"] == "群众来访接待(信访)"
    assert (section["total"], section["letters"]) == (1, 1)
