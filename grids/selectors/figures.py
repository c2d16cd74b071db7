"""The grid figures leaders read, from the rollup (`GridStat`: whole months from its month rows, edge
days from its day rows, `period_sums`), plus `grid_ledger_counts`:
the same figures counted straight from events and work logs — the proof that the rollup is right."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from governance.models import Center, DeadlineState, User
from governance.selectors.dashboard import period_sums, with_rate
from grids.models import (
    COUNTERS,
    EventCategory,
    EventSource,
    EventStatus,
    Grid,
    GridEvent,
    GridStat,
    LogKind,
    WorkLog,
)


def figures(counters: dict) -> dict:
    """The counters of a scope with their rates; every rate with its numerator and denominator."""
    out = {name: int(counters.get(name) or 0) for name in COUNTERS}
    with_rate(out, "closed_on_site_rate", out["closed_on_site"], out["events"])
    with_rate(out, "escalated_rate", out["escalated"], out["events"])
    with_rate(out, "escalated_closure_rate", out["escalated_closed"], out["escalated"])
    with_rate(out, "dispute_resolution_rate", out["disputes_resolved"], out["disputes"])
    with_rate(out, "overdue_rate", out["overdue"], out["events"])
    with_rate(out, "fed_back_rate", out["fed_back"], out["closed_on_site"] + out["escalated_closed"])
    return out


def _summed(rows: QuerySet[GridStat], date_from: date, date_to: date, by: str) -> dict[str, dict]:
    """The rollup rows of the period summed per `by` (dimension or key)."""
    sums = period_sums(rows, date_from=date_from, date_to=date_to, group_by=[by], counters=COUNTERS)
    return {row[by]: row for row in sums}


def grid_totals(center: Center, date_from: date, date_to: date) -> dict:
    """The headline figures of a center's subtree (the index ranges of its 'total' rows)."""
    rows = GridStat.objects.filter(scope=center, dimension="total")
    return figures(_summed(rows, date_from, date_to, "dimension").get("total", {}))


def grid_figures_of(grid: Grid, date_from: date, date_to: date) -> dict:
    rows = GridStat.objects.filter(scope_id=grid.center_id, dimension="grid", key=str(grid.pk))
    return figures(_summed(rows, date_from, date_to, "key").get(str(grid.pk), {}))


def _grid_rows(grids: list[Grid], scope_ids, date_from: date, date_to: date) -> list[dict]:
    stats = GridStat.objects.filter(scope_id__in=scope_ids, dimension="grid", key__in=[str(g.pk) for g in grids])
    rows = _summed(stats, date_from, date_to, "key")
    return [
        {
            "id": g.pk,
            "name": g.name,
            "code": g.code,
            "level": g.level,
            "center": g.center_id,
            "center_name": g.center.name,
            **figures(rows.get(str(g.pk), {})),
        }
        for g in grids
    ]


def per_grid(center: Center, date_from: date, date_to: date, parent: Grid | None = None) -> list[dict]:
    """The top grids of a center's subtree (or the children of `parent`), each with its figures."""
    if parent is not None:
        grids = list(Grid.objects.get_children(parent).select_related("center").order_by("path"))
        return _grid_rows(grids, [parent.center_id], date_from, date_to)
    grids = list(
        Grid.objects.filter(depth=1, center__in=center.subtree().values("pk")).select_related("center").order_by("path")
    )
    return _grid_rows(grids, center.subtree().values("pk"), date_from, date_to)


def per_worker(center: Center, date_from: date, date_to: date, limit: int | None = None) -> list[dict]:
    """Grid workers of a center's subtree with their figures, busiest first."""
    # grid and worker rows live under the village of the record (see GridStat)
    stats = GridStat.objects.filter(scope__in=center.subtree().values("pk"), dimension="worker")
    rows = list(_summed(stats, date_from, date_to, "key").values())
    names = {
        str(u.pk): u
        for u in User.objects.filter(pk__in=[int(r["key"]) for r in rows]).only("id", "username", "full_name")
    }
    result = [
        {"id": int(r["key"]), "name": str(names[r["key"]]) if r["key"] in names else r["key"], **figures(r)}
        for r in rows
    ]
    result.sort(key=lambda r: (-r["events"], -r["household_visits"], r["id"]))
    return result[:limit] if limit else result


