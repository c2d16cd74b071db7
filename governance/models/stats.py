"""Daily rollups kept in step with the ledger in the same transaction as each change.

Each row is counted for the center where it happened *and each of its ancestors* (`scope`), so
a dashboard for any center reads only its own rows: one index range per day, whatever the size
of the ledger. `governance.services.stats` writes them; `stats_rebuild` recomputes them from the
ledger and the tests prove the two agree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStat(models.Model):
    """Cases registered on `day`, broken down along one dimension (service_line, category, channel,
    risk_level, and line_category = "<service line>:<category>" for a line's own breakdown);
    closed/resolved/withdrawn/follow-up counters belong to the registration day (cohort)."""

    scope = models.ForeignKey("governance.Center", on_delete=models.CASCADE, related_name="+")
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
            models.UniqueConstraint(fields=["scope", "day", "dimension", "key"], name="case_stat_key"),
        ]
        indexes = [
            # dashboard_summary: a scope's days in a range, read from the index alone
            models.Index(
                fields=["scope", "day"],
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
                name="case_stat_dashboard_idx",
            ),
        ]


class DispatchStat(models.Model):
    """Dispatches made on `day` to a department."""

    scope = models.ForeignKey("governance.Center", on_delete=models.CASCADE, related_name="+")
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
            models.UniqueConstraint(fields=["scope", "day", "department_id"], name="dispatch_stat_key"),
        ]
        indexes = [
            # dashboard_summary: dispatches of a scope in a range, by department, from the index
            models.Index(
                fields=["scope", "day"],
                include=["department_id", "dispatched", "rejected", "fed_back", "resolved"],
                name="dispatch_stat_dashboard_idx",
            ),
        ]


class DeadlineStat(models.Model):
    """Timers of a kind started on `day` (department 0 when none): how many met, breached."""

    scope = models.ForeignKey("governance.Center", on_delete=models.CASCADE, related_name="+")
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
            models.UniqueConstraint(fields=["scope", "day", "kind", "department_id"], name="deadline_stat_key"),
        ]
        indexes = [
            # on-time rates of some kinds (dispatch, petitions…) for a scope and a range: the
            # kind before the day, so only those kinds' rows are read, from the index alone
            models.Index(
                fields=["scope", "kind", "day"],
                include=["department_id", "opened", "met", "breached", "cancelled"],
                name="deadline_stat_kind_day_idx",
            ),
        ]
