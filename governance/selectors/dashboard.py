"""The figures a leader reads, from the daily and monthly rollups (a period's whole months from the
month rows, the days at its edges from the day rows: a few index ranges per query, whatever the
size of the ledger), plus `ledger_counts`, the same figures counted directly from the ledger —
the proof that the rollups are right."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from governance import registry
from governance.models import (
    Case,
    CaseStat,
    CaseStatus,
    Category,
    Center,
    Channel,
    Deadline,
    DeadlineStat,
    DeadlineState,
    Department,
    Dispatch,
    DispatchStat,
    DispatchStatus,
    FollowUp,
    Outcome,
    RiskLevel,
    ServiceLine,
)
from governance.models.stats import DAY, MONTH
from governance.services.dispatch import FEEDBACK, RESPONSE
from governance.services.stats import CASE_COUNTERS, SATISFIED


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def period_ranges(date_from: date, date_to: date) -> list[tuple[str, date, date]]:
    """[date_from, date_to] on a rollup with day and month rows (`governance.models.stats`), as
    (period, first, last) index ranges: its whole months from the month rows, the days before the
    first and after the last whole month from the day rows. A year is 12 month rows and no day
    rows per key, not 365. Read them with `period_sums`."""
    try:
        first = date_from if date_from.day == 1 else _next_month(date_from)  # the first whole month
        after = date_to + timedelta(days=1)
        end = after if after.day == 1 else date_to.replace(day=1)  # the month after the last whole one
    except OverflowError:  # the end of the calendar: days only
        first = end = date_to
    if first >= end:  # no whole month
        return [(DAY, date_from, date_to)]
    one_day = timedelta(days=1)
    ranges = [(MONTH, first, end - one_day)]
    if date_from < first:
        ranges.append((DAY, date_from, first - one_day))
    if end <= date_to:
        ranges.append((DAY, end, date_to))
    return ranges


def period_parts(date_from: date, date_to: date) -> list[Q]:
    """`period_ranges` as conditions."""
    return [Q(period=period, day__range=(first, last)) for period, first, last in period_ranges(date_from, date_to)]


# Stand-ins for a range's period and bounds in the statement `period_sums` compiles once.
_PERIOD, _FIRST, _LAST = "\x00period", date(1, 1, 2), date(1, 1, 3)


def period_sums(
    rollup: QuerySet, *, date_from: date, date_to: date, group_by: Sequence[str], counters: Sequence[str]
) -> list[dict]:
    """The rows of a rollup (already filtered, e.g. to a scope) summed over [date_from, date_to] by
    `group_by` (fields of the rollup), as dicts of the group and its counters.

    One statement: a UNION ALL of one GROUP BY per range of `period_ranges`, each read as an index
    range — an OR of the ranges would not be: PostgreSQL reads the scope's whole history and
    filters it. The ORM compiles the GROUP BY once, with stand-ins for the range, and the
    statement repeats it with each range's values (building and compiling a query costs more than
    running it on these small index ranges: a dashboard reads a dozen). The ranges' sums are
    added up here; a counter with no rows is 0."""
    template = (
        rollup.filter(period=_PERIOD, day__gte=_FIRST, day__lte=_LAST)
        .values(*group_by)
        .annotate(**{name: Sum(name) for name in counters})
        .order_by()
    )
    connection = connections[template.db]
    sql, params = template.query.sql_with_params()
    day = template.model._meta.get_field("day")
    stand_ins = {_PERIOD: 0, day.get_db_prep_value(_FIRST, connection): 1, day.get_db_prep_value(_LAST, connection): 2}
    slots = [(i, stand_ins[p]) for i, p in enumerate(params) if isinstance(p, str | date) and p in stand_ins]
    if sorted(slot for _i, slot in slots) != [0, 1, 2]:
        raise AssertionError(f"period_sums: the range's stand-ins were not found in {params!r}")
    ranges = period_ranges(date_from, date_to)
    bound: list = []
    for period, first, last in ranges:
        values = (period, day.get_db_prep_value(first, connection), day.get_db_prep_value(last, connection))
        part = list(params)
        for i, slot in slots:
            part[i] = values[slot]
        bound.extend(part)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([sql] * len(ranges)), bound)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    summed: dict[tuple, dict] = {}
    for values in rows:
        row = dict(zip(names, values, strict=True))
        key = tuple(row[name] for name in group_by)
        total = summed.get(key)
        if total is None:
            summed[key] = {**row, **{name: row[name] or 0 for name in counters}}
        else:
            for name in counters:
                total[name] += row[name] or 0
    return list(summed.values())


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction 0–1 rounded to 4 places, or None when there is nothing to divide."""
    return round(numerator / denominator, 4) if denominator else None


def with_rate(target: dict, name: str, numerator: int, denominator: int) -> dict:
    """Every rate travels with its numerator and denominator: `<name>` and `<name>_basis`."""
    target[name] = rate(numerator, denominator)
    target[f"{name}_basis"] = {"numerator": numerator, "denominator": denominator}
    return target


