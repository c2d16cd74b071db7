"""Mediation's rollup writers (`MediationStat`, `ReferralStat`, `LegalServiceStat`), called by every
service that changes a counted state, in the same transaction; and the rebuild from the tables
(registered with the core's `stats_rebuild`).

A service takes the record's state before the change (`file_state(file)`, …), changes it, and
hands both to the writer (`file_counted(file, before)`): the rollup gets the difference, for the
case's center and every ancestor. A record that moves to another row (a file given to another
mediator, a referral that changes status) is taken off its old row and added to the new one.
What a record counts goes on its day's row and on its month's row.

Services write the rollups last — after the core's (`case_close`, the deadline timers), and in
the order files, referrals, legal services — so concurrent writers take the rows' locks in one
order, and hold them only until the commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from governance.models.stats import DAY
from governance.services import stats as core_stats
from mediation.choices import ConfirmationStatus, FileStatus, Performance
from mediation.models import (
    FILE_COUNTERS,
    Agreement,
    CourtReferral,
    JudicialConfirmation,
    LegalService,
    LegalServiceStat,
    MediationFile,
    MediationStat,
    ReferralStat,
)

FILE_KEY = ("scope_id", "period", "day", "kind", "committee_id", "mediator_id")
REFERRAL_KEY = ("scope_id", "period", "day", "kind", "status", "result")
LEGAL_KEY = ("scope_id", "period", "day", "kind", "status", "outcome")

# the counter of a file's status (an applied file is counted among the files only)
FILE_STATUS_COUNTERS = {
    FileStatus.MEDIATING: "mediating",
    FileStatus.AGREED: "agreed",
    FileStatus.FAILED: "failed",
    FileStatus.REFUSED: "refused",
    FileStatus.WITHDRAWN: "withdrawn",
}
IN_DEFAULT = (Performance.NOT_PERFORMED, Performance.PARTLY_PERFORMED)
CONFIRMATION_STATUS_COUNTERS = {
    ConfirmationStatus.CONFIRMED: "confirmed",
    ConfirmationStatus.REFUSED: "confirmations_refused",
    ConfirmationStatus.NOT_ACCEPTED: "confirmations_not_accepted",
}
CONFIRMATION_PENDING = (ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED)


@dataclass(frozen=True)
class Counted:
    """What one record adds to its rollup in its present state: the rows (their keys without the
    scope) and the counters added to each."""

    keys: tuple[tuple, ...]
    counters: dict[str, int] = field(hash=False)


# --- What a record counts -----------------------------------------------------------------------


def _day_and_month(day, *rest) -> tuple[tuple, ...]:
    """The keys of a record's day row and month row."""
    return tuple((*period, *rest) for period in core_stats.day_and_month(day))


def _file_key(file: MediationFile) -> tuple[tuple, ...]:
    return _day_and_month(file.case_registered_on, file.kind, file.committee_id, file.mediator_id)


def file_state(file: MediationFile) -> Counted:
    counters = {"files": 1, "accepted": int(file.accepted_at is not None)}
    if file.status in FILE_STATUS_COUNTERS:
        counters[FILE_STATUS_COUNTERS[file.status]] = 1
    return Counted(_file_key(file), counters)


def agreement_state(agreement: Agreement) -> Counted:
    """On its file's row (the file's mediator never changes once it is agreed)."""
    performance = agreement.performance
    return Counted(
        _file_key(agreement.file),
        {
            "agreements": 1,
            "fully_performed": int(performance == Performance.FULLY_PERFORMED),
            "in_default": int(performance in IN_DEFAULT),
        },
    )


def confirmation_state(confirmation: JudicialConfirmation) -> Counted:
    counters = {
        "confirmations": 1,
        "confirmations_accepted": int(confirmation.accepted_at is not None),
        "confirmations_pending": int(confirmation.status in CONFIRMATION_PENDING),
    }
    if confirmation.status in CONFIRMATION_STATUS_COUNTERS:
        counters[CONFIRMATION_STATUS_COUNTERS[confirmation.status]] = 1
    return Counted(_file_key(confirmation.agreement.file), counters)


def referral_state(referral: CourtReferral) -> Counted:
    keys = _day_and_month(referral.case_registered_on, referral.kind, referral.status, referral.result)
    return Counted(keys, {"referrals": 1})


def legal_state(service: LegalService) -> Counted:
    keys = _day_and_month(service.case_registered_on, service.kind, service.status, service.outcome)
    return Counted(keys, {"services": 1})


# --- Writers ------------------------------------------------------------------------------------


def _changed(model, key_fields, scope_ids: list[int], before: Counted | None, after: Counted | None) -> None:
    """Add `after` and take off `before` on the rows of every scope (one upsert; nothing when the
    change counts for nothing)."""
    deltas: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for state, sign in ((before, -1), (after, 1)):
        if state is None:
            continue
        for scope_id in scope_ids:
            for key in state.keys:
                row = deltas[(scope_id, *key)]
                for name, value in state.counters.items():
                    row[name] += sign * value
    core_stats.increment(model, key_fields, {key: dict(row) for key, row in deltas.items()})


def file_counted(file: MediationFile, before: Counted | None = None) -> None:
    """A file opened (`before` None) or changed (status, acceptance, mediator)."""
    _changed(MediationStat, FILE_KEY, file.case.center.scope_ids, before, file_state(file))


