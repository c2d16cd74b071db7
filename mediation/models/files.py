from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.choices import ConsentForm, FailureRoute, FileStatus, MediationKind, SessionKind, Side

# Allowed status transitions of a mediation file; anything missing is refused (fail closed).
FILE_TRANSITIONS: dict[str, frozenset[str]] = {
    FileStatus.APPLIED: frozenset({FileStatus.MEDIATING, FileStatus.REFUSED, FileStatus.WITHDRAWN}),
    FileStatus.MEDIATING: frozenset({FileStatus.AGREED, FileStatus.FAILED, FileStatus.WITHDRAWN}),
    FileStatus.AGREED: frozenset(),
    FileStatus.FAILED: frozenset(),
    FileStatus.REFUSED: frozenset(),
    FileStatus.WITHDRAWN: frozenset(),
}
OPEN_FILE_STATUSES = (FileStatus.APPLIED, FileStatus.MEDIATING)


class MediationFile(models.Model):
    """The mediation file (调解卷宗) of one ledger case: application, consent of both parties,
    acceptance, investigation and session records, and the outcome — an agreement, or the end of
    mediation with the other routes told to the parties."""

    case = models.OneToOneField(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="mediation_file"
    )
    # Copied from the case when the file is opened (neither ever changes): the figures of a center
    # and a period read this table alone instead of joining every case of the period.
    case_center = models.ForeignKey(
        "governance.Center", verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="+"
    )
    case_registered_on = models.DateField(_("案件登记日期"))
    committee = models.ForeignKey(
        "mediation.Committee", verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="files"
    )
    mediator = models.ForeignKey(
        "mediation.Mediator", verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("调解类型"), max_length=20, choices=MediationKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=FileStatus.choices, default=FileStatus.APPLIED)
    request = models.TextField(_("申请事项"), max_length=2000, blank=True)
    applied_at = models.DateTimeField(_("申请时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("建档人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The time limit to mediate (30 days by default; labour 15 days, medical 30 working days,
    # pre-litigation 30 days from the mediator's signing) on the shared deadline engine.
    deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("调解期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    failure_reason = models.TextField(_("调解不成原因"), max_length=2000, blank=True)
    routes = models.JSONField(_("告知的其他途径"), default=list, blank=True)
    end_note = models.TextField(_("不予受理/撤回说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("调解卷宗")
        verbose_name_plural = _("调解卷宗")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FileStatus.values), name="mediation_file_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=MediationKind.values), name="mediation_file_kind_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=FileStatus.MEDIATING) | models.Q(accepted_at__isnull=False),
                name="mediation_file_mediating_accepted",
            ),
        ]
        indexes = [
            # the figures of a center's subtree for a period (stats, dashboard)
            models.Index(fields=["case_registered_on", "case_center"], name="mediation_file_period_idx"),
            # a mediator's worklist (open files first) and per-mediator figures
            models.Index(fields=["mediator", "status"], name="mediation_file_mediator_idx"),
            # a committee's files and per-committee figures
            models.Index(fields=["committee", "status"], name="mediation_file_committee_idx"),
        ]

    def __str__(self):
        return str(self.case)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FILE_STATUSES

    @property
    def route_labels(self) -> list[str]:
        labels = dict(FailureRoute.choices)
        return [str(labels.get(route, route)) for route in self.routes]


class Consent(models.Model):
    """One side's consent to (or refusal of) mediation. Mediation needs both sides' consent
    (人民调解法第十七条); a side that refuses ends it before it starts."""

    file = models.ForeignKey(
        MediationFile, verbose_name=_("调解卷宗"), on_delete=models.PROTECT, related_name="consents"
    )
    side = models.CharField(_("当事方"), max_length=12, choices=Side.choices)
    agreed = models.BooleanField(_("同意调解"))
    form = models.CharField(_("形式"), max_length=12, choices=ConsentForm.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("调解意愿")
        verbose_name_plural = _("调解意愿")
        ordering = ["side"]
        constraints = [
            models.UniqueConstraint(fields=["file", "side"], name="mediation_consent_one_per_side"),
            models.CheckConstraint(condition=models.Q(side__in=Side.values), name="mediation_consent_side_valid"),
            models.CheckConstraint(
                condition=models.Q(form__in=ConsentForm.values), name="mediation_consent_form_valid"
            ),
        ]


class Session(models.Model):
    """An investigation (调查) or a mediation session (调解) with its record (笔录)."""

    file = models.ForeignKey(
        MediationFile, verbose_name=_("调解卷宗"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=SessionKind.choices, default=SessionKind.SESSION)
    held_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=500, blank=True)
    record = models.TextField(_("记录"), max_length=10000)
    mediator = models.ForeignKey(
        "mediation.Mediator", verbose_name=_("主持调解员"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("调查及调解记录")
        verbose_name_plural = _("调查及调解记录")
        ordering = ["held_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SessionKind.values), name="mediation_session_kind_valid"
            ),
        ]
