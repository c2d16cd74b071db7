from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.stats import scope_field


class Visit(models.Model):
    """A reception registration (来访登记): who came, when, to which window, how many."""

    center = models.ForeignKey(
        "governance.Center", verbose_name=_("接待中心"), on_delete=models.PROTECT, related_name="visits"
    )
    window = models.CharField(_("窗口"), max_length=30, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接待人"), on_delete=models.PROTECT, related_name="received_visits"
    )
    visited_at = models.DateTimeField(_("来访时间"))
    visited_on = models.DateField(_("来访日期"))
    headcount = models.PositiveIntegerField(_("来访人数"), default=1)
    is_collective = models.BooleanField(_("集体访"), default=False, help_text=_("按登记时的集体访人数标准认定"))
    visitor = models.ForeignKey(
        "governance.Person",
        verbose_name=_("来访人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    case = models.ForeignKey(
        "governance.Case",
        verbose_name=_("登记事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    note = models.TextField(_("备注"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("来访登记")
        verbose_name_plural = _("来访登记")
        constraints = [models.CheckConstraint(condition=models.Q(headcount__gte=1), name="visit_headcount_positive")]
        indexes = [
            # visit lists of a center by day
            models.Index(fields=["center", "visited_on"], name="visit_center_day_idx"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.window}"


class VisitStat(models.Model):
    """Visits received on `day` at the scope center and below (rollup, see governance.models.stats)."""

    scope = scope_field()
    day = models.DateField()
    visits = models.IntegerField(db_default=0, default=0)
    persons = models.IntegerField(db_default=0, default=0)
    collective_visits = models.IntegerField(db_default=0, default=0)
    collective_persons = models.IntegerField(db_default=0, default=0)

    class Meta:
        verbose_name = _("来访日统计")
        verbose_name_plural = _("来访日统计")
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="visit_stat_key")]