def _case_figures(counters: dict) -> dict:
    figures = {name: counters.get(name, 0) for name in CASE_COUNTERS}
    # headcount of the cases; top-level "persons" is the visitors' person-times (intake)
    figures["case_persons"] = figures.pop("persons")
    with_rate(figures, "closure_rate", figures["closed"], figures["cases"])
    with_rate(figures, "resolution_rate", figures["resolved"], figures["cases"])
    with_rate(figures, "satisfaction_rate", figures["satisfied"], figures["followed_up"])
    return figures


def _labels() -> dict[str, dict[str, str]]:
    return {
        "service_line": dict(ServiceLine.choices),
        "channel": dict(Channel.choices),
        "risk_level": dict(RiskLevel.choices),
        "category": {
            key: Category.label_for(label, label_en)
            for key, label, label_en in Category.objects.values_list("key", "label", "label_en")
        },
    }


def _dispatch_figures(
    dispatched: int, rejected: int, fed_back: int, resolved: int, response: dict, feedback: dict
) -> dict:
    figures = {
        "total": dispatched,
        "rejected": rejected,
        "fed_back": fed_back,
        "resolved": resolved,
        "responded_on_time": response.get("met", 0),
        "response_overdue": response.get("breached", 0),
        "fed_back_on_time": feedback.get("met", 0),
        "feedback_overdue": feedback.get("breached", 0),
    }
    with_rate(
        figures,
        "response_on_time_rate",
        figures["responded_on_time"],
        figures["responded_on_time"] + figures["response_overdue"],
    )
    with_rate(
        figures,
        "feedback_on_time_rate",
        figures["fed_back_on_time"],
        figures["fed_back_on_time"] + figures["feedback_overdue"],
    )
    with_rate(figures, "resolution_rate", resolved, fed_back)
    return figures


def line_by_category(*, center: Center, date_from: date, date_to: date, service_line: str) -> dict[str, dict]:
    """One service line's cases of the period by category, from the rollups: category key →
    cases, closed, resolved, withdrawn, followed_up, satisfied, case_persons (and the rates). What a
    center's own statistics (e.g. mediation's) show per category without reading the ledger."""
    prefix = f"{service_line}:"
    rows = period_sums(
        CaseStat.objects.filter(scope=center, dimension="line_category", key__startswith=prefix),
        date_from=date_from,
        date_to=date_to,
        group_by=["key"],
        counters=CASE_COUNTERS,
    )
    return {row["key"][len(prefix) :]: _case_figures(row) for row in rows}


def open_overdue_count(center: Center, kinds: list[str] | None = None) -> int:
    """Timers of this subtree that are past due and whose work is still not done (live)."""
    qs = Deadline.objects.filter(
        state=DeadlineState.BREACHED, completed_at__isnull=True, center__in=center.subtree().values("pk")
    )
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.count()


def dashboard_summary(*, center: Center, date_from: date, date_to: date) -> dict:
    """Cases registered in [date_from, date_to] at `center` and below, with what became of them;
    dispatches made in the period; timers started in the period (on-time rates)."""
    period = {"date_from": date_from, "date_to": date_to}
    rows = period_sums(
        CaseStat.objects.filter(scope=center), **period, group_by=["dimension", "key"], counters=CASE_COUNTERS
    )
    by_dimension: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        by_dimension[row["dimension"]][row["key"]] = row
    totals: dict[str, int] = defaultdict(int)
    for row in by_dimension["service_line"].values():
        for name in CASE_COUNTERS:
            totals[name] += row[name]

    labels = _labels()
    summary: dict = {
        "center": {"id": center.pk, "name": center.name},
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "visits": 0,
        "persons": 0,
    }
    summary.update(_case_figures(totals))

    for dimension, output in (
        ("category", "by_category"),
        ("channel", "by_channel"),
        ("service_line", "by_service_line"),
        ("risk_level", "by_risk_level"),
    ):
        found = by_dimension[dimension]
        keys = list(labels[dimension]) if dimension != "category" else [k for k in labels["category"] if k in found]
        keys += [k for k in found if k not in keys]
        summary[output] = [
            {"key": key, "label": str(labels[dimension].get(key, key)), **_case_figures(found.get(key, {}))}
            for key in keys
        ]

    dispatch_rows = {
        row["department_id"]: row
        for row in period_sums(
            DispatchStat.objects.filter(scope=center),
            **period,
            group_by=["department_id"],
            counters=["dispatched", "rejected", "fed_back", "resolved"],
        )
    }
    deadline_rows: dict[tuple[str, int], dict] = {
        (row["kind"], row["department_id"]): row
        for row in period_sums(
            DeadlineStat.objects.filter(scope=center, kind__in=[RESPONSE, FEEDBACK]),
            **period,
            group_by=["kind", "department_id"],
            counters=["met", "breached"],
        )
    }

    def for_department(department_id: int | None) -> dict:
        pick = [department_id] if department_id is not None else list(dispatch_rows)
        deadline_departments = [department_id] if department_id is not None else {d for (_, d) in deadline_rows}
        counts = defaultdict(int)
        for dept in pick:
            for name in ("dispatched", "rejected", "fed_back", "resolved"):
                counts[name] += dispatch_rows.get(dept, {}).get(name, 0)
        response = defaultdict(int)
        feedback = defaultdict(int)
        for dept in deadline_departments:
            for name in ("met", "breached"):
                response[name] += deadline_rows.get((RESPONSE, dept), {}).get(name, 0)
                feedback[name] += deadline_rows.get((FEEDBACK, dept), {}).get(name, 0)
        return _dispatch_figures(
            counts["dispatched"], counts["rejected"], counts["fed_back"], counts["resolved"], response, feedback
        )

    summary["dispatch"] = for_department(None)
    summary["dispatch"]["open_overdue"] = open_overdue_count(center, [RESPONSE, FEEDBACK])

    department_ids = set(dispatch_rows) | {d for (_, d) in deadline_rows}
    names = dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "name"))
    league = [{"id": dept, "name": names.get(dept, str(dept)), **for_department(dept)} for dept in department_ids]
    league.sort(key=lambda r: (-(r["feedback_on_time_rate"] or 0), -(r["response_on_time_rate"] or 0), -r["total"]))
    summary["by_department"] = league

    summary["sections"] = {}
    for section in registry.dashboard_sections():
        figures = section.compute(center, date_from, date_to)
        if section.top_level:
            summary.update(figures)
        else:
            summary["sections"][section.key] = {"label": str(section.label), **figures}
    return summary


