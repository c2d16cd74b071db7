from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.choices import (
    AgreementForm,
    CheckMethod,
    ConfirmationStatus,
    Performance,
    Side,
    TermStatus,
)

# How a term's performance may change; anything missing is refused (fail closed). A defaulted
# term can still be performed late; a performed term is final.
TERM_TRANSITIONS: dict[str, frozenset[str]] = {
    TermStatus.PENDING: frozenset({TermStatus.PERFORMED, TermStatus.PARTLY, TermStatus.DEFAULTED}),
    TermStatus.PARTLY: frozenset({TermStatus.PERFORMED, TermStatus.DEFAULTED}),
    TermStatus.DEFAULTED: frozenset({TermStatus.PERFORMED, TermStatus.PARTLY}),
    TermStatus.PERFORMED: frozenset(),
}

CONFIRMATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ConfirmationStatus.APPLIED: frozenset(
        {ConfirmationStatus.ACCEPTED, ConfirmationStatus.NOT_ACCEPTED, ConfirmationStatus.WITHDRAWN}
    ),
    ConfirmationStatus.ACCEPTED: frozenset(
        {ConfirmationStatus.CONFIRMED, ConfirmationStatus.REFUSED, ConfirmationStatus.WITHDRAWN}
    ),
    ConfirmationStatus.NOT_ACCEPTED: frozenset(),
    ConfirmationStatus.CONFIRMED: frozenset(),
    ConfirmationStatus.REFUSED: frozenset(),
    ConfirmationStatus.WITHDRAWN: frozenset(),
}


class Agreement(models.Model):
    """The mediation agreement (人民调解协议书, 人民调解法第二十八至三十一条): parties, facts and
    disputed matters, each party's responsibility, terms with how and by when each is performed,
    signatures, the mediator, the committee's seal and the date. An oral agreement is recorded."""

    file = models.OneToOneField(
        "mediation.MediationFile", verbose_name=_("调解卷宗"), on_delete=models.PROTECT, related_name="agreement"
    )
    form = models.CharField(_("协议形式"), max_length=12, choices=AgreementForm.choices)
    facts = models.TextField(_("纠纷主要事实、争议事项"), max_length=5000)
    mediator = models.ForeignKey(
        "mediation.Mediator", verbose_name=_("人民调解员(签名)"), on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    sealed = models.BooleanField(_("已加盖调委会印章"), default=False)
    copies = models.PositiveSmallIntegerField(_("协议份数"), default=3)
    signed_at = models.DateTimeField(_("签订日期"))
    effective_at = models.DateTimeField(_("生效时间"))
    confirmation_wanted = models.BooleanField(
        _("当事人拟申请司法确认"), default=False, help_text=_("勾选后自生效之日起30日申请期限进入督办")
    )
    # 30 days from taking effect to apply jointly for judicial confirmation (人民调解法第三十三条).
    window_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("司法确认申请期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    performance = models.CharField(
        _("履行情况"), max_length=20, choices=Performance.choices, default=Performance.PERFORMING
    )
    fully_performed_at = models.DateTimeField(_("全部履行时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")
        constraints = [
            models.CheckConstraint(condition=models.Q(form__in=AgreementForm.values), name="agreement_form_valid"),
            models.CheckConstraint(
                condition=models.Q(performance__in=Performance.values), name="agreement_performance_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(form=AgreementForm.WRITTEN) | models.Q(sealed=True),
                name="agreement_written_sealed",
            ),
        ]

    def __str__(self):
        return str(self.file)


class AgreementParty(models.Model):
    """A party to the agreement, their responsibility, and whether they signed."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("调解协议"), on_delete=models.PROTECT, related_name="parties"
    )
    case_party = models.ForeignKey(
        "governance.CaseParty", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("当事方"), max_length=12, choices=Side.choices)
    responsibility = models.TextField(_("应承担的责任"), max_length=2000, blank=True)
    signed = models.BooleanField(_("已签名(盖章或按指印)"), default=False)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("协议当事人")
        verbose_name_plural = _("协议当事人")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "case_party"], name="agreement_party_unique"),
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="agreement_party_side_valid"),
        ]


class Term(models.Model):
    """One term of the agreement: who performs what, how, and by when; tracked one by one."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("调解协议"), on_delete=models.PROTECT, related_name="terms")
    order = models.PositiveSmallIntegerField(_("条款序号"))
    obligor = models.ForeignKey(
        AgreementParty, verbose_name=_("履行人"), on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    content = models.TextField(_("协议内容"), max_length=2000)
    method = models.CharField(_("履行方式"), max_length=200)
    due_on = models.DateField(_("履行期限"))
    status = models.CharField(_("履行情况"), max_length=12, choices=TermStatus.choices, default=TermStatus.PENDING)
    performed_at = models.DateTimeField(_("履行时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("履行期限计时"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("协议条款")
        verbose_name_plural = _("协议条款")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="agreement_term_order_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=TermStatus.values), name="agreement_term_status_valid"
            ),
        ]
        indexes = [
            # "terms due soon / overdue" on a mediator's worklist
            models.Index(fields=["status", "due_on"], name="agreement_term_due_idx"),
        ]


class PerformanceCheck(models.Model):
    """A follow-up visit or call that checks the agreement's performance term by term (回访)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("调解协议"), on_delete=models.PROTECT, related_name="checks"
    )
    method = models.CharField(_("回访方式"), max_length=8, choices=CheckMethod.choices)
    checked_at = models.DateTimeField(_("回访时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.TextField(_("回访情况"), max_length=2000)
    performance = models.CharField(_("回访时履行情况"), max_length=20, choices=Performance.choices)

    class Meta:
        verbose_name = _("履行回访")
        verbose_name_plural = _("履行回访")
        ordering = ["checked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=CheckMethod.values), name="performance_check_method_valid"
            ),
        ]


class JudicialConfirmation(models.Model):
    """The parties' joint application to a court to confirm the agreement (司法确认): within 30
    days of the agreement taking effect; the court decides on acceptance within 3 days and rules
    within 15 days of accepting (+10 with the court president's approval)."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("调解协议"), on_delete=models.PROTECT, related_name="confirmation"
    )
    court = models.CharField(_("受理法院"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=ConfirmationStatus.choices, default=ConfirmationStatus.APPLIED
    )
    applied_at = models.DateTimeField(_("申请时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    ruled_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    court_case_number = models.CharField(_("法院案号"), max_length=64, blank=True)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    acceptance_deadline = models.OneToOneField(
        "governance.Deadline", verbose_name=_("受理期限"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    ruling_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("裁定期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConfirmationStatus.values), name="judicial_confirmation_status_valid"
            ),
        ]
