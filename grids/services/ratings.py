"""Quarterly star-rated grids (星级网格) and top-ten grid workers (十佳网格员).

The score is transparent: each counted item of the quarter (from the rollup) times its weight
(policy `grids.score_weights`), summed; a grid's stars follow the thresholds of
`grids.star_thresholds`. Each rating stores its breakdown and the rule it was computed with.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import policies, roles
from governance.exceptions import InvalidInput
from governance.models import Center, Role, User
from governance.models.stats import DAY
from grids.models import Grid, GridRating, GridStat, WorkerRating
from grids.policies import SCORE_ITEMS, SCORE_WEIGHTS, STAR_THRESHOLDS, TOP_WORKERS

RATE = frozenset({Role.CENTER_ADMIN, Role.LEADER})


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def score(counts: dict, weights: dict) -> tuple[Decimal, dict]:
    """Σ count × weight, with every item shown."""
    items = {}
    total = Decimal(0)
    for name, weight in weights.items():
        count = int(counts.get(name) or 0)
        points = (Decimal(str(weight)) * count).quantize(Decimal("0.01"), ROUND_HALF_UP)
        items[name] = {"label": str(SCORE_ITEMS[name]), "count": count, "weight": weight, "points": str(points)}
        total += points
    return total, items


def stars_for(total: Decimal, thresholds: list) -> int:
    return 1 + sum(1 for t in thresholds if total >= Decimal(str(t)))


def _sums(qs, key_ids: list[str] | None = None) -> dict[str, dict]:
    names = list(SCORE_ITEMS)
    if key_ids is not None:
        qs = qs.filter(key__in=key_ids)
    return {row["key"]: row for row in qs.values("key").annotate(**{n: Sum(n, default=0) for n in names}).order_by()}


@transaction.atomic
def ratings_compute(*, actor: User | None, center: Center, year: int, quarter: int) -> tuple[int, int]:
    """Rate the top grids of `center`'s subtree and rank its grid workers for a quarter (again, if
    it was rated before: the rule or the records may have changed). Returns (grids, workers)."""
    roles.require(actor, RATE)
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput(_("季度应为1至4"), field="quarter")
    first, last = quarter_range(year, quarter)
    if first > timezone.localdate():
        raise InvalidInput(_("该季度尚未开始"), field="quarter")
    weights = policies.policy_value(SCORE_WEIGHTS.key, center)
    thresholds = policies.policy_value(STAR_THRESHOLDS.key, center)
    rule = {"weights": weights, "star_thresholds": thresholds, "from": first.isoformat(), "to": last.isoformat()}
    now = timezone.now()
    # the quarter from the day rows (each change is also on a month row: never both)
    rows = GridStat.objects.filter(scope__in=center.subtree().values("pk"), period=DAY, day__range=(first, last))

    grids = list(Grid.objects.filter(depth=1, center__in=center.subtree().values("pk")).order_by("path"))
    grid_counts = _sums(rows.filter(dimension="grid"), [str(g.pk) for g in grids])
    scored = []
    for grid in grids:
        total, items = score(grid_counts.get(str(grid.pk), {}), weights)
        scored.append((grid, total, items))
    scored.sort(key=lambda s: (-s[1], s[0].pk))
    GridRating.objects.filter(scope=center, year=year, quarter=quarter).delete()
    GridRating.objects.bulk_create(
        GridRating(
            scope=center,
            grid=grid,
            year=year,
            quarter=quarter,
            score=total,
            stars=stars_for(total, thresholds),
            rank=rank,
            breakdown={"items": items, "rule": rule},
            computed_at=now,
        )
        for rank, (grid, total, items) in enumerate(scored, start=1)
    )

    worker_counts = _sums(rows.filter(dimension="worker"))
    workers = {str(u.pk): u for u in User.objects.filter(pk__in=[int(k) for k in worker_counts])}
    ranked = sorted(
        ((workers[key], *score(counts, weights)) for key, counts in worker_counts.items() if key in workers),
        key=lambda s: (-s[1], s[0].pk),
    )
    WorkerRating.objects.filter(scope=center, year=year, quarter=quarter).delete()
    WorkerRating.objects.bulk_create(
        WorkerRating(
            scope=center,
            worker=worker,
            year=year,
            quarter=quarter,
            score=total,
            rank=rank,
            breakdown={"items": items, "rule": rule},
            computed_at=now,
        )
        for rank, (worker, total, items) in enumerate(ranked, start=1)
    )
    return len(scored), len(ranked)


def top_workers_limit(center: Center) -> int:
    return int(policies.policy_value(TOP_WORKERS.key, center))
