"""Public legal services (公共法律服务): legal consultation, legal-aid applications, notarisation and
labour-arbitration referrals, each a case on the ledger with its own procedure and outcomes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalKind(models.TextChoices):
    CONSULTATION = "consultation", _("法律咨询")
    LEGAL_AID = "legal_aid", _("法律援助申请")
    NOTARISATION = "notarisation", _("公证")
    LABOUR_ARBITRATION = "labour_arbitration", _("劳动人事争议仲裁")


class LegalStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理")
    CONCLUDED = "concluded", _("已办结")
    REFUSED = "refused", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class LegalOutcome(models.TextChoices):
    ANSWERED = "answered", _("当场解答")
    REFERRED_MEDIATION = "referred_mediation", _("引导调解")
    REFERRED_LITIGATION = "referred_litigation", _("引导诉讼")
    REFERRED_ARBITRATION = "referred_arbitration", _("引导仲裁")
    REFERRED_LEGAL_AID = "referred_legal_aid", _("引导申请法律援助")
    AID_COMPLETED = "aid_completed", _("法律援助事项办结")
    CERTIFICATE_ISSUED = "certificate_issued", _("出具公证书")
    NOTARISATION_TERMINATED = "notarisation_terminated", _("终止公证")
    AWARD = "award", _("仲裁裁决")
    ARBITRAL_MEDIATION = "arbitral_mediation", _("仲裁调解结案")


OUTCOMES_BY_KIND: dict[str, frozenset[str]] = {
    LegalKind.CONSULTATION: frozenset(
        {
            LegalOutcome.ANSWERED,
            LegalOutcome.REFERRED_MEDIATION,
            LegalOutcome.REFERRED_LITIGATION,
            LegalOutcome.REFERRED_ARBITRATION,
            LegalOutcome.REFERRED_LEGAL_AID,
        }
    ),
    LegalKind.LEGAL_AID: frozenset({LegalOutcome.AID_COMPLETED}),
    LegalKind.NOTARISATION: frozenset({LegalOutcome.CERTIFICATE_ISSUED, LegalOutcome.NOTARISATION_TERMINATED}),
    LegalKind.LABOUR_ARBITRATION: frozenset({LegalOutcome.AWARD, LegalOutcome.ARBITRAL_MEDIATION}),
}

# Allowed status transitions per kind; anything missing is refused (fail closed). A consultation
# is answered (or referred on) at once; the others are accepted or refused first.
_DECIDED = {
    LegalStatus.APPLIED: frozenset({LegalStatus.ACCEPTED, LegalStatus.REFUSED, LegalStatus.WITHDRAWN}),
    LegalStatus.ACCEPTED: frozenset({LegalStatus.CONCLUDED, LegalStatus.WITHDRAWN}),
    LegalStatus.CONCLUDED: frozenset(),
    LegalStatus.REFUSED: frozenset(),
    LegalStatus.WITHDRAWN: frozenset(),
}
LEGAL_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    LegalKind.CONSULTATION: {
        LegalStatus.APPLIED: frozenset({LegalStatus.CONCLUDED, LegalStatus.WITHDRAWN}),
        LegalStatus.CONCLUDED: frozenset(),
        LegalStatus.WITHDRAWN: frozenset(),
    },
    LegalKind.LEGAL_AID: _DECIDED,
    LegalKind.NOTARISATION: _DECIDED,
    LegalKind.LABOUR_ARBITRATION: _DECIDED,
}


class LegalService(models.Model):
    case = models.OneToOneField(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="legal_service"
    )
    # copied from the case (see MediationFile.case_center)
    case_center = models.ForeignKey(
        "governance.Center", verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="+"
    )
    case_registered_on = models.DateField(_("案件登记日期"))
    kind = models.CharField(_("服务类型"), max_length=20, choices=LegalKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.APPLIED)
    outcome = models.CharField(_("结果"), max_length=24, choices=LegalOutcome.choices, blank=True)
    request = models.TextField(_("申请/咨询事项"), max_length=2000)
    agency = models.CharField(
        _("承办机构"), max_length=100, blank=True, help_text=_("法律援助中心、公证处、劳动人事争议仲裁委员会等")
    )
    assignee = models.CharField(_("承办人"), max_length=50, blank=True, help_text=_("承办律师、公证员或仲裁员"))
    reference = models.CharField(_("文书编号"), max_length=64, blank=True, help_text=_("援助决定书、公证书或仲裁案号"))
    result_note = models.TextField(_("答复/办理结果"), max_length=5000, blank=True)
    refusal_reason = models.TextField(_("不予受理理由"), max_length=2000, blank=True)
    applied_at = models.DateTimeField(_("申请时间"))
    decided_at = models.DateTimeField(_("受理/决定时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # decision timer (legal aid 7 days, arbitration acceptance 5 days) and handling timer
    # (notarisation 15 working days, arbitration award 45 days) on the shared engine
    decision_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("审查/受理期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handling_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("办理期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("公共法律服务")
        verbose_name_plural = _("公共法律服务")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=LegalKind.values), name="legal_service_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=LegalStatus.values), name="legal_service_status_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(status=LegalStatus.CONCLUDED) & models.Q(outcome__in=LegalOutcome.values))
                | (~models.Q(status=LegalStatus.CONCLUDED) & models.Q(outcome="")),
                name="legal_service_outcome_iff_concluded",
            ),
        ]
        indexes = [
            # the figures of a center's subtree for a period (stats, dashboard)
            models.Index(fields=["case_registered_on", "case_center"], name="legal_service_period_idx"),
            # the legal-services hall's open matters by kind
            models.Index(fields=["kind", "status"], name="legal_service_kind_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case}"
