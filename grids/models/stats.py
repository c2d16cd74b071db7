"""The grid rollup: counters kept in step with events and work logs in the same transaction (see
`grids.services.stats`), recomputed from them by `grid_stats_rebuild`. Like the core's rollups,
each change is counted on its day's row and on its month's row (`period`): a period's figures are
read with `governance.selectors.dashboard.period_sums`; what needs single days (the weekly
report's screening and visit days, the quarter's ratings) reads the day rows.

Dimensions (one row per scope, dimension, day, key):
- `total` (key "") and `category` (key = event type): counted for the village center and each of
  its ancestors (`scope`), like the core's rollups — the dashboard reads one index range;
- `grid` (key = grid node id, counted for the node and each ancestor node) and `worker` (key = user
  id): counted once, under the village center (`scope`), so per-grid and per-worker tables of a
  subtree read the subtree's village rows without multiplying storage by the tree's height.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.stats import period_field

COUNTERS = (
    "reported",
    "invalid",
    "events",
    "closed_on_site",
    "escalated",
    "escalated_closed",
    "disputes",
    "disputes_resolved",
    "hotline",
    "overdue",
    "fed_back",
    "household_visits",
    "patrols",
    "screenings",
    "households_screened",
    "key_persons",
)


class GridStat(models.Model):
    # No database constraint: derived rows, rebuilt from the ledger; a constraint would cost a deferred
    # trigger per row at commit (hundreds of thousands on a rebuild) and protect nothing.
    scope = models.ForeignKey(
        "governance.Center", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    dimension = models.CharField(max_length=12)
    period = period_field()
    day = models.DateField()
    key = models.CharField(max_length=40)
    # events reported on `day` (cohort): what became of them is counted on the same row
    reported = models.IntegerField(db_default=0, default=0)
    invalid = models.IntegerField(db_default=0, default=0)
    events = models.IntegerField(db_default=0, default=0)  # valid events: reported − invalid
    closed_on_site = models.IntegerField(db_default=0, default=0)
    escalated = models.IntegerField(db_default=0, default=0)
    escalated_closed = models.IntegerField(db_default=0, default=0)
    disputes = models.IntegerField(db_default=0, default=0)
    disputes_resolved = models.IntegerField(db_default=0, default=0)
    hotline = models.IntegerField(db_default=0, default=0)
    overdue = models.IntegerField(db_default=0, default=0)
    fed_back = models.IntegerField(db_default=0, default=0)
    # work logs of `day`
    household_visits = models.IntegerField(db_default=0, default=0)
    patrols = models.IntegerField(db_default=0, default=0)
    screenings = models.IntegerField(db_default=0, default=0)
    households_screened = models.IntegerField(db_default=0, default=0)
    key_persons = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("网格日统计")
        verbose_name_plural = _("网格日统计")
        constraints = [
            # also the read index: scope + dimension first, so a dashboard's "total" range never
            # wades through the per-grid rows of the same days
            models.UniqueConstraint(fields=["scope", "dimension", "period", "day", "key"], name="grid_stat_key"),
        ]
