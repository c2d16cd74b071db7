from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.choices import DeadlineState, RiskLevel, ServiceLine, TimeUnit


class Deadline(models.Model):
    """One timer of the one deadline engine: dispatch response and feedback, petition steps,
    mediation periods, grid events… The kind (registered in `governance.registry`) says what the
    subject is and what happens on a warning or a breach."""

    kind = models.CharField(_("时限类型"), max_length=48)
    subject_id = models.BigIntegerField(_("对象编号"))
    case = models.ForeignKey(
        "governance.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    center = models.ForeignKey("governance.Center", verbose_name=_("中心"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "governance.Department",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    basis = models.CharField(_("依据"), max_length=200, help_text=_("法律依据或政策名称"))
    unit = models.CharField(_("单位"), max_length=16, choices=TimeUnit.choices)
    amount = models.PositiveIntegerField(_("时长"))
    warn_ratio = models.FloatField(_("提醒比例"), default=0.75)
    started_at = models.DateTimeField(_("起算时间"))
    # The local day the timer started: what the on-time statistics group by.
    started_on = models.DateField(_("起算日期"))
    due_at = models.DateTimeField(_("到期时间"), null=True, blank=True, help_text=_("中止计时期间为空"))
    warn_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    warned_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    breached_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("中止计时"), null=True, blank=True)
    remaining_seconds = models.BigIntegerField(_("中止时剩余秒数"), null=True, blank=True)
    remaining_days = models.IntegerField(_("中止时剩余天数"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    calendar_unconfirmed = models.BooleanField(
        _("节假日未确认"), default=False, help_text=_("到期日所在年份的法定节假日尚未公布或未录入，按周末休息估算")
    )

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=DeadlineState.values), name="deadline_state_valid"),
            models.CheckConstraint(condition=models.Q(unit__in=TimeUnit.values), name="deadline_unit_valid"),
            models.UniqueConstraint(fields=["kind", "subject_id"], name="deadline_one_per_kind_subject"),
        ]
        indexes = [
            # sweep: breaches due now — cost grows with what is due, not with the table
            models.Index(fields=["due_at"], condition=models.Q(state=DeadlineState.OPEN), name="deadline_open_due_idx"),
            # sweep: warnings due now
            models.Index(
                fields=["warn_at"],
                condition=models.Q(state=DeadlineState.OPEN, warned_at__isnull=True),
                name="deadline_open_warn_idx",
            ),
            # dashboard "open overdue" and the overdue lists of a center: the kinds asked for are
            # index ranges (the dashboard's dispatch timers are a few hundred of the city's live
            # breaches, most of which are other kinds), the center a filter on what they hold
            models.Index(
                fields=["kind", "center"],
                condition=models.Q(state=DeadlineState.BREACHED, completed_at__isnull=True),
                name="deadline_live_breach_kind_idx",
            ),
            # the case lists' "overdue" flag (selectors.cases.overdue_exists): live breaches by
            # case, read from this small index instead of every breached timer's row
            models.Index(
                fields=["case"],
                condition=models.Q(state=DeadlineState.BREACHED, completed_at__isnull=True),
                name="deadline_live_breach_case_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind}#{self.subject_id}"


class DeadlineChange(models.Model):
    """An extension, suspension or resumption of a timer, with who approved it and why."""

    class Action(models.TextChoices):
        EXTEND = "extend", _("延期")
        SUSPEND = "suspend", _("中止计时")
        RESUME = "resume", _("恢复计时")

    deadline = models.ForeignKey(Deadline, verbose_name=_("时限"), on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("理由"), max_length=500)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    due_before = models.DateTimeField(_("原到期时间"), null=True, blank=True)
    due_after = models.DateTimeField(_("新到期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("时限变更")
        verbose_name_plural = _("时限变更")
        ordering = ["at", "id"]


class SlaPolicy(models.Model):
    """How long a kind of timer runs, per center (and below), service line and risk level.

    The most specific match wins: nearest center first, then service line, then risk level.
    Kinds without any row use the default declared with the kind (response 2 h, feedback 24 h).
    """

    kind = models.CharField(_("时限类型"), max_length=48)
    center = models.ForeignKey(
        "governance.Center",
        verbose_name=_("适用中心"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("留空表示全域"),
    )
    service_line = models.CharField(_("业务条线"), max_length=24, choices=ServiceLine.choices, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=16, choices=RiskLevel.choices, blank=True)
    unit = models.CharField(_("单位"), max_length=16, choices=TimeUnit.choices)
    amount = models.PositiveIntegerField(_("时长"))
    warn_ratio = models.FloatField(_("提醒比例"), default=0.75, help_text=_("时限过去多少比例时提醒，0.75 即 75%"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("时限政策")
        verbose_name_plural = _("时限政策")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="sla_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(warn_ratio__gt=0) & models.Q(warn_ratio__lt=1), name="sla_warn_ratio_range"
            ),
            models.UniqueConstraint(fields=["kind", "center", "service_line", "risk_level"], name="sla_policy_unique"),
            models.UniqueConstraint(
                fields=["kind", "service_line", "risk_level"],
                condition=models.Q(center__isnull=True),
                name="sla_policy_unique_global",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} {self.get_unit_display()}"


class CalendarOverride(models.Model):
    """An administrator's entry for a day the holiday library does not know or gets wrong:
    a statutory holiday, or an adjusted workday (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=60, help_text=_("例如 春节、国庆节调休上班"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"
