"""seed_demo's grid part: the structure (idempotent, with `gridworker`) and the history."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import authenticate
from django.db.models import Count

from governance.demo.generator import generate_cases
from governance.demo.structure import seed_structure
from governance.models import Center, Channel, Role
from grids.models import EventSource, EventStatus, Grid, GridEvent, GridMember, Household, MemberRole, WorkLog
from grids.selectors.figures import grid_ledger_counts, grid_totals


def test_structure_is_idempotent_and_has_the_grid_worker(db):
    seed_structure(password="demo-pass-1", villages_per_township=1)
    counts = (Grid.objects.count(), GridMember.objects.count(), Household.objects.count())
    assert counts[0] == 12 * 3 * (1 + 2 + 2 * 3)
    seed_structure(password="demo-pass-1", villages_per_township=1)
    assert (Grid.objects.count(), GridMember.objects.count(), Household.objects.count()) == counts
    assert Grid.objects.find_problems() == ([], [], [], [], [])
    user = authenticate(username="gridworker", password="demo-pass-1")
    assert user is not None
    assert user.has_role(Role.GRID_WORKER)
    membership = GridMember.objects.get(user=user)
    assert (membership.role, membership.grid.code, membership.grid.center.code) == (
        MemberRole.FULL_TIME,
        "WG-YM0101-1",
        "YM0101",
    )
    assert authenticate(username="gridleader", password="demo-pass-1") is not None
    # every top grid under a village, with 300–420 households and a worker account
    assert set(Grid.objects.filter(depth=1).values_list("center__level", flat=True)) == {"village"}
    per_grid = Household.objects.values("grid__path").annotate(n=Count("id"))
    assert per_grid.exists()
    assert GridMember.objects.filter(role=MemberRole.FULL_TIME, user__isnull=False).count() == 36


def test_history_is_proportional_consistent_and_mostly_closed_on_site(db):
    seed_structure(password="demo-pass-1", villages_per_township=1)
    generate_cases(1000, days=120, seed=7)
    events = GridEvent.objects.all()
    assert 150 <= events.count() <= 250
    statuses = dict(events.values_list("status").annotate(n=Count("id")))
    on_site = events.filter(handled_at__isnull=False).count()
    valid = events.exclude(status=EventStatus.INVALID).count()
    assert on_site / valid > 0.95  # ~99 % in a year of demo; a short run has proportionally more still open
    escalated = events.filter(escalated_at__isnull=False).select_related("case")
    assert escalated.exists()
    assert all(e.case.channel == Channel.GRID_REPORT for e in escalated)
    assert all(
        e.case.center.path in {a.path for a in Center.objects.filter(pk__in=e.center.scope_ids)} for e in escalated
    )
    assert events.filter(source=EventSource.HOTLINE).exclude(case__channel=Channel.HOTLINE).count() == 0
    assert statuses.get(EventStatus.FED_BACK, 0) > statuses.get(EventStatus.CLOSED_ON_SITE, 0)
    assert WorkLog.objects.count() > events.count()
    county = Center.objects.get(code="YM")
    window = (date(2000, 1, 1), date(2100, 1, 1))
    direct = grid_ledger_counts(county, *window)
    rolled = grid_totals(county, *window)
    assert {k: rolled[k] for k in direct} == direct
    assert Grid.objects.find_problems() == ([], [], [], [], [])
