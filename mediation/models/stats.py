"""Mediation's daily rollups, kept in step with the files, agreements, court referrals and legal
services in the same transaction as each change (`mediation.services.stats`), and rebuilt from
those tables by the core's `stats_rebuild` (a registered rebuilder).

Like the core's rollups, each row belongs to the registration day of its case (`day` =
`case_registered_on`, the cohort the figures have always used) and is counted for the case's
center and every ancestor (`scope`), so a center's figures for a period read index ranges of its
own rows, whatever the size of the tables.

Each change is counted twice: on its day's row (`period` "day") and on its month's row (`period`
"month", `day` = the month's first day). A period reads its whole months from the month rows and
only the days at its edges from the day rows (`governance.selectors.dashboard.period_sums`): a
county's year is ~1,500 rows of `MediationStat` instead of ~16,000 (a row per mediator and day).

No database foreign key on `scope` (as `grids.GridStat`): the rows are derived and rebuilt; a
constraint would cost a deferred trigger per row at the commit of a rebuild and protect nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# `period`: a day's row, or a month's (its `day` the month's first day), as the core's rollups
from governance.models.stats import DAY, MONTH  # noqa: F401

FILE_COUNTERS = (
    # the files of the day by state: files = all, accepted = accepted once (accepted_at set)
    "files",
    "accepted",
    "mediating",
    "agreed",
    "failed",
    "refused",
    "withdrawn",
    # their agreements and how they are performed (in default: partly or not performed)
    "agreements",
    "fully_performed",
    "in_default",
    # judicial confirmations of those agreements: applied = every application
    "confirmations",
    "confirmations_accepted",
    "confirmed",
    "confirmations_refused",
    "confirmations_not_accepted",
    "confirmations_pending",
)


def _scope():
    return models.ForeignKey(
        "governance.Center", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )


def _period():
    return models.CharField(max_length=5)


class MediationStat(models.Model):
    """Mediation files of the cases registered on `day`, by kind, committee and (current) mediator:
    the state counters of the files, their agreements and judicial confirmations. The by-kind,
    by-committee and by-mediator figures and the totals are sums of these rows."""

    scope = _scope()
    period = _period()
    day = models.DateField()
    kind = models.CharField(max_length=20)
    committee_id = models.BigIntegerField()
    mediator_id = models.BigIntegerField()
    files = models.IntegerField(db_default=0, default=0)
    accepted = models.IntegerField(db_default=0, default=0)
    mediating = models.IntegerField(db_default=0, default=0)
    agreed = models.IntegerField(db_default=0, default=0)
    failed = models.IntegerField(db_default=0, default=0)
    refused = models.IntegerField(db_default=0, default=0)
    withdrawn = models.IntegerField(db_default=0, default=0)
    agreements = models.IntegerField(db_default=0, default=0)
    fully_performed = models.IntegerField(db_default=0, default=0)
    in_default = models.IntegerField(db_default=0, default=0)
    confirmations = models.IntegerField(db_default=0, default=0)
    confirmations_accepted = models.IntegerField(db_default=0, default=0)
    confirmed = models.IntegerField(db_default=0, default=0)
    confirmations_refused = models.IntegerField(db_default=0, default=0)
    confirmations_not_accepted = models.IntegerField(db_default=0, default=0)
    confirmations_pending = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("调解日统计")
        verbose_name_plural = _("调解日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "day", "kind", "committee_id", "mediator_id"], name="mediation_stat_key"
            ),
        ]
        indexes = [
            # mediation_stats: a scope's months and days in ranges, read from the index alone
            models.Index(
                fields=["scope", "period", "day"],
                include=["kind", "committee_id", "mediator_id", *FILE_COUNTERS],
                name="mediation_stat_read_idx",
            ),
        ]


class ReferralStat(models.Model):
    """Court referrals of the cases registered on `day`, by kind, status and result (what the
    pre-litigation and fast-track figures are counted from): `referrals` in that state."""

    scope = _scope()
    period = _period()
    day = models.DateField()
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    result = models.CharField(max_length=16)
    referrals = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("诉调对接日统计")
        verbose_name_plural = _("诉调对接日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "day", "kind", "status", "result"], name="referral_stat_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["scope", "period", "day"],
                include=["kind", "status", "result", "referrals"],
                name="referral_stat_read_idx",
            ),
        ]


class LegalServiceStat(models.Model):
    """Legal services of the cases registered on `day`, by kind, status and outcome: `services`
    in that state."""

    scope = _scope()
    period = _period()
    day = models.DateField()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=12)
    outcome = models.CharField(max_length=24)
    services = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("公共法律服务日统计")
        verbose_name_plural = _("公共法律服务日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "day", "kind", "status", "outcome"], name="legal_stat_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["scope", "period", "day"],
                include=["kind", "status", "outcome", "services"],
                name="legal_stat_read_idx",
            ),
        ]
