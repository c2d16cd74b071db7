from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GridRating(models.Model):
    """A grid's quarterly star rating (星级网格) within a center, with the score's breakdown so anyone
    can check it."""

    scope = models.ForeignKey(
        "governance.Center", verbose_name=_("评比范围"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grid = models.ForeignKey("grids.Grid", verbose_name=_("网格"), on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    score = models.DecimalField(_("得分"), max_digits=12, decimal_places=2)
    stars = models.PositiveSmallIntegerField(_("星级"))
    rank = models.PositiveIntegerField(_("名次"))
    breakdown = models.JSONField(_("计分明细"), default=dict)
    computed_at = models.DateTimeField(_("评定时间"))

    class Meta:
        verbose_name = _("星级网格评定")
        verbose_name_plural = _("星级网格评定")
        ordering = ["scope_id", "year", "quarter", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "grid", "year", "quarter"], name="grid_rating_unique"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="grid_rating_stars_range"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="grid_rating_quarter_range"
            ),
        ]
        indexes = [models.Index(fields=["scope", "year", "quarter", "rank"], name="grid_rating_rank_idx")]

    def __str__(self):
        return f"{self.grid} {self.year}Q{self.quarter} {self.stars}★"


class WorkerRating(models.Model):
    """A grid worker's quarterly score and rank within a center (十佳网格员 = the top of the list)."""

    scope = models.ForeignKey(
        "governance.Center", verbose_name=_("评比范围"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), on_delete=models.CASCADE, related_name="grid_ratings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    score = models.DecimalField(_("得分"), max_digits=12, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    breakdown = models.JSONField(_("计分明细"), default=dict)
    computed_at = models.DateTimeField(_("评定时间"))

    class Meta:
        verbose_name = _("网格员季度评比")
        verbose_name_plural = _("网格员季度评比")
        ordering = ["scope_id", "year", "quarter", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "worker", "year", "quarter"], name="worker_rating_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="worker_rating_quarter_range"
            ),
        ]
        indexes = [models.Index(fields=["scope", "year", "quarter", "rank"], name="worker_rating_rank_idx")]

    def __str__(self):
        return f"{self.worker} {self.year}Q{self.quarter} #{self.rank}"
