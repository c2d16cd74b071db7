from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.models.choices import LogKind


class WorkLog(models.Model):
    """One record of a grid worker's field work: a household visit, a patrol, a day's dispute
    screening (一日一排查), a key-person check. Yumen: ~430,000 a year."""

    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="logs", db_index=False
    )
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        on_delete=models.PROTECT,
        related_name="grid_logs",
        db_index=False,
    )
    kind = models.CharField(_("类型"), max_length=20, choices=LogKind.choices)
    occurred_at = models.DateTimeField(_("时间"))
    # The local day of the work: what the figures and the weekly report group by.
    occurred_on = models.DateField(_("日期"))
    household = models.ForeignKey(
        "grids.Household",
        verbose_name=_("走访住户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    households = models.PositiveIntegerField(
        _("涉及户数"), default=1, help_text=_("排查记录为当日排查的户数；走访记录为 1")
    )
    place = models.CharField(_("地点/路线"), max_length=200, blank=True)
    note = models.CharField(_("情况记录"), max_length=1000, blank=True)
    issues_found = models.PositiveIntegerField(_("发现问题数"), default=0, help_text=_("0 即零报告"))

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=LogKind.values), name="grid_log_kind_valid"),
            models.CheckConstraint(condition=models.Q(households__gte=1), name="grid_log_households_positive"),
        ]
        indexes = [
            # a grid's logs by day (grid page, weekly report detail)
            models.Index(fields=["grid", "occurred_on"], name="grid_log_grid_day_idx"),
            # "my logs": a worker's own records by day
            models.Index(fields=["worker", "occurred_on"], name="grid_log_worker_day_idx"),
            # center staff's lists of a subtree by day
            models.Index(fields=["center", "occurred_on"], name="grid_log_center_day_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"
