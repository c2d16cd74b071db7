"""The figures of mediation, court docking and legal services counted directly from the tables
(slow, exact): what the rollups must equal — the proof behind `mediation.selectors.stats`, used by
the tests and `manage.py check_mediation_stats` (as `governance.selectors.dashboard.ledger_counts`
is for the core). Also the all-time league of given mediators (committee pages), which reads each
mediator's own index range.

Every figure belongs to the registration day of its case (the cohort the core's rollups use):
"cases registered in [date_from, date_to] at `center` and below, and what became of them".
Cases counted are every case of the `mediation` service line, whether or not a mediation file
was opened; files, agreements and confirmations are those of cases in that window (any line);
pre-litigation and fast-track figures are the court referrals registered in it. Every rate travels
with its numerator and denominator (`with_rate`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q

from governance.models import Case, CaseStatus, Center, Outcome, ServiceLine
from governance.selectors.dashboard import with_rate
from mediation.choices import (
    CommitteeKind,
    ConfirmationStatus,
    FileStatus,
    MediationKind,
    Performance,
)
from mediation.models import (
    Agreement,
    CourtReferral,
    LegalService,
    MediationFile,
)
from mediation.selectors.stats import court_docking_figures, legal_figures

FAILED_OUTCOMES = (Outcome.UNRESOLVED, Outcome.LITIGATION)


def _cases(center: Center, date_from: date, date_to: date):
    return Case.objects.filter(center__in=center.subtree().values("pk"), registered_on__range=(date_from, date_to))


def _period(center: Center, date_from: date, date_to: date, prefix: str = "") -> dict:
    """The same window on a table that carries its case's center and day (files, referrals, legal
    services): no join with the cases."""
    return {
        f"{prefix}case_center__in": center.subtree().values("pk"),
        f"{prefix}case_registered_on__range": (date_from, date_to),
    }


def _case_block(counts: dict[str, int]) -> dict:
    block = {name: counts.get(name, 0) for name in ("cases", "resolved", "failed", "withdrawn", "in_progress")}
    with_rate(block, "resolution_rate", block["resolved"], block["cases"])
    return block


def _file_block(counts: dict[str, int]) -> dict:
    block = {name: counts.get(name, 0) for name in ("files", "accepted", "mediating", "agreed", "failed", "withdrawn")}
    with_rate(block, "success_rate", block["agreed"], block["accepted"])
    return block


def _split_accepted(rows) -> list[dict]:
    """Grouped rows with `n` files of which `accepted` were accepted → rows that are all accepted
    or all not (what `_count_files` reads)."""
    flat = []
    for row in rows:
        if row["accepted"]:
            flat.append({**row, "n": row["accepted"], "accepted": True})
        if row["n"] - row["accepted"]:
            flat.append({**row, "n": row["n"] - row["accepted"], "accepted": False})
    return flat


def _count_files(rows, key) -> dict:
    """rows of (key…, status, accepted, n) → per key the file counters."""
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counters = out[key(row)]
        n = row["n"]
        counters["files"] += n
        if row["accepted"]:
            counters["accepted"] += n
        if row["status"] == FileStatus.MEDIATING:
            counters["mediating"] += n
        elif row["status"] == FileStatus.AGREED:
            counters["agreed"] += n
        elif row["status"] == FileStatus.FAILED:
            counters["failed"] += n
        elif row["status"] == FileStatus.WITHDRAWN:
            counters["withdrawn"] += n
    return out


def mediation_ledger_stats(
    *, center: Center, date_from: date, date_to: date, mediator_limit: int | None = None
) -> dict:
    cases = _cases(center, date_from, date_to)
    window = _period(center, date_from, date_to)

    # --- cases of the mediation line, by category (one query) ----------------------------------
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    category_meta: dict[str, tuple[int, str]] = {}
    for row in (
        cases.filter(service_line=ServiceLine.MEDIATION)
        .values("category__key", "category__label", "category__order", "status", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = row["category__key"]
        category_meta[key] = (row["category__order"], row["category__label"])
        counters = by_category[key]
        counters["cases"] += row["n"]
        if row["status"] != CaseStatus.CLOSED:
            counters["in_progress"] += row["n"]
        elif row["outcome"] == Outcome.RESOLVED:
            counters["resolved"] += row["n"]
        elif row["outcome"] in FAILED_OUTCOMES:
            counters["failed"] += row["n"]
        else:
            counters["withdrawn"] += row["n"]
    totals: dict[str, int] = defaultdict(int)
    for counters in by_category.values():
        for name, value in counters.items():
            totals[name] += value
    figures: dict = {
        "center": {"id": center.pk, "name": center.name},
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        **_case_block(totals),
    }
    figures["by_category"] = [
        {"key": key, "label": category_meta[key][1], **_case_block(by_category[key])}
        for key in sorted(by_category, key=lambda k: (category_meta[k][0], k))
    ]

    # --- files (all lines), by kind, committee, mediator (one query, names joined) ---------------
    flat = _split_accepted(
        MediationFile.objects.filter(**window)
        .values(
            "kind",
            "status",
            "committee_id",
            "committee__name",
            "committee__kind",
            "committee__center__name",
            "mediator_id",
            "mediator__name",
            "mediator__is_chief",
            "mediator__studio",
            "mediator__committee_id",
            "mediator__committee__name",
        )
        .annotate(n=Count("id"), accepted=Count("accepted_at"))
        .order_by()
    )
    figures["files"] = _file_block(_count_files(flat, lambda r: "all")["all"])
    figures["files"]["refused"] = sum(r["n"] for r in flat if r["status"] == FileStatus.REFUSED)
    kinds = _count_files(flat, lambda r: r["kind"])
    figures["by_kind"] = [
        {"key": key, "label": str(label), **_file_block(kinds.get(key, {}))} for key, label in MediationKind.choices
    ]
    committee_labels = dict(CommitteeKind.choices)
    per_committee = _count_files(
        flat,
        lambda r: (r["committee_id"], r["committee__name"], r["committee__kind"], r["committee__center__name"]),
    )
    figures["by_committee"] = sorted(
        (
            {
                "id": pk,
                "name": name,
                "kind": kind,
                "kind_label": str(committee_labels.get(kind, kind)),
                "center_name": center_name,
                **_file_block(counters),
            }
            for (pk, name, kind, center_name), counters in per_committee.items()
        ),
        key=lambda r: (-r["files"], r["id"]),
    )
    per_mediator = _count_files(
        flat,
        lambda r: (
            r["mediator_id"],
            r["mediator__name"],
            r["mediator__committee_id"],
            r["mediator__committee__name"],
            r["mediator__is_chief"],
            r["mediator__studio"],
        ),
    )
    league = sorted(
        (
            {
                "id": pk,
                "name": name,
                "committee": committee_id,
                "committee_name": committee_name,
                "is_chief": is_chief,
                "studio": studio,
                **_file_block(counters),
            }
            for (pk, name, committee_id, committee_name, is_chief, studio), counters in per_mediator.items()
        ),
        key=lambda r: (-r["files"], r["id"]),
    )
    figures["mediators_total"] = len(league)
    figures["by_mediator"] = league[:mediator_limit] if mediator_limit else league

    # --- agreements and judicial confirmation (one query) ------------------------------------------
    confirmed = "confirmation__status"
    agg = Agreement.objects.filter(**_period(center, date_from, date_to, "file__")).aggregate(
        total=Count("id"),
        fully_performed=Count("id", filter=Q(performance=Performance.FULLY_PERFORMED)),
        in_default=Count("id", filter=Q(performance__in=[Performance.NOT_PERFORMED, Performance.PARTLY_PERFORMED])),
        applied=Count("confirmation"),
        accepted=Count("confirmation", filter=Q(confirmation__accepted_at__isnull=False)),
        confirmed=Count("confirmation", filter=Q(**{confirmed: ConfirmationStatus.CONFIRMED})),
        refused=Count("confirmation", filter=Q(**{confirmed: ConfirmationStatus.REFUSED})),
        not_accepted=Count("confirmation", filter=Q(**{confirmed: ConfirmationStatus.NOT_ACCEPTED})),
        pending=Count(
            "confirmation",
            filter=Q(**{f"{confirmed}__in": [ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED]}),
        ),
    )
    figures["agreements"] = agg["total"]
    figures["agreements_fully_performed"] = agg["fully_performed"]
    figures["agreements_in_default"] = agg["in_default"]
    with_rate(figures, "full_performance_rate", agg["fully_performed"], agg["total"])
    confirmations = {
        name: agg[name] for name in ("applied", "accepted", "confirmed", "refused", "not_accepted", "pending")
    }
    with_rate(confirmations, "confirmation_rate", confirmations["confirmed"], confirmations["applied"])
    figures["judicial_confirmations"] = confirmations

    # --- court docking ------------------------------------------------------------------------------
    referral_rows = list(
        CourtReferral.objects.filter(**window).values("kind", "status", "result").annotate(n=Count("id")).order_by()
    )

    figures.update(court_docking_figures(referral_rows))
    return figures


def legal_ledger_stats(*, center: Center, date_from: date, date_to: date) -> dict:
    """Legal services by kind: applied, accepted, concluded (by outcome), refused, withdrawn."""
    rows = list(
        LegalService.objects.filter(**_period(center, date_from, date_to))
        .values("kind", "status", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return legal_figures(center, date_from, date_to, rows)


def mediator_league(mediators) -> dict[int, dict]:
    """All-time file counts and success rates of the given mediators (the committee pages)."""
    flat = _split_accepted(
        MediationFile.objects.filter(mediator__in=mediators)
        .values("mediator_id", "status")
        .annotate(n=Count("id"), accepted=Count("accepted_at"))
        .order_by()
    )
    counted = _count_files(flat, lambda r: r["mediator_id"])
    return {m.pk: _file_block(counted.get(m.pk, {})) for m in mediators}


def _differences(path: str, shown, counted) -> list[str]:
    if isinstance(shown, dict) and isinstance(counted, dict):
        return [
            problem
            for key in sorted(set(shown) | set(counted), key=str)
            for problem in _differences(f"{path}.{key}", shown.get(key), counted.get(key))
        ]
    if isinstance(shown, list) and isinstance(counted, list) and len(shown) == len(counted):
        return [
            problem
            for index, pair in enumerate(zip(shown, counted, strict=True))
            for problem in _differences(f"{path}[{index}]", *pair)
        ]
    return [] if shown == counted else [f"{path}: rollup {shown!r} ≠ ledger {counted!r}"]


def stats_match_ledger(*, center: Center, date_from: date, date_to: date) -> list[str]:
    """Differences between the figures read from the rollups and the same figures counted from the
    tables, for a center and a period (empty when equal)."""
    from mediation.selectors import stats

    window = {"center": center, "date_from": date_from, "date_to": date_to}
    return _differences("mediation", stats.mediation_stats(**window), mediation_ledger_stats(**window)) + _differences(
        "legal", stats.legal_stats(**window), legal_ledger_stats(**window)
    )
