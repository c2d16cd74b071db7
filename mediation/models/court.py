from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.choices import ReferralKind, ReferralResult, ReferralStatus

# Allowed status transitions per kind of referral; anything missing is refused (fail closed).
REFERRAL_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    ReferralKind.PRE_LITIGATION: {
        ReferralStatus.REFERRED: frozenset({ReferralStatus.SIGNED, ReferralStatus.RETURNED}),
        ReferralStatus.SIGNED: frozenset({ReferralStatus.SUCCEEDED, ReferralStatus.FAILED}),
        ReferralStatus.SUCCEEDED: frozenset({ReferralStatus.RECORDED}),
        ReferralStatus.FAILED: frozenset({ReferralStatus.FILED}),
        ReferralStatus.RETURNED: frozenset({ReferralStatus.FILED}),
        ReferralStatus.RECORDED: frozenset(),
        ReferralStatus.FILED: frozenset(),
    },
    ReferralKind.FAST_TRACK: {
        ReferralStatus.REFERRED: frozenset({ReferralStatus.CONCLUDED}),
        ReferralStatus.CONCLUDED: frozenset(),
    },
}


class CourtReferral(models.Model):
    """A suit the court sends to the center (诉调对接): pre-litigation mediation (诉前委派调解) — 30
    days from the mediator signing for it, extendable only with both parties' consent, expert
    appraisal not counted; failure sends it back to the court to be filed (立案), success records
    the agreement with the court — or a fast-track (速裁) referral, recorded with its result."""

    case = models.OneToOneField(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="court_referral"
    )
    # copied from the case (see MediationFile.case_center)
    case_center = models.ForeignKey(
        "governance.Center", verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="+"
    )
    case_registered_on = models.DateField(_("案件登记日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=ReferralKind.choices)
    court = models.CharField(_("委派法院"), max_length=100)
    court_ref = models.CharField(_("法院编号"), max_length=64, help_text=_("诉前调解编号或案号"))
    committee = models.ForeignKey(
        "mediation.Committee",
        verbose_name=_("承接调解组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    result = models.CharField(_("结果"), max_length=16, choices=ReferralResult.choices, blank=True)
    referred_at = models.DateTimeField(_("委派时间"))
    parties_consented = models.BooleanField(_("当事人同意诉前调解"), default=False)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "mediation.Mediator",
        verbose_name=_("签收调解员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.OneToOneField(
        "mediation.MediationFile",
        verbose_name=_("调解卷宗"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
    )
    concluded_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), max_length=2000, blank=True)
    court_record = models.CharField(
        _("法院确认/备案文书号"), max_length=64, blank=True, help_text=_("调解书、司法确认裁定或备案编号")
    )
    recorded_at = models.DateTimeField(_("送法院时间"), null=True, blank=True)
    filing_number = models.CharField(_("立案案号"), max_length=64, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("法院委派")
        verbose_name_plural = _("诉调对接")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ReferralKind.values), name="court_referral_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="court_referral_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(result="") | models.Q(result__in=ReferralResult.values),
                name="court_referral_result_valid",
            ),
        ]
        indexes = [
            # the figures of a center's subtree for a period (stats, dashboard)
            models.Index(fields=["case_registered_on", "case_center"], name="court_referral_period_idx"),
            # referrals waiting for a committee's mediator to sign (the studio's inbox)
            models.Index(fields=["committee", "status"], name="court_referral_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.court} {self.court_ref}"
