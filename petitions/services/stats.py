"""The petitions' rollup (`PetitionStat`: day and month rows, as the core's), kept in step with the
petitions in the same transaction, and rebuilt from the ledger by `stats_rebuild` (registered in
apps.py)."""

from __future__ import annotations

from django.db import connection

from governance.models.stats import DAY
from governance.services import stats
from governance.services.stats import SATISFIED
from petitions.models import Petition, PetitionStat

PETITION_KEY = ("scope_id", "period", "day", "form", "type", "is_collective")
COUNTERS = ("petitions", "persons", "repeated", "rated", "satisfied")


def petition_counted(petition: Petition, **counters: int) -> None:
    """Add `counters` (petitions / persons / repeated / rated / satisfied) to the petition's row of
    its registration day, for its center and every ancestor."""
    case = petition.case
    key = (petition.form, petition.type, petition.is_collective)
    deltas = {
        (scope, *period, *key): dict(counters)
        for scope in case.center.scope_ids
        for period in stats.day_and_month(case.registered_on)
    }
    stats.increment(PetitionStat, PETITION_KEY, deltas)


def petition_registered_counted(petition: Petition) -> None:
    petition_counted(petition, petitions=1, persons=petition.headcount, repeated=1 if petition.is_repeat else 0)


def petition_rated_counted(petition: Petition) -> None:
    petition_counted(petition, rated=1, satisfied=1 if petition.satisfaction in SATISFIED else 0)


def petition_stats_rebuild(scopes: dict[int, list[int]]) -> None:
    """Recompute `PetitionStat` from the petitions (INSERT … SELECT inside the database): the day
    rows, then the month rows from them."""
    PetitionStat.objects.all().delete()
    q = connection.ops.quote_name
    satisfied = ", ".join(f"'{value}'" for value in SATISFIED)
    case_table = q(Petition._meta.get_field("case").related_model._meta.db_table)
    select = f"""
        SELECT s.scope_id, '{DAY}', c.registered_on, p.form, p.type, p.is_collective, COUNT(*), SUM(p.headcount),
               SUM(CASE WHEN p.is_repeat THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.satisfaction <> '' THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.satisfaction IN ({satisfied}) THEN 1 ELSE 0 END)
        FROM {q(Petition._meta.db_table)} p
        JOIN {case_table} c ON c.id = p.case_id
        JOIN scopes s ON s.center_id = c.center_id
        GROUP BY s.scope_id, c.registered_on, p.form, p.type, p.is_collective"""
    with connection.cursor() as cursor:
        cursor.execute(
            *stats.rebuild_sql(
                q(PetitionStat._meta.db_table),
                "scope_id, period, day, form, type, is_collective, " + ", ".join(COUNTERS),
                select,
                scopes,
            )
        )
        cursor.execute(
            stats.month_rows_sql(q(PetitionStat._meta.db_table), ["form", "type", "is_collective"], COUNTERS)
        )
