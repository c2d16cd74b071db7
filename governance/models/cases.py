from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.choices import (
    CaseFlag,
    CaseStatus,
    Channel,
    Outcome,
    PartyRole,
    RiskLevel,
    Satisfaction,
    ServiceLine,
)

# Allowed status transitions of a case; anything missing is refused (fail closed).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.REGISTERED: frozenset({CaseStatus.DISPATCHED, CaseStatus.CLOSED}),
    CaseStatus.DISPATCHED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.REGISTERED, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class Case(models.Model):
    """One matter on the unified ledger (统一受理), whatever channel it came through."""

    # flag key -> boolean column
    FLAG_FIELDS = {
        CaseFlag.URGENT: "flag_urgent",
        CaseFlag.HOMICIDE_RISK: "flag_homicide_risk",
        CaseFlag.MASS_INCIDENT: "flag_mass_incident",
        CaseFlag.THREAT_UPWARD: "flag_threat_upward",
        CaseFlag.BYPASS_LEVELS: "flag_bypass_levels",
    }

    number = models.CharField(_("案件编号"), max_length=32, unique=True, null=True, blank=True)
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(_("来源渠道"), max_length=24, choices=Channel.choices)
    service_line = models.CharField(_("业务条线"), max_length=24, choices=ServiceLine.choices)
    category = models.ForeignKey("governance.Category", verbose_name=_("纠纷类别"), on_delete=models.PROTECT)
    risk_level = models.CharField(_("风险等级"), max_length=16, choices=RiskLevel.choices)
    flag_urgent = models.BooleanField(CaseFlag.URGENT.label, default=False)
    flag_homicide_risk = models.BooleanField(CaseFlag.HOMICIDE_RISK.label, default=False)
    flag_mass_incident = models.BooleanField(CaseFlag.MASS_INCIDENT.label, default=False)
    flag_threat_upward = models.BooleanField(CaseFlag.THREAT_UPWARD.label, default=False)
    flag_bypass_levels = models.BooleanField(CaseFlag.BYPASS_LEVELS.label, default=False)
    headcount = models.PositiveIntegerField(_("人数"), default=1)
    summary = models.TextField(_("事项摘要"), max_length=2000)
    external_ref = models.CharField(
        _("外部编号"), max_length=64, blank=True, help_text=_("12345 工单号、法院案号等，同一渠道内唯一")
    )
    first_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        on_delete=models.PROTECT,
        related_name="first_handled_cases",
    )
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED)
    outcome = models.CharField(_("办结结果"), max_length=16, choices=Outcome.choices, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True, max_length=2000)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"))
    # The local (Asia/Shanghai) calendar day of registration: what every report groups by.
    registered_on = models.DateField(_("登记日期"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件台账")
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="case_channel_valid"),
            models.CheckConstraint(
                condition=models.Q(service_line__in=ServiceLine.values), name="case_service_line_valid"
            ),
            models.CheckConstraint(condition=models.Q(risk_level__in=RiskLevel.values), name="case_risk_level_valid"),
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="case_headcount_positive"),
            models.CheckConstraint(
                condition=(models.Q(status=CaseStatus.CLOSED) & models.Q(outcome__in=Outcome.values))
                | (~models.Q(status=CaseStatus.CLOSED) & models.Q(outcome="")),
                name="case_outcome_iff_closed",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="case_external_ref_unique",
            ),
        ]
        indexes = [
            # case lists of a center, newest first; date-range filters
            models.Index(fields=["center", "registered_on"], name="case_center_day_idx"),
            # the ledger in registration order (keyset pagination on -id uses the pk)
            models.Index(fields=["registered_on"], name="case_day_idx"),
            # open cases by status (window desk "to dispatch", leaders' open list)
            models.Index(fields=["status", "center"], name="case_status_center_idx"),
            # a service line's cases of a period, counted by the centers' own dashboard sections
            # and stats (mediation counts every case of its line): read from the index alone
            models.Index(
                fields=["service_line", "registered_on"],
                include=["id", "center", "category", "status", "outcome"],
                name="case_line_day_idx",
            ),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def flags(self) -> list[str]:
        return [flag for flag, column in self.FLAG_FIELDS.items() if getattr(self, column)]


class CaseParty(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="parties")
    person = models.ForeignKey(
        "governance.Person", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="case_parties"
    )
    role = models.CharField(_("身份"), max_length=20, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="case_party_unique"),
            models.CheckConstraint(condition=models.Q(role__in=PartyRole.values), name="case_party_role_valid"),
        ]
        indexes = [
            # a person's earlier cases (returning visitor, repeat petitioner); search by party
            models.Index(fields=["person", "case"], name="case_party_person_idx"),
        ]


class CaseEvent(models.Model):
    """The append-only timeline of a case. Kinds are registered in `governance.registry`."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    message = models.CharField(_("内容"), max_length=500)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件时间线")
        verbose_name_plural = _("案件时间线")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]


class FollowUp(models.Model):
    """The follow-up visit or call after closing (回访), one per case."""

    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="follow_up")
    satisfaction = models.CharField(_("满意度"), max_length=24, choices=Satisfaction.choices)
    note = models.TextField(_("回访记录"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("回访时间"))

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__in=Satisfaction.values), name="follow_up_satisfaction_valid"
            )
        ]


class CaseCounter(models.Model):
    """Per county and year counter behind readable case numbers (YM-2026-000123)."""

    scope = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("案件编号计数器")
        verbose_name_plural = _("案件编号计数器")


class PiiAccess(models.Model):
    """Audit trail: who saw a case's parties unmasked, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    via = models.CharField(_("途径"), max_length=40)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [models.Index(fields=["case", "at"], name="pii_access_case_idx")]
