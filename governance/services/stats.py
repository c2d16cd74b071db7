"""Rollup writers: every change to the ledger that a report counts calls one of these inside the
same transaction, so the dashboard never drifts from the ledger.

Rows are upserted with `INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` (PostgreSQL and
SQLite alike), keys sorted so that concurrent writers take row locks in the same order. Every
change goes on its day's row and on its month's row (`day_and_month`; see
`governance.models.stats`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from governance.models import (
    Case,
    CaseStat,
    CaseStatus,
    Center,
    Deadline,
    DeadlineStat,
    DeadlineState,
    Dispatch,
    DispatchStat,
    DispatchStatus,
    FollowUp,
    Outcome,
    Satisfaction,
)
from governance.models.stats import DAY, MONTH

CASE_DIMENSIONS = ("service_line", "category", "channel", "risk_level", "line_category")
CASE_COUNTERS = ("cases", "persons", "closed", "resolved", "withdrawn", "followed_up", "satisfied")
DISPATCH_COUNTERS = ("dispatched", "rejected", "fed_back", "resolved")
DEADLINE_COUNTERS = ("opened", "met", "breached", "cancelled")
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)

Deltas = dict[tuple, dict[str, int]]


def increment(model, key_fields: tuple[str, ...], deltas: Deltas) -> None:
    """Add `deltas` (key tuple → {counter: n}) to the rollup `model`, creating rows as needed."""
    deltas = {key: counters for key, counters in deltas.items() if any(counters.values())}
    if not deltas:
        return
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    key_columns = [meta.get_field(name).column for name in key_fields]
    counters = sorted({name for row in deltas.values() for name in row})
    counter_columns = [meta.get_field(name).column for name in counters]
    columns = key_columns + counter_columns
    quoted = [connection.ops.quote_name(c) for c in columns]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    for key in sorted(deltas):
        params.extend(key)
        params.extend(deltas[key].get(name, 0) for name in counters)
    updates = ", ".join(
        f"{connection.ops.quote_name(c)} = {table}.{connection.ops.quote_name(c)} + EXCLUDED.{connection.ops.quote_name(c)}"
        for c in counter_columns
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(quoted)}) VALUES {', '.join([placeholders] * len(deltas))} "
        f"ON CONFLICT ({', '.join(connection.ops.quote_name(c) for c in key_columns)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def day_and_month(day) -> tuple[tuple, tuple]:
    """The (period, day) of a change's two rollup rows: its day's and its month's."""
    return (DAY, day), (MONTH, day.replace(day=1))


def _case_keys(case: Case) -> list[tuple[str, str]]:
    return [
        ("service_line", case.service_line),
        ("category", case.category.key),
        ("channel", case.channel),
        ("risk_level", case.risk_level),
        ("line_category", f"{case.service_line}:{case.category.key}"),
    ]


def _case_deltas(case: Case, counters: dict[str, int]) -> Deltas:
    deltas: Deltas = {}
    for scope_id in case.center.scope_ids:
        for period in day_and_month(case.registered_on):
            for dimension, key in _case_keys(case):
                deltas[(scope_id, *period, dimension, key)] = dict(counters)
    return deltas


CASE_KEY = ("scope_id", "period", "day", "dimension", "key")
DISPATCH_KEY = ("scope_id", "period", "day", "department_id")
DEADLINE_KEY = ("scope_id", "period", "day", "kind", "department_id")


def case_registered(case: Case) -> None:
    increment(CaseStat, CASE_KEY, _case_deltas(case, {"cases": 1, "persons": case.headcount}))


def cases_registered(cases: Iterable[Case], scope_ids: dict[int, list[int]]) -> None:
    """`case_registered` for a batch (a bulk import): the deltas summed, one upsert for all.
    `scope_ids` maps each case's center id to its scopes (`scope_map`)."""
    deltas: Deltas = defaultdict(lambda: defaultdict(int))
    for case in cases:
        keys = _case_keys(case)
        for scope_id in scope_ids[case.center_id]:
            for period in day_and_month(case.registered_on):
                for dimension, key in keys:
                    counters = deltas[(scope_id, *period, dimension, key)]
                    counters["cases"] += 1
                    counters["persons"] += case.headcount
    increment(CaseStat, CASE_KEY, {key: dict(value) for key, value in deltas.items()})


