"""Grid rollup writers (`GridStat`, see its docstring for the dimensions), called by every service
that changes a counted fact, in the same transaction; and the rebuild from the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Max

from governance.models import DeadlineState
from governance.models.stats import DAY
from governance.services import stats as core_stats
from grids.models import COUNTERS, EventCategory, EventSource, EventStatus, Grid, GridEvent, GridStat, LogKind, WorkLog

KEY = ("scope_id", "dimension", "period", "day", "key")

Deltas = dict[tuple, dict[str, int]]


def _add(
    deltas: Deltas,
    *,
    scope_ids: list[int],
    lineage_ids: list[int],
    day: date,
    worker_id: int | None,
    category: str | None,
    counters: dict[str, int],
) -> None:
    village_id = scope_ids[0]
    keys = []
    for period in core_stats.day_and_month(day):  # its day's row and its month's
        keys += [(scope_id, "total", *period, "") for scope_id in scope_ids]
        if category:
            keys += [(scope_id, "category", *period, category) for scope_id in scope_ids]
        keys += [(village_id, "grid", *period, str(grid_id)) for grid_id in lineage_ids]
        if worker_id:
            keys.append((village_id, "worker", *period, str(worker_id)))
    for key in keys:
        row = deltas.setdefault(key, defaultdict(int))
        for name, value in counters.items():
            row[name] += value


def _write(deltas: Deltas) -> None:
    core_stats.increment(GridStat, KEY, {key: dict(row) for key, row in deltas.items()})


def event_counted(event: GridEvent, **counters: int) -> None:
    """Count `counters` (reported=1, closed_on_site=1, …) for one event, on its report day."""
    deltas: Deltas = {}
    _add(
        deltas,
        scope_ids=event.center.scope_ids,
        lineage_ids=event.grid.lineage_ids,
        day=event.reported_on,
        worker_id=event.worker_id,
        category=event.category,
        counters=counters,
    )
    _write(deltas)


def lineage_map(grid_ids: Iterable[int]) -> dict[int, list[int]]:
    """grid id → its id and its ancestors' ids (nearest first), for a batch, in two queries."""
    paths = dict(Grid.objects.filter(pk__in=set(grid_ids)).values_list("pk", "path"))
    step = Grid.steplen
    prefixes = {p[:end] for p in paths.values() for end in range(step, len(p), step)}
    by_path = dict(Grid.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return {pk: [pk, *(by_path[path[:end]] for end in range(len(path) - step, 0, -step))] for pk, path in paths.items()}


def events_counted(events: list[GridEvent], **counters: int) -> None:
    """The same for a batch (the deadline sweep), in one upsert."""
    if not events:
        return
    scopes = core_stats.scope_map(e.center_id for e in events)
    lineages = lineage_map(e.grid_id for e in events)
    deltas: Deltas = {}
    for event in events:
        _add(
            deltas,
            scope_ids=scopes[event.center_id],
            lineage_ids=lineages[event.grid_id],
            day=event.reported_on,
            worker_id=event.worker_id,
            category=event.category,
            counters=counters,
        )
    _write(deltas)


LOG_COUNTER = {
    LogKind.HOUSEHOLD_VISIT: "household_visits",
    LogKind.PATROL: "patrols",
    LogKind.SCREENING: "screenings",
    LogKind.KEY_PERSON: "key_persons",
}


def _log_counters(log: WorkLog) -> dict[str, int]:
    counters = {LOG_COUNTER[log.kind]: 1}
    if log.kind == LogKind.SCREENING:
        counters["households_screened"] = log.households
    return counters


def log_counted(log: WorkLog) -> None:
    deltas: Deltas = {}
    _add(
        deltas,
        scope_ids=log.center.scope_ids,
        lineage_ids=log.grid.lineage_ids,
        day=log.occurred_on,
        worker_id=log.worker_id,
        category=None,
        counters=_log_counters(log),
    )
    _write(deltas)


# --- Rebuild from the ledger --------------------------------------------------------------------


def _case(condition: str, value: str = "1") -> str:
    return f"CASE WHEN {condition} THEN {value} ELSE 0 END"


def _facts_sql() -> str:
    """One row per event and per work log with its counters (the ledger's truth), as a subquery."""
    q = connection.ops.quote_name
    valid = f"e.status <> '{EventStatus.INVALID}'"
    dispute = f"e.category = '{EventCategory.DISPUTE}'"
    event_counters = {
        "reported": "1",
        "invalid": _case(f"e.status = '{EventStatus.INVALID}'"),
        "events": _case(valid),
        "closed_on_site": _case("e.handled_at IS NOT NULL"),
        "escalated": _case("e.escalated_at IS NOT NULL"),
        "escalated_closed": _case("e.escalated_closed_at IS NOT NULL"),
        "disputes": _case(f"{dispute} AND {valid}"),
        "disputes_resolved": _case(f"{dispute} AND e.resolved = TRUE"),
        "hotline": _case(f"e.source = '{EventSource.HOTLINE}' AND {valid}"),
        "overdue": _case(f"d.state = '{DeadlineState.BREACHED}'"),
        "fed_back": _case("e.fed_back_at IS NOT NULL"),
    }
    log_counters = {
        "household_visits": _case(f"l.kind = '{LogKind.HOUSEHOLD_VISIT}'"),
        "patrols": _case(f"l.kind = '{LogKind.PATROL}'"),
        "screenings": _case(f"l.kind = '{LogKind.SCREENING}'"),
        "households_screened": _case(f"l.kind = '{LogKind.SCREENING}'", "l.households"),
        "key_persons": _case(f"l.kind = '{LogKind.KEY_PERSON}'"),
    }
    names = list(COUNTERS)
    event_cols = ", ".join(f"{event_counters.get(n, '0')} AS {n}" for n in names)
    log_cols = ", ".join(f"{log_counters.get(n, '0')} AS {n}" for n in names)
    events_table, logs_table = q(GridEvent._meta.db_table), q(WorkLog._meta.db_table)
    deadline_table = q(GridEvent._meta.get_field("deadline").related_model._meta.db_table)
    return f"""(
        SELECT e.center_id, e.grid_id, e.worker_id, e.category, e.reported_on AS day, {event_cols}
        FROM {events_table} e LEFT JOIN {deadline_table} d ON d.id = e.deadline_id
        UNION ALL
        SELECT l.center_id, l.grid_id, l.worker_id, NULL, l.occurred_on, {log_cols}
        FROM {logs_table} l
    ) f"""


def _lineage_sql() -> str:
    """(grid_id, ancestor_id) for every node and each of its ancestors (itself included), built
    level by level with equality joins on the indexed path."""
    q = connection.ops.quote_name
    table = q(Grid._meta.db_table)
    depth = Grid.objects.aggregate(m=Max("depth"))["m"] or 1
    parts = [
        f"SELECT g.id AS grid_id, a.id AS ancestor_id FROM {table} g "
        f"JOIN {table} a ON a.path = substr(g.path, 1, {level * Grid.steplen}) WHERE g.depth >= {level}"
        for level in range(1, depth + 1)
    ]
    return "(" + " UNION ALL ".join(parts) + ") lin"


def grid_stats_rebuild(scopes: dict[int, list[int]]) -> None:
    """Recompute `GridStat` from events and work logs (registered with the core's `stats_rebuild`).

    The ledger is read once, into a temporary table grouped by village, node, worker, type and day
    (a few rows per grid and day instead of one per record); the four dimensions' day rows are
    then summed from that, and the month rows from the day rows."""
    GridStat.objects.all().delete()
    if not scopes:
        return
    q = connection.ops.quote_name
    names = list(COUNTERS)
    target = q(GridStat._meta.db_table)
    columns = "scope_id, dimension, period, day, key, " + ", ".join(names)
    grouped = ", ".join(f"SUM(f.{n}) AS {n}" for n in names)
    sums = ", ".join(f"SUM(f.{n})" for n in names)
    facts = "grids_rebuild_facts"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the grouping of a city's year fits in memory; the default 4 MB spills it to disk
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {facts}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {facts} AS SELECT f.center_id, f.grid_id, f.worker_id, f.category, f.day, "
            f"{grouped} FROM {_facts_sql()} GROUP BY f.center_id, f.grid_id, f.worker_id, f.category, f.day"
        )
        for select in (
            f"SELECT s.scope_id, 'total', '{DAY}', f.day, '', {sums} FROM {facts} f "
            "JOIN scopes s ON s.center_id = f.center_id GROUP BY s.scope_id, f.day",
            f"SELECT s.scope_id, 'category', '{DAY}', f.day, f.category, {sums} FROM {facts} f "
            "JOIN scopes s ON s.center_id = f.center_id WHERE f.category IS NOT NULL "
            "GROUP BY s.scope_id, f.day, f.category",
        ):
            cursor.execute(*core_stats.rebuild_sql(target, columns, select, scopes))
        cursor.execute(
            f"INSERT INTO {target} ({columns}) SELECT f.center_id, 'grid', '{DAY}', f.day, "
            "CAST(lin.ancestor_id AS TEXT), "
            f"{sums} FROM {facts} f JOIN {_lineage_sql()} ON lin.grid_id = f.grid_id "
            "GROUP BY f.center_id, f.day, lin.ancestor_id"
        )
        cursor.execute(
            f"INSERT INTO {target} ({columns}) SELECT f.center_id, 'worker', '{DAY}', f.day, "
            "CAST(f.worker_id AS TEXT), "
            f"{sums} FROM {facts} f WHERE f.worker_id IS NOT NULL GROUP BY f.center_id, f.day, f.worker_id"
        )
        cursor.execute(f"DROP TABLE {facts}")
        cursor.execute(core_stats.month_rows_sql(target, ["dimension", "key"], names))