def by_category(center: Center, date_from: date, date_to: date) -> list[dict]:
    rows = _summed(GridStat.objects.filter(scope=center, dimension="category"), date_from, date_to, "key")
    return [{"key": key, "label": str(label), **figures(rows.get(key, {}))} for key, label in EventCategory.choices]


def grid_stats(center: Center, date_from: date, date_to: date, grid: Grid | None = None) -> dict:
    """`GET /api/grids/stats/`: a center's (or one grid's) figures, by event type, per grid, per worker."""
    result: dict = {
        "center": {"id": center.pk, "name": center.name},
        "grid": {"id": grid.pk, "name": grid.name} if grid else None,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }
    if grid is not None:
        result.update(grid_figures_of(grid, date_from, date_to))
        result["by_category"] = []
        result["per_grid"] = per_grid(center, date_from, date_to, parent=grid)
        result["per_worker"] = []
        return result
    result.update(grid_totals(center, date_from, date_to))
    result["by_category"] = by_category(center, date_from, date_to)
    result["per_grid"] = per_grid(center, date_from, date_to)
    result["per_worker"] = per_worker(center, date_from, date_to)
    return result


def grid_dashboard_section(center: Center, date_from: date, date_to: date) -> dict:
    """The leader dashboard's grid section: headline figures and the ten busiest workers."""
    section = grid_totals(center, date_from, date_to)
    section["open_events"] = open_event_count(center)
    return section


def open_event_count(center: Center) -> int:
    """Events of the subtree still waiting for review or handling at the grid (live, not a cohort)."""
    return GridEvent.objects.filter(
        center__in=center.subtree().values("pk"), status__in=[EventStatus.REPORTED, EventStatus.ACCEPTED]
    ).count()


def week_range(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# --- Counting straight from the ledger (slow, exact) ----------------------------------------------


def grid_ledger_counts(center: Center, date_from: date, date_to: date) -> dict:
    """The headline counters straight from events and logs: what the rollup must equal."""
    subtree = center.subtree().values("pk")
    events = GridEvent.objects.filter(center__in=subtree, reported_on__range=(date_from, date_to))
    valid = ~Q(status=EventStatus.INVALID)
    dispute = Q(category=EventCategory.DISPUTE)
    counts = events.aggregate(
        reported=Count("id"),
        invalid=Count("id", filter=Q(status=EventStatus.INVALID)),
        events=Count("id", filter=valid),
        closed_on_site=Count("id", filter=Q(handled_at__isnull=False)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        escalated_closed=Count("id", filter=Q(escalated_closed_at__isnull=False)),
        disputes=Count("id", filter=dispute & valid),
        disputes_resolved=Count("id", filter=dispute & Q(resolved=True)),
        hotline=Count("id", filter=Q(source=EventSource.HOTLINE) & valid),
        overdue=Count("id", filter=Q(deadline__state=DeadlineState.BREACHED)),
        fed_back=Count("id", filter=Q(fed_back_at__isnull=False)),
    )
    logs = WorkLog.objects.filter(center__in=subtree, occurred_on__range=(date_from, date_to))
    counts.update(
        logs.aggregate(
            household_visits=Count("id", filter=Q(kind=LogKind.HOUSEHOLD_VISIT)),
            patrols=Count("id", filter=Q(kind=LogKind.PATROL)),
            screenings=Count("id", filter=Q(kind=LogKind.SCREENING)),
            households_screened=Sum("households", filter=Q(kind=LogKind.SCREENING), default=0),
            key_persons=Count("id", filter=Q(kind=LogKind.KEY_PERSON)),
        )
    )
    return counts
