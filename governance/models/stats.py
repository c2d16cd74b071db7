"""Daily and monthly rollups kept in step with the ledger in the same transaction as each change.

Each row is counted for the center where it happened *and each of its ancestors* (`scope`), so
a dashboard for any center reads only its own rows: one index range, whatever the size of the
ledger. Each change is counted twice: on its day's row (`period` "day") and on its month's row
(`period` "month", `day` = the month's first day). A period reads its whole months from the month
rows and only the days at its edges from the day rows (`governance.selectors.dashboard.
period_sums`): a county's year is a few hundred rows per key instead of one per day.
`governance.services.stats` writes them; `stats_rebuild` recomputes them from the ledger and the
tests prove the two agree. The centers' own rollups (mediation's) follow the same scheme.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# `period` of a rollup row: a day's row, or a month's (its `day` the month's first day)
DAY, MONTH = "day", "month"


def period_field():
    return models.CharField(max_length=5, default=DAY)


def scope_field():
    """The center a row is counted for. No index of its own: the unique key and the read index
    both begin with it, and every upsert would maintain a third index for nothing."""
    return models.ForeignKey("governance.Center", on_delete=models.CASCADE, related_name="+", db_index=False)


class CaseStat(models.Model):
    """Cases registered on `day`, broken down along one dimension (service_line, category, channel,
    risk_level, and line_category = "<service line>:<category>" for a line's own breakdown);
    closed/resolved/withdrawn/follow-up counters belong to the registration day (cohort)."""

    scope = scope_field()
    period = period_field()
    day = models.DateField()
    dimension = models.CharField(max_length=24)
    key = models.CharField(max_length=80)
    cases = models.IntegerField(db_default=0, default=0)
    persons = models.IntegerField(db_default=0, default=0)
    closed = models.IntegerField(db_default=0, default=0)
    resolved = models.IntegerField(db_default=0, default=0)
    withdrawn = models.IntegerField(db_default=0, default=0)
    followed_up = models.IntegerField(db_default=0, default=0)
    satisfied = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("案件日统计")
        verbose_name_plural = _("案件日统计")
        constraints = [
            models.UniqueConstraint(fields=["scope", "period", "day", "dimension", "key"], name="case_stat_key"),
        ]
        indexes = [
            # dashboard_summary: a scope's months and days in ranges, read from the index alone
            models.Index(
                fields=["scope", "period", "day"],
                include=[
                    "dimension",
                    "key",
                    "cases",
                    "persons",
                    "closed",
                    "resolved",
                    "withdrawn",
                    "followed_up",
                    "satisfied",
                ],
                name="case_stat_read_idx",
            ),
        ]


class DispatchStat(models.Model):
    """Dispatches made on `day` to a department."""

    scope = scope_field()
    period = period_field()
    day = models.DateField()
    department_id = models.BigIntegerField()
    dispatched = models.IntegerField(db_default=0, default=0)
    rejected = models.IntegerField(db_default=0, default=0)
    fed_back = models.IntegerField(db_default=0, default=0)
    resolved = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("派单日统计")
        verbose_name_plural = _("派单日统计")
        constraints = [
            models.UniqueConstraint(fields=["scope", "period", "day", "department_id"], name="dispatch_stat_key"),
        ]
        indexes = [
            # dashboard_summary: dispatches of a scope in a range, by department, from the index
            models.Index(
                fields=["scope", "period", "day"],
                include=["department_id", "dispatched", "rejected", "fed_back", "resolved"],
                name="dispatch_stat_read_idx",
            ),
        ]


class DeadlineStat(models.Model):
    """Timers of a kind started on `day` (department 0 when none): how many met, breached."""

    scope = scope_field()
    period = period_field()
    day = models.DateField()
    kind = models.CharField(max_length=48)
    department_id = models.BigIntegerField(default=0)
    opened = models.IntegerField(db_default=0, default=0)
    met = models.IntegerField(db_default=0, default=0)
    breached = models.IntegerField(db_default=0, default=0)
    cancelled = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("时限日统计")
        verbose_name_plural = _("时限日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "day", "kind", "department_id"], name="deadline_stat_key"
            ),
        ]
        indexes = [
            # on-time rates of some kinds (dispatch, petitions…) for a scope and a range: the
            # kind before the day, so only those kinds' rows are read, from the index alone
            models.Index(
                fields=["scope", "kind", "period", "day"],
                include=["department_id", "opened", "met", "breached", "cancelled"],
                name="deadline_stat_kind_read_idx",
            ),
        ]
