"""The figures of mediation, court docking and legal services, read from the daily rollups: the
core's `CaseStat` (a line's cases by category) and mediation's own `MediationStat`,
`ReferralStat` and `LegalServiceStat` — one index range of the center's own rows per query,
whatever the size of the ledger.

Every figure belongs to the registration day of its case (the cohort the core's rollups use):
"cases registered in [date_from, date_to] at `center` and below, and what became of them".
Cases counted are every case of the `mediation` service line, whether or not a mediation file
was opened; files, agreements and confirmations are those of cases in that window (any line);
pre-litigation and fast-track figures are the court referrals registered in it. Every rate travels
with its numerator and denominator (`with_rate`).

`mediation.selectors.ledger` counts the same figures directly from the tables; the tests prove
the two equal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from governance.models import Category, Center, ServiceLine
from governance.selectors.dashboard import line_by_category, period_sums, with_rate
from mediation.choices import CommitteeKind, MediationKind, ReferralKind, ReferralResult, ReferralStatus
from mediation.legal.models import LegalKind, LegalOutcome, LegalStatus
from mediation.models import FILE_COUNTERS, Committee, LegalServiceStat, MediationStat, Mediator, ReferralStat

FILE_FIGURES = ("files", "accepted", "mediating", "agreed", "failed", "withdrawn")


def _case_block(counts: dict[str, int]) -> dict:
    block = {name: counts.get(name, 0) for name in ("cases", "resolved", "failed", "withdrawn", "in_progress")}
    with_rate(block, "resolution_rate", block["resolved"], block["cases"])
    return block


def _file_block(counts: dict[str, int]) -> dict:
    block = {name: counts.get(name, 0) for name in FILE_FIGURES}
    with_rate(block, "success_rate", block["agreed"], block["accepted"])
    return block


def _sum_by(rows: list[dict], key) -> dict:
    """Rollup rows → per key the sum of every counter."""
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counters = out[key(row)]
        for name in FILE_COUNTERS:
            counters[name] += row[name]
    return out


def _case_figures(center: Center, date_from: date, date_to: date) -> tuple[dict, list[dict]]:
    """The mediation line's cases of the period, in total and by category (the core's rollup:
    failed = closed − resolved − withdrawn, i.e. unresolved or sent to litigation; in progress =
    not closed)."""
    by_key = line_by_category(center=center, date_from=date_from, date_to=date_to, service_line=ServiceLine.MEDIATION)
    meta = (
        {key: (order, label) for key, label, order in Category.objects.values_list("key", "label", "order")}
        if by_key
        else {}
    )
    by_category = {}
    for key, row in by_key.items():
        if not row["cases"]:
            continue
        by_category[key] = {
            "cases": row["cases"],
            "resolved": row["resolved"],
            "failed": row["closed"] - row["resolved"] - row["withdrawn"],
            "withdrawn": row["withdrawn"],
            "in_progress": row["cases"] - row["closed"],
        }
    totals: dict[str, int] = defaultdict(int)
    for counters in by_category.values():
        for name, value in counters.items():
            totals[name] += value
    rows = [
        {"key": key, "label": meta[key][1], **_case_block(by_category[key])}
        for key in sorted(by_category, key=lambda k: (meta[k][0], k))
    ]
    return _case_block(totals), rows


def _committee_rows(per_committee: dict) -> list[dict]:
    labels = dict(CommitteeKind.choices)
    committees = (
        {
            row["id"]: row
            for row in Committee.objects.filter(pk__in=list(per_committee))
            .values("id", "name", "kind", "center__name")
            .order_by()
        }
        if per_committee
        else {}
    )
    return sorted(
        (
            {
                "id": pk,
                "name": committees[pk]["name"],
                "kind": committees[pk]["kind"],
                "kind_label": str(labels.get(committees[pk]["kind"], committees[pk]["kind"])),
                "center_name": committees[pk]["center__name"],
                **_file_block(counters),
            }
            for pk, counters in per_committee.items()
        ),
        key=lambda r: (-r["files"], r["id"]),
    )


def _mediator_rows(per_mediator: dict, limit: int | None) -> tuple[int, list[dict]]:
    """The league (most files first), its length, and its first `limit` rows with the mediators'
    names (looked up only for the rows shown)."""
    order = sorted(per_mediator, key=lambda pk: (-per_mediator[pk]["files"], pk))
    shown = order[:limit] if limit else order
    mediators = (
        {
            row["id"]: row
            for row in Mediator.objects.filter(pk__in=shown)
            .values("id", "name", "committee_id", "committee__name", "is_chief", "studio")
            .order_by()
        }
        if shown
        else {}
    )
    rows = [
        {
            "id": pk,
            "name": mediators[pk]["name"],
            "committee": mediators[pk]["committee_id"],
            "committee_name": mediators[pk]["committee__name"],
            "is_chief": mediators[pk]["is_chief"],
            "studio": mediators[pk]["studio"],
            **_file_block(per_mediator[pk]),
        }
        for pk in shown
    ]
    return len(order), rows


def court_docking_figures(referral_rows: list[dict]) -> dict:
    """The pre-litigation and fast-track blocks from rows of (kind, status, result, n): the same
    for the rollup and for the direct count (`mediation.selectors.ledger`)."""

    def referrals(kind: str, **match) -> int:
        return sum(r["n"] for r in referral_rows if r["kind"] == kind and all(r[k] == v for k, v in match.items()))

    pre = ReferralKind.PRE_LITIGATION
    pre_litigation = {
        "referrals": referrals(pre),
        "waiting": referrals(pre, status=ReferralStatus.REFERRED),
        "mediating": referrals(pre, status=ReferralStatus.SIGNED),
        "succeeded": referrals(pre, result=ReferralResult.SUCCEEDED),
        "failed": referrals(pre, result=ReferralResult.FAILED),
        "returned": referrals(pre, result=ReferralResult.RETURNED),
        "recorded": referrals(pre, status=ReferralStatus.RECORDED),
        "filed": referrals(pre, status=ReferralStatus.FILED),
    }
    pre_litigation["concluded"] = pre_litigation["succeeded"] + pre_litigation["failed"] + pre_litigation["returned"]
    with_rate(pre_litigation, "success_rate", pre_litigation["succeeded"], pre_litigation["referrals"])
    with_rate(pre_litigation, "closure_rate", pre_litigation["concluded"], pre_litigation["referrals"])
    fast = ReferralKind.FAST_TRACK
    fast_track = {
        "referrals": referrals(fast),
        "concluded": referrals(fast, status=ReferralStatus.CONCLUDED),
        "mediated": referrals(fast, result=ReferralResult.MEDIATED),
        "judged": referrals(fast, result=ReferralResult.JUDGED),
        "withdrawn": referrals(fast, result=ReferralResult.WITHDRAWN),
    }
    with_rate(fast_track, "closure_rate", fast_track["concluded"], fast_track["referrals"])
    return {"pre_litigation": pre_litigation, "fast_track": fast_track}


def legal_figures(center: Center, date_from: date, date_to: date, rows: list[dict]) -> dict:
    """The legal-services figures from rows of (kind, status, outcome, n): the same for the rollup
    and for the direct count (`mediation.selectors.ledger`)."""
    outcome_labels = dict(LegalOutcome.choices)

    def block(kind: str | None) -> dict:
        mine = [r for r in rows if kind is None or r["kind"] == kind]
        counts = {status: sum(r["n"] for r in mine if r["status"] == status) for status in LegalStatus.values}
        out = {
            "total": sum(r["n"] for r in mine),
            "pending": counts[LegalStatus.APPLIED] + counts[LegalStatus.ACCEPTED],
            "concluded": counts[LegalStatus.CONCLUDED],
            "refused": counts[LegalStatus.REFUSED],
            "withdrawn": counts[LegalStatus.WITHDRAWN],
        }
        out["closed"] = out["concluded"] + out["refused"] + out["withdrawn"]
        with_rate(out, "closure_rate", out["closed"], out["total"])
        outcomes: dict[str, int] = defaultdict(int)
        for r in mine:
            if r["outcome"]:
                outcomes[r["outcome"]] += r["n"]
        out["by_outcome"] = [
            {"key": key, "label": str(outcome_labels[key]), "count": n} for key, n in sorted(outcomes.items())
        ]
        return out

    figures = {
        "center": {"id": center.pk, "name": center.name},
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        **block(None),
    }
    figures["by_kind"] = [{"key": key, "label": str(label), **block(key)} for key, label in LegalKind.choices]
    return figures


def mediation_stats(*, center: Center, date_from: date, date_to: date, mediator_limit: int | None = None) -> dict:
    period = {"date_from": date_from, "date_to": date_to}

    # --- cases of the mediation line, by category (the core's rollup) ------------------------------
    cases, by_category = _case_figures(center, date_from, date_to)
    figures: dict = {
        "center": {"id": center.pk, "name": center.name},
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        **cases,
    }
    figures["by_category"] = by_category

    # --- files (all lines), agreements and confirmations, by kind, committee, mediator (one query) ---
    rows = period_sums(
        MediationStat.objects.filter(scope=center),
        **period,
        group_by=["kind", "committee_id", "mediator_id"],
        counters=FILE_COUNTERS,
    )
    totals = _sum_by(rows, lambda r: "all")["all"]
    figures["files"] = _file_block(totals)
    figures["files"]["refused"] = totals["refused"]
    kinds = _sum_by(rows, lambda r: r["kind"])
    figures["by_kind"] = [
        {"key": key, "label": str(label), **_file_block(kinds.get(key, {}))} for key, label in MediationKind.choices
    ]
    # a committee or mediator is listed when it has files in the period (a mediator whose files
    # were all given to another keeps a row of zeros: left out, as the tables would)
    per_committee = {k: v for k, v in _sum_by(rows, lambda r: r["committee_id"]).items() if v["files"]}
    figures["by_committee"] = _committee_rows(per_committee)
    per_mediator = {k: v for k, v in _sum_by(rows, lambda r: r["mediator_id"]).items() if v["files"]}
    figures["mediators_total"], figures["by_mediator"] = _mediator_rows(per_mediator, mediator_limit)

    figures["agreements"] = totals["agreements"]
    figures["agreements_fully_performed"] = totals["fully_performed"]
    figures["agreements_in_default"] = totals["in_default"]
    with_rate(figures, "full_performance_rate", totals["fully_performed"], totals["agreements"])
    confirmations = {
        "applied": totals["confirmations"],
        "accepted": totals["confirmations_accepted"],
        "confirmed": totals["confirmed"],
        "refused": totals["confirmations_refused"],
        "not_accepted": totals["confirmations_not_accepted"],
        "pending": totals["confirmations_pending"],
    }
    with_rate(confirmations, "confirmation_rate", confirmations["confirmed"], confirmations["applied"])
    figures["judicial_confirmations"] = confirmations

    # --- court docking ------------------------------------------------------------------------------
    referral_rows = [
        {**row, "n": row["referrals"]}
        for row in period_sums(
            ReferralStat.objects.filter(scope=center),
            **period,
            group_by=["kind", "status", "result"],
            counters=["referrals"],
        )
        if row["referrals"]
    ]

    figures.update(court_docking_figures(referral_rows))
    return figures


def legal_stats(*, center: Center, date_from: date, date_to: date) -> dict:
    """Legal services by kind: applied, accepted, concluded (by outcome), refused, withdrawn."""
    rows = [
        {**row, "n": row["services"]}
        for row in period_sums(
            LegalServiceStat.objects.filter(scope=center),
            date_from=date_from,
            date_to=date_to,
            group_by=["kind", "status", "outcome"],
            counters=["services"],
        )
        if row["services"]
    ]
    return legal_figures(center, date_from, date_to, rows)


def dashboard_mediation(center: Center, date_from: date, date_to: date) -> dict:
    return mediation_stats(center=center, date_from=date_from, date_to=date_to, mediator_limit=10)


def dashboard_legal(center: Center, date_from: date, date_to: date) -> dict:
    return legal_stats(center=center, date_from=date_from, date_to=date_to)