def ledger_counts(*, center: Center, date_from: date, date_to: date) -> dict:
    """The headline figures counted straight from the ledger (slow, exact): what the rollups must
    equal. Used by the tests, `manage.py verify_stats` and the benchmarks."""
    subtree = center.subtree().values("pk")
    cases = Case.objects.filter(center__in=subtree, registered_on__range=(date_from, date_to))
    agg = cases.aggregate(
        cases=Count("id"),
        persons=Sum("headcount"),
        closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
        resolved=Count("id", filter=Q(outcome=Outcome.RESOLVED)),
        followed_up=Count("id", filter=Q(Exists(FollowUp.objects.filter(case=OuterRef("pk"))))),
        satisfied=Count(
            "id", filter=Q(Exists(FollowUp.objects.filter(case=OuterRef("pk"), satisfaction__in=SATISFIED)))
        ),
    )
    agg["persons"] = agg["persons"] or 0
    dispatches = Dispatch.objects.filter(case__center__in=subtree, dispatched_on__range=(date_from, date_to))
    deadlines = Deadline.objects.filter(center__in=subtree, started_on__range=(date_from, date_to))
    agg["dispatch"] = {
        "total": dispatches.count(),
        "rejected": dispatches.filter(status=DispatchStatus.REJECTED).count(),
        "fed_back": dispatches.filter(status=DispatchStatus.FED_BACK).count(),
        "resolved": dispatches.filter(status=DispatchStatus.FED_BACK, feedback_resolved=True).count(),
        "responded_on_time": deadlines.filter(kind=RESPONSE, state=DeadlineState.MET).count(),
        "response_overdue": deadlines.filter(kind=RESPONSE, state=DeadlineState.BREACHED).count(),
        "fed_back_on_time": deadlines.filter(kind=FEEDBACK, state=DeadlineState.MET).count(),
        "feedback_overdue": deadlines.filter(kind=FEEDBACK, state=DeadlineState.BREACHED).count(),
    }
    agg["by_category"] = dict(cases.values_list("category__key").annotate(n=Count("id")).order_by())
    agg["by_channel"] = dict(cases.values_list("channel").annotate(n=Count("id")).order_by())
    return agg


def summary_matches_ledger(summary: dict, ledger: dict) -> list[str]:
    """Differences between a dashboard summary and the ledger's own counts (empty when equal)."""
    problems = []
    for name in ("cases", "closed", "resolved", "followed_up", "satisfied"):
        if summary[name] != ledger[name]:
            problems.append(f"{name}: dashboard {summary[name]} ≠ ledger {ledger[name]}")
    if summary["case_persons"] != ledger["persons"]:
        problems.append(f"case_persons: dashboard {summary['case_persons']} ≠ ledger {ledger['persons']}")
    for name, value in ledger["dispatch"].items():
        if summary["dispatch"][name] != value:
            problems.append(f"dispatch.{name}: dashboard {summary['dispatch'][name]} ≠ ledger {value}")
    for output, key in (("by_category", "by_category"), ("by_channel", "by_channel")):
        shown = {row["key"]: row["cases"] for row in summary[output] if row["cases"]}
        if shown != ledger[key]:
            problems.append(f"{output}: dashboard {shown} ≠ ledger {ledger[key]}")
    return problems
