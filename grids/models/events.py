from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models import RiskLevel
from grids.models.choices import (
    OPEN_EVENT_STATUSES,
    EventCategory,
    EventSource,
    EventStatus,
    Supervision,
    Tier,
)

# Allowed status transitions of a grid event; anything missing is refused (fail closed).
# ESCALATED → ESCALATED is the next tier up (village → township → county), while one is left.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.REPORTED: frozenset({EventStatus.ACCEPTED, EventStatus.INVALID}),
    EventStatus.ACCEPTED: frozenset({EventStatus.CLOSED_ON_SITE, EventStatus.ESCALATED}),
    EventStatus.INVALID: frozenset(),
    EventStatus.CLOSED_ON_SITE: frozenset({EventStatus.FED_BACK}),
    EventStatus.ESCALATED: frozenset({EventStatus.ESCALATED, EventStatus.ESCALATED_CLOSED}),
    EventStatus.ESCALATED_CLOSED: frozenset({EventStatus.FED_BACK}),
    EventStatus.FED_BACK: frozenset(),
}


def _user(verbose_name, related_name="+", **kwargs):
    # No index: nothing looks events up by who did a step (users are deactivated, never deleted).
    kwargs.setdefault("db_index", False)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        **kwargs,
    )


class GridEvent(models.Model):
    """A matter found or received in a grid (网格事件). Closed on site by the grid where possible;
    escalated one tier up otherwise, where it becomes a case on the ledger (`case`)."""

    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="events", db_index=False
    )
    # the grid's village center, copied so that scoping and rollups need no join
    center = models.ForeignKey(
        "governance.Center", verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    category = models.CharField(_("事件类型"), max_length=20, choices=EventCategory.choices)
    source = models.CharField(_("来源"), max_length=16, choices=EventSource.choices, default=EventSource.GRID_REPORT)
    status = models.CharField(_("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.REPORTED)
    tier = models.CharField(_("处置层级"), max_length=16, choices=Tier.choices, default=Tier.GRID)
    supervision = models.CharField(_("督办等级"), max_length=16, choices=Supervision.choices, default=Supervision.NONE)
    summary = models.TextField(_("事件描述"), max_length=2000)
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    people_involved = models.CharField(_("涉及人员"), max_length=500, blank=True)
    dispute_category = models.ForeignKey(
        "governance.Category",
        verbose_name=_("纠纷类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("矛盾纠纷的类别；提级为案件时沿用"),
    )
    risk_level = models.CharField(_("风险等级"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.BLUE)

    reported_by = _user(_("上报人"))
    # The grid worker the event is counted for (the reporter; for a hotline ticket, the grid's worker).
    worker = _user(_("责任网格员"))
    reported_at = models.DateTimeField(_("上报时间"))
    # The local day of the report: what every grid figure groups by (cohort).
    reported_on = models.DateField(_("上报日期"))

    reviewed_by = _user(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    handled_by = _user(_("处置人"))
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    result = models.TextField(_("处置结果"), max_length=2000, blank=True)
    resolved = models.BooleanField(_("是否化解"), null=True, blank=True)

    escalated_by = _user(_("提级人"))
    escalated_at = models.DateTimeField(_("提级时间"), null=True, blank=True)
    escalation_reason = models.CharField(_("提级理由"), max_length=500, blank=True)
    case = models.OneToOneField(
        "governance.Case",
        verbose_name=_("台账案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_event",
    )

    # when the ledger case it became was closed (办结): the "diverted and closed" of the figures
    escalated_closed_at = models.DateTimeField(_("上级办结时间"), null=True, blank=True)

    fed_back_by = _user(_("反馈人"))
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_note = models.CharField(_("反馈情况"), max_length=500, blank=True)

    deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("处置时限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    red_deadline = models.OneToOneField(
        "governance.Deadline",
        verbose_name=_("红牌时限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=EventCategory.values), name="grid_event_category_valid"
            ),
            models.CheckConstraint(condition=models.Q(status__in=EventStatus.values), name="grid_event_status_valid"),
            models.CheckConstraint(condition=models.Q(tier__in=Tier.values), name="grid_event_tier_valid"),
            models.CheckConstraint(condition=models.Q(source__in=EventSource.values), name="grid_event_source_valid"),
            models.CheckConstraint(
                condition=models.Q(supervision__in=Supervision.values), name="grid_event_supervision_valid"
            ),
            models.CheckConstraint(condition=models.Q(risk_level__in=RiskLevel.values), name="grid_event_risk_valid"),
            # above the grid an event is always a case on the ledger (escalation creates it)
            models.CheckConstraint(
                condition=models.Q(tier=Tier.GRID) | models.Q(case__isnull=False), name="grid_event_escalated_has_case"
            ),
            # a hotline ticket is a case before it reaches the grid
            models.CheckConstraint(
                condition=~models.Q(source=EventSource.HOTLINE) | models.Q(case__isnull=False),
                name="grid_event_hotline_has_case",
            ),
        ]
        indexes = [
            # event lists of a center's subtree, newest first (cursor pagination on -id)
            models.Index(fields=["center", "id"], name="grid_event_center_idx"),
            # a grid worker's list: the events of their grid(s), newest first
            models.Index(fields=["grid", "id"], name="grid_event_grid_idx"),
            # work queues (to review, to handle, escalated): open events are a sliver of the table
            models.Index(
                fields=["center", "status"],
                condition=models.Q(status__in=OPEN_EVENT_STATUSES),
                name="grid_event_open_idx",
            ),
            # date-range lists behind the dashboard's links (center + report day)
            models.Index(fields=["center", "reported_on"], name="grid_event_center_day_idx"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} #{self.pk}"


class EventAttachment(models.Model):
    """A photo or document of a grid event (type and size checked on upload)."""

    event = models.ForeignKey(
        GridEvent, verbose_name=_("网格事件"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="grids/events/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = _user(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("事件附件")
        verbose_name_plural = _("事件附件")
        ordering = ["id"]

    def __str__(self):
        return self.name
