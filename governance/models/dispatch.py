from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models.choices import DispatchStatus

# Allowed status transitions of a dispatch; anything missing is refused (fail closed).
DISPATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    DispatchStatus.PENDING: frozenset({DispatchStatus.ACCEPTED, DispatchStatus.REJECTED}),
    DispatchStatus.ACCEPTED: frozenset({DispatchStatus.FED_BACK}),
    DispatchStatus.REJECTED: frozenset(),
    DispatchStatus.FED_BACK: frozenset(),
}
ACTIVE_DISPATCH_STATUSES = (DispatchStatus.PENDING, DispatchStatus.ACCEPTED)


class Dispatch(models.Model):
    """A case sent to a stationed department (一键派单); several with one lead for joint handling."""

    case = models.ForeignKey(
        "governance.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="dispatches"
    )
    department = models.ForeignKey(
        "governance.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="dispatches"
    )
    is_lead = models.BooleanField(_("主办"), default=True)
    instructions = models.TextField(_("派单意见"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.PENDING)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("派单人"), on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("派单时间"))
    # The local day of dispatch: what the dispatch statistics group by.
    dispatched_on = models.DateField(_("派单日期"))
    response_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("签收时限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("反馈时限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    reject_reason = models.TextField(_("退回理由"), blank=True, max_length=1000)
    fed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_result = models.TextField(_("办理结果"), blank=True, max_length=2000)
    feedback_resolved = models.BooleanField(_("是否化解"), null=True, blank=True)

    class Meta:
        verbose_name = _("派单")
        verbose_name_plural = _("派单")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=DispatchStatus.values), name="dispatch_status_valid"),
            # A department holds a case at most once at a time.
            models.UniqueConstraint(
                fields=["case", "department"],
                condition=models.Q(status__in=ACTIVE_DISPATCH_STATUSES),
                name="dispatch_one_active_per_department",
            ),
            # Joint handling has exactly one lead (主办) among the live dispatches.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(is_lead=True) & ~models.Q(status=DispatchStatus.REJECTED),
                name="dispatch_one_lead_per_case",
            ),
        ]
        indexes = [
            # liaison inbox: a department's dispatches by state
            models.Index(fields=["department", "status"], name="dispatch_dept_status_idx"),
        ]

    def __str__(self):
        return f"{self.case} → {self.department}"
