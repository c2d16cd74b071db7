"""Reads behind the pages: the ledger's extra filters (each dashboard figure links to its list),
the liaison inbox, the watchlists, monthly trends and a person's earlier cases. All scoped through
`governance.selectors.scoping`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import django_filters
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from governance.models import (
    ACTIVE_DISPATCH_STATUSES,
    Case,
    CaseFlag,
    CaseParty,
    CaseStat,
    CaseStatus,
    Center,
    Deadline,
    DeadlineState,
    Dispatch,
    DispatchStat,
    DispatchStatus,
    FollowUp,
    Outcome,
    Person,
    RiskLevel,
    User,
)
from governance.models.stats import DAY
from governance.selectors.cases import CaseFilter, DispatchFilter, case_list_qs, dispatch_list_qs
from governance.selectors.dashboard import period_sums
from governance.selectors.scoping import case_qs_for, centers_for, departments_for
from governance.services.dispatch import FEEDBACK, RESPONSE
from governance.services.stats import SATISFIED


class LedgerFilter(CaseFilter):
    """The case ledger's filters on the pages: the API's, plus what the dashboard's figures need
    to link to (open, outcome, flagged, department, followed up, satisfied). `search` is taken
    from the session by the view, never from the URL (it may hold a name or a phone)."""

    is_open = django_filters.BooleanFilter(method="filter_open", label=_("未办结"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("办结结果"))
    flag = django_filters.ChoiceFilter(choices=CaseFlag.choices, method="filter_flag", label=_("风险标记"))
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("有风险标记"))
    department = django_filters.NumberFilter(method="filter_department", label=_("承办部门"))
    followed_up = django_filters.BooleanFilter(method="filter_followed_up", label=_("已回访"))
    satisfied = django_filters.BooleanFilter(method="filter_satisfied", label=_("满意(含基本满意)"))
    closed_after = django_filters.DateFilter(field_name="closed_at", lookup_expr="date__gte", label=_("办结日期起"))
    closed_before = django_filters.DateFilter(field_name="closed_at", lookup_expr="date__lte", label=_("办结日期止"))

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(status=CaseStatus.CLOSED) if value else qs.filter(status=CaseStatus.CLOSED)

    def filter_flag(self, qs, name, value):
        return qs.filter(**{Case.FLAG_FIELDS[value]: True}) if value else qs

    def filter_flagged(self, qs, name, value):
        if value is None:
            return qs
        any_flag = Q()
        for column in Case.FLAG_FIELDS.values():
            any_flag |= Q(**{column: True})
        return qs.filter(any_flag) if value else qs.exclude(any_flag)

    def filter_department(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(Exists(Dispatch.objects.filter(case=OuterRef("pk"), department_id=value)))

    def filter_followed_up(self, qs, name, value):
        if value is None:
            return qs
        done = Exists(FollowUp.objects.filter(case=OuterRef("pk")))
        return qs.filter(done) if value else qs.filter(~done)

    def filter_satisfied(self, qs, name, value):
        if value is None:
            return qs
        happy = Exists(FollowUp.objects.filter(case=OuterRef("pk"), satisfaction__in=SATISFIED))
        return qs.filter(happy) if value else qs.filter(~happy)


def ledger_qs(user: User) -> QuerySet[Case]:
    """The case list of the pages: scoped, with what each row shows, in registration order, newest
    first. By id, not registered_at: the primary key's index serves the page (LIMIT 25) without
    sorting the whole scope, and ids are handed out in registration order."""
    return case_list_qs(user).order_by("-id")


class DispatchBoardFilter(DispatchFilter):
    """Dispatches of the center's subtree as the leader's figures count them (by the day they
    were dispatched; response / feedback deadline met or breached; still open)."""

    center = django_filters.ModelChoiceFilter(
        queryset=lambda request: centers_for(request.user) if request else Center.objects.none(),
        method="filter_center",
        label=_("中心(含下级)"),
    )
    date_from = django_filters.DateFilter(field_name="dispatched_on", lookup_expr="gte", label=_("派单日期起"))
    date_to = django_filters.DateFilter(field_name="dispatched_on", lookup_expr="lte", label=_("派单日期止"))
    response = django_filters.ChoiceFilter(
        choices=DeadlineState.choices, field_name="response_deadline__state", label=_("签收时限")
    )
    feedback = django_filters.ChoiceFilter(
        choices=DeadlineState.choices, field_name="feedback_deadline__state", label=_("反馈时限")
    )
    active = django_filters.BooleanFilter(method="filter_active", label=_("在办"))
    open_overdue = django_filters.BooleanFilter(method="filter_open_overdue", label=_("超时未办"))
    resolved = django_filters.BooleanFilter(field_name="feedback_resolved", label=_("已化解"))

    class Meta(DispatchFilter.Meta):
        fields = ["status", "department"]

    def filter_center(self, qs, name, value):
        return qs.filter(case__center__in=value.subtree().values("pk")) if value else qs

    def filter_open_overdue(self, qs, name, value):
        """A response or feedback timer past due whose work is still not done (what the
        dashboard's "open overdue" counts: `open_overdue_count`)."""
        if value is None:
            return qs
        # The open breaches are few (their partial index): fetch their subjects (dispatch ids) first,
        # so the page query looks those up by primary key instead of joining every dispatch.
        ids = list(
            Deadline.objects.filter(
                state=DeadlineState.BREACHED, completed_at__isnull=True, kind__in=[RESPONSE, FEEDBACK]
            ).values_list("subject_id", flat=True)
        )
        late = Q(pk__in=ids)
        return qs.filter(late) if value else qs.exclude(late)

    def filter_active(self, qs, name, value):
        if value is None:
            return qs
        return (
            qs.filter(status__in=ACTIVE_DISPATCH_STATUSES) if value else qs.exclude(status__in=ACTIVE_DISPATCH_STATUSES)
        )


def inbox_qs(user: User) -> QuerySet[Dispatch]:
    """A liaison's open dispatches, the most urgent first (the next deadline that matters)."""
    if not user.department_id:
        return Dispatch.objects.none()
    return (
        dispatch_list_qs(user)
        .filter(department_id=user.department_id, status__in=ACTIVE_DISPATCH_STATUSES)
        .order_by("next_due_at", "id")
    )


def inbox_done_qs(user: User) -> QuerySet[Dispatch]:
    """A liaison's department's finished dispatches, latest first."""
    if not user.department_id:
        return Dispatch.objects.none()
    return (
        dispatch_list_qs(user)
        .filter(department_id=user.department_id)
        .exclude(status__in=ACTIVE_DISPATCH_STATUSES)
        .order_by("-id")
    )


def red_watchlist(user: User, center: Center) -> QuerySet[Case]:
    """Open red-risk cases of the subtree (the leader's watchlist), oldest first."""
    return (
        case_qs_for(user)
        .filter(
            center__in=center.subtree().values("pk"),
            risk_level=RiskLevel.RED,
            status__in=[CaseStatus.REGISTERED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS],
        )
        .select_related("center", "category")
        .order_by("registered_at", "id")
    )


def overdue_deadlines(center: Center, kinds: list[str] | None = None) -> QuerySet[Deadline]:
    """Timers of the subtree past due with the work still not done, the longest overdue first."""
    qs = Deadline.objects.filter(
        state=DeadlineState.BREACHED, completed_at__isnull=True, center__in=center.subtree().values("pk")
    )
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.select_related("case", "department", "center").order_by("due_at", "id")


def monthly_trend(*, center: Center, date_from: date, date_to: date) -> list[dict]:
    """Cases registered, closed and resolved per month (registration cohort), from the rollups."""
    by_month: dict[date, dict] = defaultdict(lambda: defaultdict(int))
    for row in period_sums(
        CaseStat.objects.filter(scope=center, dimension="service_line"),
        date_from=date_from,
        date_to=date_to,
        group_by=["day"],  # a month row's day is its first; a day row's is folded into its month here
        counters=["cases", "closed", "resolved", "persons"],
    ):
        for name in ("cases", "closed", "resolved", "persons"):
            by_month[row["day"].replace(day=1)][name] += row[name]
    months = []
    cursor = date_from.replace(day=1)
    while cursor <= date_to:
        row = by_month.get(cursor, {})
        months.append(
            {
                "month": cursor,
                "cases": row.get("cases") or 0,
                "closed": row.get("closed") or 0,
                "resolved": row.get("resolved") or 0,
                "persons": row.get("persons") or 0,
            }
        )
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return months


def person_history(user: User, *, id_number: str = "", phone: str = "", limit: int = 5) -> list[dict]:
    """People known by this ID number or phone, each with the cases of theirs the user may see
    (most recent first), how many in all and how many still open: a returning visitor at a glance.
    At most five people, two queries each."""
    q = Q()
    if id_number:
        q |= Q(id_number=id_number)
    if phone:
        q |= Q(phone=phone)
    if not q:
        return []
    result = []
    for person in Person.objects.filter(q).order_by("id")[:5]:
        cases = case_qs_for(user).filter(pk__in=CaseParty.objects.filter(person=person).values("case_id"))
        counts = cases.aggregate(total=Count("id"), open=Count("id", filter=~Q(status=CaseStatus.CLOSED)))
        recent = (
            list(cases.select_related("category").order_by("-registered_at", "-id")[:limit]) if counts["total"] else []
        )
        result.append({"person": person, "cases": recent, "total": counts["total"], "open": counts["open"]})
    return result


def department_suggestions(*, user: User, category_id: int, center: Center, sample: int = 400, limit: int = 3) -> list:
    """The departments this center most often sent cases of this category to lately (not rejected):
    the likely one-click dispatch targets, most frequent first. Counted over the latest `sample`
    such dispatches (newest first by primary key: cheap however long the history)."""
    from collections import Counter

    recent = (
        Dispatch.objects.filter(case__category_id=category_id, case__center__in=center.subtree().values("pk"))
        .exclude(status=DispatchStatus.REJECTED)
        .order_by("-id")
        .values_list("department_id", flat=True)[:sample]
    )
    order = [department for department, _n in Counter(recent).most_common(limit * 2)]
    allowed = {d.pk: d for d in departments_for(user).filter(pk__in=order, is_active=True)}
    return [allowed[pk] for pk in order if pk in allowed][:limit]


def day_figures(*, center: Center, day: date) -> dict:
    """One day's figures for the dashboard's "today" row, from the rollups only: cases registered
    and dispatches made that day, and the top-level sections (visits) for that day."""
    from governance import registry

    figures = {
        "cases": CaseStat.objects.filter(scope=center, period=DAY, day=day, dimension="service_line").aggregate(
            n=Sum("cases", default=0)
        )["n"],
        "dispatched": DispatchStat.objects.filter(scope=center, period=DAY, day=day).aggregate(
            n=Sum("dispatched", default=0)
        )["n"],
    }
    for section in registry.dashboard_sections():
        if section.top_level:
            figures.update(section.compute(center, day, day))
    return figures