def agreement_counted(agreement: Agreement, before: Counted | None = None) -> None:
    """An agreement reached (`before` None) or its performance changed."""
    _changed(MediationStat, FILE_KEY, agreement.file.case.center.scope_ids, before, agreement_state(agreement))


def confirmation_counted(confirmation: JudicialConfirmation, before: Counted | None = None) -> None:
    file = confirmation.agreement.file
    _changed(MediationStat, FILE_KEY, file.case.center.scope_ids, before, confirmation_state(confirmation))


def referral_counted(
    referral: CourtReferral, before: Counted | None = None, *, scope_ids: list[int] | None = None
) -> None:
    """A referral registered (`before` None) or moved; `scope_ids` when its case is not at hand."""
    scopes = scope_ids if scope_ids is not None else referral.case.center.scope_ids
    _changed(ReferralStat, REFERRAL_KEY, scopes, before, referral_state(referral))


def legal_counted(service: LegalService, before: Counted | None = None) -> None:
    _changed(LegalServiceStat, LEGAL_KEY, service.case.center.scope_ids, before, legal_state(service))


# --- Rebuild from the tables --------------------------------------------------------------------


def _when(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _values(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _file_counters_sql() -> dict[str, str]:
    """Each counter of `MediationStat` as an aggregate over files f ⟕ agreements a ⟕ confirmations j."""
    counters = {"files": "COUNT(*)", "accepted": _when("f.accepted_at IS NOT NULL")}
    counters.update({name: _when(f"f.status = '{status}'") for status, name in FILE_STATUS_COUNTERS.items()})
    counters.update(
        {
            "agreements": "COUNT(a.id)",
            "fully_performed": _when(f"a.performance = '{Performance.FULLY_PERFORMED}'"),
            "in_default": _when(f"a.performance IN ({_values(IN_DEFAULT)})"),
            "confirmations": "COUNT(j.id)",
            "confirmations_accepted": _when("j.accepted_at IS NOT NULL"),
            "confirmations_pending": _when(f"j.status IN ({_values(CONFIRMATION_PENDING)})"),
        }
    )
    counters.update({name: _when(f"j.status = '{status}'") for status, name in CONFIRMATION_STATUS_COUNTERS.items()})
    assert set(counters) == set(FILE_COUNTERS)
    return {name: counters[name] for name in FILE_COUNTERS}


def mediation_stats_rebuild(scopes: dict[int, list[int]]) -> None:
    """Recompute mediation's rollups from files, agreements, confirmations, court referrals and
    legal services (INSERT … SELECT inside the database): the day rows — the files first grouped
    by center (a few rows per center and day), then spread over the scopes — then the month rows
    from the day rows."""
    MediationStat.objects.all().delete()
    ReferralStat.objects.all().delete()
    LegalServiceStat.objects.all().delete()
    if not scopes:
        return
    q = connection.ops.quote_name
    file_table, agreement_table = q(MediationFile._meta.db_table), q(Agreement._meta.db_table)
    confirmation_table = q(JudicialConfirmation._meta.db_table)
    counters = _file_counters_sql()
    grouped = ", ".join(f"{sql} AS {name}" for name, sql in counters.items())
    sums = ", ".join(f"SUM(g.{name})" for name in counters)
    file_select = f"""
        SELECT s.scope_id, '{DAY}', g.day, g.kind, g.committee_id, g.mediator_id, {sums}
        FROM (
            SELECT f.case_center_id AS center_id, f.case_registered_on AS day, f.kind, f.committee_id,
                   f.mediator_id, {grouped}
            FROM {file_table} f
            LEFT JOIN {agreement_table} a ON a.file_id = f.id
            LEFT JOIN {confirmation_table} j ON j.agreement_id = a.id
            GROUP BY f.case_center_id, f.case_registered_on, f.kind, f.committee_id, f.mediator_id
        ) g
        JOIN scopes s ON s.center_id = g.center_id
        GROUP BY s.scope_id, g.day, g.kind, g.committee_id, g.mediator_id"""
    file_keys = ["kind", "committee_id", "mediator_id"]
    with connection.cursor() as cursor:
        table = q(MediationStat._meta.db_table)
        columns = ", ".join(["scope_id", "period", "day", *file_keys, *counters])
        cursor.execute(*core_stats.rebuild_sql(table, columns, file_select, scopes))
        cursor.execute(core_stats.month_rows_sql(table, file_keys, list(counters)))
        for model, last, counter, source in (
            (ReferralStat, "result", "referrals", CourtReferral),
            (LegalServiceStat, "outcome", "services", LegalService),
        ):
            select = f"""
                SELECT s.scope_id, '{DAY}', r.case_registered_on, r.kind, r.status, r.{last}, COUNT(*)
                FROM {q(source._meta.db_table)} r
                JOIN scopes s ON s.center_id = r.case_center_id
                GROUP BY s.scope_id, r.case_registered_on, r.kind, r.status, r.{last}"""
            table = q(model._meta.db_table)
            columns = f"scope_id, period, day, kind, status, {last}, {counter}"
            cursor.execute(*core_stats.rebuild_sql(table, columns, select, scopes))
            cursor.execute(core_stats.month_rows_sql(table, ["kind", "status", last], [counter]))