def case_closed(case: Case) -> None:
    counters = {
        "closed": 1,
        "resolved": 1 if case.outcome == Outcome.RESOLVED else 0,
        "withdrawn": 1 if case.outcome == Outcome.WITHDRAWN else 0,
    }
    increment(CaseStat, CASE_KEY, _case_deltas(case, counters))


def case_followed_up(case: Case, satisfaction: str) -> None:
    counters = {"followed_up": 1, "satisfied": 1 if satisfaction in SATISFIED else 0}
    increment(CaseStat, CASE_KEY, _case_deltas(case, counters))


def _dispatch_deltas(dispatch: Dispatch, counters: dict[str, int]) -> Deltas:
    return {
        (scope_id, *period, dispatch.department_id): dict(counters)
        for scope_id in dispatch.case.center.scope_ids
        for period in day_and_month(dispatch.dispatched_on)
    }


def dispatch_counted(dispatch: Dispatch, **counters: int) -> None:
    """counters: dispatched / rejected / fed_back / resolved."""
    increment(DispatchStat, DISPATCH_KEY, _dispatch_deltas(dispatch, counters))


def deadlines_counted(
    deadlines: Iterable[Deadline], counter: str, scope_ids: dict[int, list[int]] | None = None
) -> None:
    """Count `counter` (opened / met / breached / cancelled) once for each deadline."""
    deltas: Deltas = defaultdict(lambda: defaultdict(int))
    for deadline in deadlines:
        scopes = scope_ids[deadline.center_id] if scope_ids else deadline.center.scope_ids
        for scope_id in scopes:
            for period in day_and_month(deadline.started_on):
                deltas[(scope_id, *period, deadline.kind, deadline.department_id or 0)][counter] += 1
    increment(DeadlineStat, DEADLINE_KEY, {key: dict(value) for key, value in deltas.items()})


def scope_map(center_ids: Iterable[int]) -> dict[int, list[int]]:
    """center id → its scope ids (itself and its ancestors), for a batch, in one query."""
    centers = {c.pk: c for c in Center.objects.all().only("id", "path", "depth")}
    by_path = {c.path: c.pk for c in centers.values()}
    result = {}
    for center_id in set(center_ids):
        path = centers[center_id].path
        step = Center.steplen
        result[center_id] = [center_id, *(by_path[path[:end]] for end in range(len(path) - step, 0, -step))]
    return result


# --- Rebuild from the ledger --------------------------------------------------------------------

_SATISFIED_SQL = ", ".join(f"'{value}'" for value in SATISFIED)


def rebuild_sql(target: str, columns: str, select: str, scopes: dict[int, list[int]]) -> tuple[str, list[int]]:
    """INSERT … SELECT that spreads each ledger row over its center's scopes (itself and its
    ancestors) with a VALUES list of (center_id, scope_id) pairs — all in the database."""
    pairs = [(center_id, scope_id) for center_id, scope_ids in scopes.items() for scope_id in scope_ids]
    values = ", ".join(["(%s, %s)"] * len(pairs))
    params = [value for pair in pairs for value in pair]
    sql = f"INSERT INTO {target} ({columns}) WITH scopes (center_id, scope_id) AS (VALUES {values}) {select}"
    return sql, params


