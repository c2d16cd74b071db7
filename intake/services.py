"""One-stop reception: a visit is registered once, and its matter goes on the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from governance import policies, roles
from governance.models import Category, Center, Channel, User
from governance.services import stats
from governance.services.cases import case_register
from governance.services.persons import PartyInput, person_resolve
from intake.models import Visit, VisitStat

VISIT_KEY = ("scope_id", "day")


@dataclass(frozen=True)
class MatterInput:
    service_line: str
    category: Category
    risk_level: str
    summary: str
    flags: Sequence[str] = ()
    parties: Sequence[PartyInput] = field(default_factory=tuple)  # others involved (e.g. the respondent)


@transaction.atomic
def visit_register(
    *,
    actor: User | None,
    center: Center,
    visitors: Sequence[PartyInput],
    headcount: int | None = None,
    window: str = "",
    matter: MatterInput | None = None,
    note: str = "",
    visited_at: datetime | None = None,
) -> Visit:
    """Register a walk-in visit (and, if there is one, its matter as a case on the ledger). A
    visit of the policy's threshold or more people (default 5) is a collective visit."""
    roles.require(actor, roles.REGISTER)
    visited_at = visited_at or timezone.now()
    headcount = headcount or max(1, len(visitors))
    threshold = policies.policy_value(policies.COLLECTIVE_VISIT_THRESHOLD.key, center)
    case = None
    if matter is not None:
        case = case_register(
            actor=actor,
            center=center,
            channel=Channel.WALK_IN,
            service_line=matter.service_line,
            category=matter.category,
            risk_level=matter.risk_level,
            summary=matter.summary,
            parties=[*visitors, *matter.parties],
            headcount=headcount,
            flags=matter.flags,
            registered_at=visited_at,
        )
        first_party = case.parties.select_related("person").first() if visitors else None
        lead = first_party.person if first_party else None
    else:
        lead = (
            person_resolve(
                name=visitors[0].name,
                id_number=visitors[0].id_number,
                phone=visitors[0].phone,
                address=visitors[0].address,
            )
            if visitors
            else None
        )
    visit = Visit.objects.create(
        center=center,
        window=window or (actor.window if actor else ""),
        received_by=actor or case.first_handler,
        visited_at=visited_at,
        visited_on=timezone.localdate(visited_at),
        headcount=headcount,
        is_collective=headcount >= threshold,
        visitor=lead,
        case=case,
        note=note,
    )
    visit_counted(visit)
    return visit


def _visit_counters(visit: Visit) -> dict[str, int]:
    return {
        "visits": 1,
        "persons": visit.headcount,
        "collective_visits": 1 if visit.is_collective else 0,
        "collective_persons": visit.headcount if visit.is_collective else 0,
    }


def visit_counted(visit: Visit) -> None:
    counters = _visit_counters(visit)
    stats.increment(VisitStat, VISIT_KEY, {(scope, visit.visited_on): counters for scope in visit.center.scope_ids})


def visit_stats_rebuild(scopes: dict[int, list[int]]) -> None:
    VisitStat.objects.all().delete()
    q = connection.ops.quote_name
    select = f"""
        SELECT s.scope_id, v.visited_on, COUNT(*), SUM(v.headcount),
               SUM(CASE WHEN v.is_collective THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.is_collective THEN v.headcount ELSE 0 END)
        FROM {q(Visit._meta.db_table)} v
        JOIN scopes s ON s.center_id = v.center_id
        GROUP BY s.scope_id, v.visited_on"""
    with connection.cursor() as cursor:
        cursor.execute(
            *stats.rebuild_sql(
                q(VisitStat._meta.db_table),
                "scope_id, day, visits, persons, collective_visits, collective_persons",
                select,
                scopes,
            )
        )
