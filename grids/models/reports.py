from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WeeklyReport(models.Model):
    """一周一报送: a grid's week (Monday to Sunday) as submitted by its worker: the figures at the
    time of submission and what the township center should know."""

    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="weekly_reports"
    )
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    week_start = models.DateField(_("周起始日(周一)"))
    figures = models.JSONField(_("本周数据"), default=dict)
    note = models.TextField(_("重点情况与需协调事项"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("网格周报")
        verbose_name_plural = _("网格周报")
        constraints = [
            models.UniqueConstraint(fields=["grid", "week_start"], name="weekly_report_one_per_grid_week"),
        ]
        indexes = [
            # a township's week: which of its grids have reported
            models.Index(fields=["center", "week_start"], name="weekly_report_center_week_idx"),
        ]

    def __str__(self):
        return f"{self.grid} {self.week_start}"