def month_start_sql(column: str) -> str:
    """The first day of the month of a date column, in the database's dialect."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def month_rows_sql(table: str, keys: list[str], counters: Iterable[str]) -> str:
    """INSERT the month rows of a rollup (`period` "month"): the sums of its day rows."""
    counters = list(counters)
    month = month_start_sql("day")
    columns = ", ".join(["scope_id", "period", "day", *keys, *counters])
    return (
        f"INSERT INTO {table} ({columns}) "
        f"SELECT scope_id, '{MONTH}', {month}, {', '.join(keys)}, {', '.join(f'SUM({c})' for c in counters)} "
        f"FROM {table} WHERE period = '{DAY}' GROUP BY scope_id, {month}, {', '.join(keys)}"
    )


@transaction.atomic
def stats_rebuild() -> None:
    """Recompute every rollup from the ledger (after a bulk load, or to repair). Runs as a few
    INSERT … SELECT … GROUP BY statements inside the database: the day rows from the ledger, then
    the month rows from the day rows."""
    CaseStat.objects.all().delete()
    DispatchStat.objects.all().delete()
    DeadlineStat.objects.all().delete()
    scopes = scope_map(Center.objects.values_list("pk", flat=True))
    if not scopes:
        return
    q = connection.ops.quote_name
    case_table, follow_table = q(Case._meta.db_table), q(FollowUp._meta.db_table)
    category_table = q(Case._meta.get_field("category").related_model._meta.db_table)
    with connection.cursor() as cursor:
        for dimension in CASE_DIMENSIONS:
            key = {"category": "cat.key", "line_category": "c.service_line || ':' || cat.key"}.get(
                dimension, f"c.{dimension}"
            )
            select = f"""
                SELECT s.scope_id, '{DAY}', c.registered_on, '{dimension}', {key}, COUNT(*), SUM(c.headcount),
                       SUM(CASE WHEN c.status = '{CaseStatus.CLOSED}' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN c.outcome = '{Outcome.RESOLVED}' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN c.outcome = '{Outcome.WITHDRAWN}' THEN 1 ELSE 0 END),
                       COUNT(f.id),
                       SUM(CASE WHEN f.satisfaction IN ({_SATISFIED_SQL}) THEN 1 ELSE 0 END)
                FROM {case_table} c
                JOIN scopes s ON s.center_id = c.center_id
                JOIN {category_table} cat ON cat.id = c.category_id
                LEFT JOIN {follow_table} f ON f.case_id = c.id
                GROUP BY s.scope_id, c.registered_on, {key}"""
            cursor.execute(
                *rebuild_sql(
                    q(CaseStat._meta.db_table),
                    "scope_id, period, day, dimension, key, " + ", ".join(CASE_COUNTERS),
                    select,
                    scopes,
                )
            )
        select = f"""
            SELECT s.scope_id, '{DAY}', d.dispatched_on, d.department_id, COUNT(*),
                   SUM(CASE WHEN d.status = '{DispatchStatus.REJECTED}' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.status = '{DispatchStatus.FED_BACK}' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.status = '{DispatchStatus.FED_BACK}' AND d.feedback_resolved THEN 1 ELSE 0 END)
            FROM {q(Dispatch._meta.db_table)} d
            JOIN {case_table} c ON c.id = d.case_id
            JOIN scopes s ON s.center_id = c.center_id
            GROUP BY s.scope_id, d.dispatched_on, d.department_id"""
        cursor.execute(
            *rebuild_sql(
                q(DispatchStat._meta.db_table),
                "scope_id, period, day, department_id, " + ", ".join(DISPATCH_COUNTERS),
                select,
                scopes,
            )
        )
        select = f"""
            SELECT s.scope_id, '{DAY}', d.started_on, d.kind, COALESCE(d.department_id, 0), COUNT(*),
                   SUM(CASE WHEN d.state = '{DeadlineState.MET}' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.state = '{DeadlineState.BREACHED}' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.state = '{DeadlineState.CANCELLED}' THEN 1 ELSE 0 END)
            FROM {q(Deadline._meta.db_table)} d
            JOIN scopes s ON s.center_id = d.center_id
            GROUP BY s.scope_id, d.started_on, d.kind, COALESCE(d.department_id, 0)"""
        cursor.execute(
            *rebuild_sql(
                q(DeadlineStat._meta.db_table),
                "scope_id, period, day, kind, department_id, " + ", ".join(DEADLINE_COUNTERS),
                select,
                scopes,
            )
        )
        cursor.execute(month_rows_sql(q(CaseStat._meta.db_table), ["dimension", "key"], CASE_COUNTERS))
        cursor.execute(month_rows_sql(q(DispatchStat._meta.db_table), ["department_id"], DISPATCH_COUNTERS))
        cursor.execute(month_rows_sql(q(DeadlineStat._meta.db_table), ["kind", "department_id"], DEADLINE_COUNTERS))

    from governance.registry import stats_rebuilders

    for rebuild in stats_rebuilders():
        rebuild(scopes)
