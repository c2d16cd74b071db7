"""Scoped lists of grids, events and work logs, with their filters."""

from __future__ import annotations

import django_filters
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import DeadlineState
from governance.selectors.scoping import centers_for
from grids.models import (
    EventCategory,
    EventSource,
    EventStatus,
    Grid,
    GridEvent,
    GridLevel,
    LogKind,
    Supervision,
    Tier,
    WorkLog,
)
from grids.selectors.scoping import event_qs_for, grid_qs_for, log_qs_for


def grid_list_qs(user) -> QuerySet[Grid]:
    return (
        grid_qs_for(user)
        .select_related("center")
        .annotate(household_count=Count("households", filter=Q(households__is_active=True)))
    )


def event_list_qs(user) -> QuerySet[GridEvent]:
    now = timezone.now()
    return (
        event_qs_for(user)
        .select_related("grid", "center", "case", "reported_by", "worker", "deadline")
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(deadline__state=DeadlineState.BREACHED)
                | Q(deadline__state=DeadlineState.OPEN, deadline__due_at__lt=now),
                output_field=BooleanField(),
            )
        )
    )


def event_detail_qs(user) -> QuerySet[GridEvent]:
    return (
        event_list_qs(user)
        .select_related("reviewed_by", "handled_by", "escalated_by", "fed_back_by", "dispute_category", "red_deadline")
        .prefetch_related("attachments")
    )


def log_list_qs(user) -> QuerySet[WorkLog]:
    return log_qs_for(user).select_related("grid", "worker", "household")


class _CenterFilter(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", lambda request: centers_for(request.user) if request else None)
        kwargs.setdefault("method", "filter_center")
        kwargs.setdefault("label", _("中心(含下级)"))
        super().__init__(**kwargs)


class GridFilter(django_filters.FilterSet):
    center = _CenterFilter()
    level = django_filters.ChoiceFilter(choices=GridLevel.choices)
    parent = django_filters.NumberFilter(method="filter_parent", label=_("上级网格(直属下级)"))
    top = django_filters.BooleanFilter(method="filter_top", label=_("只看顶层网格"))
    search = django_filters.CharFilter(method="filter_search", max_length=50, label=_("名称或编码"))

    class Meta:
        model = Grid
        fields = ["level"]

    def filter_center(self, qs, name, value):
        return qs.filter(center__in=value.subtree().values("pk")) if value else qs

    def filter_parent(self, qs, name, value):
        parent = Grid.objects.filter(pk=value).first()
        if parent is None:
            return qs.none()
        return qs.filter(path__startswith=parent.path, depth=parent.depth + 1)

    def filter_top(self, qs, name, value):
        return qs.filter(depth=1) if value else qs

    def filter_search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(name__contains=value) | Q(code__startswith=value)) if value else qs


class GridEventFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=EventStatus.choices)
    category = django_filters.ChoiceFilter(choices=EventCategory.choices)
    source = django_filters.ChoiceFilter(choices=EventSource.choices)
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    supervision = django_filters.ChoiceFilter(choices=Supervision.choices)
    center = _CenterFilter()
    grid = django_filters.NumberFilter(method="filter_grid", label=_("网格(含下级)"))
    date_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("上报日期起"))
    date_to = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label=_("上报日期止"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("超时"))
    # the lists behind the figures: closed on site, escalated, escalated and closed, disputes…
    closed_on_site = django_filters.BooleanFilter(field_name="handled_at", lookup_expr="isnull", exclude=True)
    escalated = django_filters.BooleanFilter(field_name="escalated_at", lookup_expr="isnull", exclude=True)
    escalated_closed = django_filters.BooleanFilter(
        field_name="escalated_closed_at", lookup_expr="isnull", exclude=True
    )
    resolved = django_filters.BooleanFilter()
    valid = django_filters.BooleanFilter(method="filter_valid", label=_("有效事件"))

    class Meta:
        model = GridEvent
        fields = ["status", "category", "source", "tier", "supervision", "resolved"]

    def filter_center(self, qs, name, value):
        return qs.filter(center__in=value.subtree().values("pk")) if value else qs

    def filter_grid(self, qs, name, value):
        grid = Grid.objects.filter(pk=value).first()
        if grid is None:
            return qs.none()
        return qs.filter(
            center_id=grid.center_id, grid__in=Grid.objects.filter(path__startswith=grid.path).values("pk")
        )

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(is_overdue=value)

    def filter_valid(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(status=EventStatus.INVALID) if value else qs.filter(status=EventStatus.INVALID)


class WorkLogFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LogKind.choices)
    center = _CenterFilter()
    grid = django_filters.NumberFilter(method="filter_grid", label=_("网格(含下级)"))
    worker = django_filters.NumberFilter(field_name="worker_id")
    date_from = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = WorkLog
        fields = ["kind", "worker"]

    def filter_center(self, qs, name, value):
        return qs.filter(center__in=value.subtree().values("pk")) if value else qs

    def filter_grid(self, qs, name, value):
        grid = Grid.objects.filter(pk=value).first()
        if grid is None:
            return qs.none()
        return qs.filter(
            center_id=grid.center_id, grid__in=Grid.objects.filter(path__startswith=grid.path).values("pk")
        )
