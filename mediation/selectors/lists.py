"""Scoped lists with their filters (the API and the pages use the same ones)."""

from __future__ import annotations

import django_filters
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.models import CaseStatus, Category, DeadlineState, Outcome, ServiceLine
from governance.selectors.cases import CaseFilter, case_list_qs
from governance.selectors.scoping import centers_for
from mediation.choices import FileStatus, MediationKind, ReferralKind, ReferralResult, ReferralStatus
from mediation.legal.models import LegalKind, LegalOutcome, LegalStatus
from mediation.models import OPEN_FILE_STATUSES, Committee, CourtReferral, LegalService, MediationFile, Mediator
from mediation.selectors.scoping import file_qs_for, legal_qs_for, referral_qs_for


def _overdue(deadline: str) -> Coalesce:
    """The file's timer (joined: `deadline`) is past due and not done; False without a timer. From
    the joined row, not a subquery: an EXISTS in a list's select list may be planned as a hash of
    every overdue timer of the city."""
    now = timezone.now()
    late = Q(**{f"{deadline}__state": DeadlineState.BREACHED, f"{deadline}__completed_at__isnull": True}) | Q(
        **{f"{deadline}__state": DeadlineState.OPEN, f"{deadline}__due_at__lt": now}
    )
    return Coalesce(ExpressionWrapper(late, output_field=BooleanField()), Value(False))


def file_list_qs(user) -> QuerySet[MediationFile]:
    return (
        file_qs_for(user)
        .select_related("case", "case__center", "case__category", "committee", "mediator", "deadline")
        .annotate(is_overdue=_overdue("deadline"))
    )


def referral_list_qs(user) -> QuerySet[CourtReferral]:
    return referral_qs_for(user).select_related(
        "case", "case__center", "case__category", "committee", "signed_by", "file", "file__deadline"
    )


def legal_list_qs(user) -> QuerySet[LegalService]:
    return legal_qs_for(user).select_related(
        "case", "case__center", "case__category", "decision_deadline", "handling_deadline"
    )


# the center's id in the schema (the filter resolves it to a Center of the user's subtree)
CenterFilter = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter)


class _PeriodFilter(django_filters.FilterSet):
    """Center (with its subtree) and the registration day of the case, like every report."""

    center = CenterFilter(
        queryset=lambda request: centers_for(request.user) if request else None,
        method="filter_center",
        label=_("中心(含下级)"),
    )
    date_from = django_filters.DateFilter(field_name="case__registered_on", lookup_expr="gte", label=_("登记日期起"))
    date_to = django_filters.DateFilter(field_name="case__registered_on", lookup_expr="lte", label=_("登记日期止"))
    category = django_filters.ModelChoiceFilter(
        field_name="case__category", queryset=Category.objects.all(), to_field_name="key", label=_("纠纷类别(代码)")
    )

    def filter_center(self, qs, name, value):
        return qs.filter(case__center__in=value.subtree().values("pk")) if value else qs


class FileFilter(_PeriodFilter):
    status = django_filters.ChoiceFilter(choices=FileStatus.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=MediationKind.choices, label=_("调解类型"))
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all(), label=_("调解组织"))
    mediator = django_filters.ModelChoiceFilter(queryset=Mediator.objects.all(), label=_("调解员"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("未结束"))
    accepted = django_filters.BooleanFilter(
        field_name="accepted_at", lookup_expr="isnull", exclude=True, label=_("已受理")
    )
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("超期"))
    performance = django_filters.CharFilter(field_name="agreement__performance", label=_("协议履行情况"))
    confirmation = django_filters.CharFilter(field_name="agreement__confirmation__status", label=_("司法确认状态"))
    has_agreement = django_filters.BooleanFilter(
        field_name="agreement", lookup_expr="isnull", exclude=True, label=_("有调解协议")
    )
    has_confirmation = django_filters.BooleanFilter(
        field_name="agreement__confirmation", lookup_expr="isnull", exclude=True, label=_("已申请司法确认")
    )

    class Meta:
        model = MediationFile
        fields = ["status", "kind", "committee", "mediator"]

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(status__in=OPEN_FILE_STATUSES) if value else qs.exclude(status__in=OPEN_FILE_STATUSES)


class ReferralFilter(_PeriodFilter):
    kind = django_filters.ChoiceFilter(choices=ReferralKind.choices, label=_("类型"))
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("状态"))
    result = django_filters.ChoiceFilter(choices=ReferralResult.choices, label=_("结果"))
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all(), label=_("调解组织"))
    concluded = django_filters.BooleanFilter(method="filter_concluded", label=_("已结束"))

    class Meta:
        model = CourtReferral
        fields = ["kind", "status", "result", "committee"]

    def filter_concluded(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(result="") if value else qs.filter(result="")


class LegalFilter(_PeriodFilter):
    kind = django_filters.ChoiceFilter(choices=LegalKind.choices, label=_("服务类型"))
    status = django_filters.ChoiceFilter(choices=LegalStatus.choices, label=_("状态"))
    outcome = django_filters.ChoiceFilter(choices=LegalOutcome.choices, label=_("结果"))

    class Meta:
        model = LegalService
        fields = ["kind", "status", "outcome"]


class MediationCaseFilter(CaseFilter):
    """The cases of the mediation line (with or without a file): what the dashboard's mediation
    figures count, and where they link."""

    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("办结结果"))
    failed = django_filters.BooleanFilter(method="filter_failed", label=_("调解不成(未化解或转诉讼)"))
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("在办"))
    date_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte", label=_("登记日期起"))
    date_to = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte", label=_("登记日期止"))

    class Meta(CaseFilter.Meta):
        fields = [*CaseFilter.Meta.fields, "outcome"]

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(status=CaseStatus.CLOSED) if value else qs.filter(status=CaseStatus.CLOSED)

    def filter_failed(self, qs, name, value):
        failed = Q(outcome__in=[Outcome.UNRESOLVED, Outcome.LITIGATION])
        if value is None:
            return qs
        return qs.filter(failed) if value else qs.exclude(failed)


def mediation_case_list_qs(user) -> QuerySet:
    return case_list_qs(user).filter(service_line=ServiceLine.MEDIATION)
