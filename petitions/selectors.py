"""Scoped reads of petitions, their filters, the figures leaders read, and the petitioner's public
progress page.

Who sees a petition: whoever may see its ledger case (`governance.selectors.scoping`), minus the
accusation rule below, which the core applies to every case and dispatch query.

The accusation rule [law]: accusation material (检举控告) is never visible to the accused or their
department. An accusation records whom it accuses (`PetitionAccused`: a department, a staff
member, or only a name). A user attached to an accused department (`User.department`, whatever
their role — liaison, or staff working for that department) and a staff member named as accused
never see the case: not in lists, not by id (404, like a missing row), not in the dispatch inbox,
not in person look-ups, even when the case was dispatched to their department. The decision
services refuse to route an accusation to an accused department, and the core's dispatch refuses
it too (a registered dispatch check), so it should never get there in the first place.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance import registry
from governance.exceptions import NotFound
from governance.models import Case, CaseParty, Deadline, DeadlineStat, DeadlineState, Satisfaction, User
from governance.selectors.cases import case_search
from governance.selectors.dashboard import period_sums, with_rate
from governance.selectors.scoping import case_qs_for, centers_for
from governance.services.stats import SATISFIED
from petitions.choices import (
    BacklogStatus,
    Decision,
    PetitionForm,
    PetitionStatus,
    PetitionType,
    RefusalReason,
    ReplyOutcome,
)
from petitions.models import REPLIED_STATES, BacklogCase, Petition, PetitionAccused, PetitionStat, ReceptionDay
from petitions.services import deadlines as clocks
from petitions.services.registration import CODE_LENGTH, query_code_hash, query_code_normalize

# The center's obligations (not the petitioner's windows): at most one is open at a time.
OBLIGATIONS = (clocks.DECISION, clocks.HANDLING, clocks.REVIEW, clocks.RE_REVIEW)


# --- Scoping ------------------------------------------------------------------------------------


def accused_cases_rule(user: User) -> Q | None:
    """The cases `user` must never see: accusations against their department or against them.
    Registered with the core (`registry.register_case_exclusion`)."""
    if user is None or not getattr(user, "pk", None):
        return None
    accused = Q(user_id=user.pk)
    if user.department_id:
        accused |= Q(department_id=user.department_id)
    return Q(pk__in=PetitionAccused.objects.filter(accused).values("case_id"))


def petition_qs_for(user: User) -> QuerySet[Petition]:
    return Petition.objects.filter(case__in=case_qs_for(user).values("pk"))


def petition_get_for(*, user: User, petition_id: int | str) -> Petition:
    try:
        return petition_detail_qs(user).get(pk=int(petition_id))
    except (Petition.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def _current_due() -> Subquery:
    return Subquery(
        Deadline.objects.filter(subject_id=OuterRef("pk"), kind__in=OBLIGATIONS, state=DeadlineState.OPEN).values(
            "due_at"
        )[:1]
    )


def _late_obligations() -> QuerySet[Deadline]:
    now = timezone.now()
    return Deadline.objects.filter(subject_id=OuterRef("pk"), kind__in=OBLIGATIONS).filter(
        Q(state=DeadlineState.BREACHED, completed_at__isnull=True) | Q(state=DeadlineState.OPEN, due_at__lt=now)
    )


def _overdue() -> Coalesce:
    """An obligation of the petition is past due and not done: a scalar subquery, evaluated for
    each listed row (an EXISTS in the select list may be planned as a hash of every late timer)."""
    first = _late_obligations().values(flag=Value(True))[:1]
    return Coalesce(Subquery(first, output_field=BooleanField()), Value(False))


def petition_list_qs(user: User) -> QuerySet[Petition]:
    return (
        petition_qs_for(user)
        .select_related("case", "case__center", "case__category", "handling_department", "backlog")
        .annotate(due_at=_current_due(), is_overdue=_overdue())
    )


def petition_detail_qs(user: User) -> QuerySet[Petition]:
    return petition_list_qs(user).select_related(
        "case__first_handler", "decided_by", "replied_by", "extension_approver", "reception", "backlog__leader"
    )


def petition_deadlines(petition: Petition) -> list[Deadline]:
    return list(
        Deadline.objects.filter(subject_id=petition.pk, kind__startswith="petition.").order_by("started_at", "id")
    )


def petition_links(user: User, petition: Petition) -> QuerySet[Petition]:
    """Earlier petitions linked to this one that the user may see (an earlier accusation against
    the user's department stays invisible even through a link)."""
    return (
        petition_qs_for(user)
        .filter(later_links__petition=petition)
        .select_related("case")
        .distinct()
        .order_by("-case__registered_at")
    )


def petition_parties(petition: Petition) -> QuerySet[CaseParty]:
    return CaseParty.objects.filter(case_id=petition.case_id).select_related("person")


class PetitionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PetitionStatus.choices, label=gettext_lazy("办理状态"))
    form = django_filters.ChoiceFilter(choices=PetitionForm.choices, label=gettext_lazy("信访形式"))
    type = django_filters.ChoiceFilter(choices=PetitionType.choices, label=gettext_lazy("信访类型"))
    collective = django_filters.BooleanFilter(field_name="is_collective", label=gettext_lazy("集体信访"))
    repeat = django_filters.BooleanFilter(field_name="is_repeat", label=gettext_lazy("重复信访"))
    center = django_filters.ModelChoiceFilter(
        queryset=lambda request: centers_for(request.user) if request else None,
        method="filter_center",
        label=gettext_lazy("中心(含下级)"),
    )
    date_from = django_filters.DateFilter(
        field_name="case__registered_on", lookup_expr="gte", label=gettext_lazy("登记日期起")
    )
    date_to = django_filters.DateFilter(
        field_name="case__registered_on", lookup_expr="lte", label=gettext_lazy("登记日期止")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("超期未办"))
    late = django_filters.ChoiceFilter(
        choices=[("decision", gettext_lazy("处理超期")), ("handling", gettext_lazy("办理超期"))],
        method="filter_late",
        label=gettext_lazy("超期环节"),
    )
    rated = django_filters.BooleanFilter(method="filter_rated", label=gettext_lazy("已评价"))
    backlog = django_filters.BooleanFilter(method="filter_backlog", label=gettext_lazy("信访积案"))
    search = django_filters.CharFilter(
        method="filter_search", max_length=50, label=gettext_lazy("案件编号、信访人姓名或电话")
    )

    class Meta:
        model = Petition
        fields = ["status", "form", "type"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_center(self, qs, name, value):
        return qs.filter(case__center__in=value.subtree().values("pk")) if value else qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        late = Exists(_late_obligations())
        return qs.filter(late) if value else qs.exclude(late)

    def filter_late(self, qs, name, value):
        if not value:
            return qs
        kind = clocks.DECISION if value == "decision" else clocks.HANDLING
        late = Deadline.objects.filter(subject_id=OuterRef("pk"), kind=kind, state=DeadlineState.BREACHED)
        return qs.filter(Exists(late))

    def filter_rated(self, qs, name, value):
        return qs if value is None else qs.exclude(satisfaction="") if value else qs.filter(satisfaction="")

    def filter_backlog(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(backlog__isnull=False, backlog__status=BacklogStatus.OPEN) if value else qs

    def filter_search(self, qs, name, value):
        return qs.filter(case__in=case_search(Case.objects.all(), value).values("pk"))


# --- Figures --------------------------------------------------------------------------------------


def _figures(
    by_form: dict[tuple[str, bool], dict[str, int]],
    *,
    repeated: int,
    rated: int,
    satisfied: int,
    decision: dict[str, int],
    handling: dict[str, int],
) -> dict:
    """The statistics' shape (GET /api/petitions/stats/ and the dashboard section)."""

    def count(form: str, collective: bool | None = None, name: str = "petitions") -> int:
        return sum(
            row.get(name, 0)
            for (row_form, row_collective), row in by_form.items()
            if row_form == form and (collective is None or row_collective == collective)
        )

    visit = PetitionForm.VISIT
    figures: dict = {
        "total": sum(row.get("petitions", 0) for row in by_form.values()),
        "letters": count(PetitionForm.LETTER),
        "phone": count(PetitionForm.PHONE),
        "online": count(PetitionForm.ONLINE),
        "visits": {
            "batches": {
                "total": count(visit),
                "collective": count(visit, True),
                "individual": count(visit, False),
            },
            "persons": {
                "total": count(visit, name="persons"),
                "collective": count(visit, True, "persons"),
                "individual": count(visit, False, "persons"),
            },
        },
    }
    with_rate(
        figures, "on_time_decision_rate", decision.get("met", 0), decision.get("met", 0) + decision.get("breached", 0)
    )
    with_rate(
        figures, "on_time_handling_rate", handling.get("met", 0), handling.get("met", 0) + handling.get("breached", 0)
    )
    with_rate(figures, "satisfaction_rate", satisfied, rated)
    figures["repeat_petitions"] = repeated
    return figures


def petition_figures(center, date_from: date, date_to: date) -> dict:
    """Petitions registered at `center` and below in [date_from, date_to], from the rollups (its
    whole months and edge days: a few index ranges, whatever the size of the ledger); on-time rates over the timers started in
    the period (a decision timer starts at registration, a handling timer at acceptance)."""
    by_form: dict[tuple[str, bool], dict[str, int]] = {}
    totals = {"repeated": 0, "rated": 0, "satisfied": 0}
    rows = period_sums(
        PetitionStat.objects.filter(scope=center),
        date_from=date_from,
        date_to=date_to,
        group_by=["form", "is_collective"],
        counters=["petitions", "persons", "repeated", "rated", "satisfied"],
    )
    for row in rows:
        by_form[(row["form"], row["is_collective"])] = {"petitions": row["petitions"], "persons": row["persons"]}
        for name in totals:
            totals[name] += row[name]
    timers = {
        row["kind"]: row
        for row in period_sums(
            DeadlineStat.objects.filter(scope=center, kind__in=[clocks.DECISION, clocks.HANDLING]),
            date_from=date_from,
            date_to=date_to,
            group_by=["kind"],
            counters=["met", "breached"],
        )
    }
    return _figures(
        by_form,
        **totals,
        decision=timers.get(clocks.DECISION, {}),
        handling=timers.get(clocks.HANDLING, {}),
    )


def petition_ledger_counts(center, date_from: date, date_to: date) -> dict:
    """The same figures counted straight from the petitions and their timers (slow, exact): what
    the rollups must equal."""
    subtree = center.subtree().values("pk")
    petitions = Petition.objects.filter(case__center__in=subtree, case__registered_on__range=(date_from, date_to))
    by_form: dict[tuple[str, bool], dict[str, int]] = {}
    for form, collective, headcount in petitions.values_list("form", "is_collective", "headcount"):
        row = by_form.setdefault((form, collective), {"petitions": 0, "persons": 0})
        row["petitions"] += 1
        row["persons"] += headcount
    timers = Deadline.objects.filter(center__in=subtree, started_on__range=(date_from, date_to))

    def states(kind: str) -> dict[str, int]:
        return {
            "met": timers.filter(kind=kind, state=DeadlineState.MET).count(),
            "breached": timers.filter(kind=kind, state=DeadlineState.BREACHED).count(),
        }

    return _figures(
        by_form,
        repeated=petitions.filter(is_repeat=True).count(),
        rated=petitions.exclude(satisfaction="").count(),
        satisfied=petitions.filter(satisfaction__in=SATISFIED).count(),
        decision=states(clocks.DECISION),
        handling=states(clocks.HANDLING),
    )


# --- Reception days and backlog cases -----------------------------------------------------------------


def reception_qs_for(user: User) -> QuerySet[ReceptionDay]:
    """The reception schedule of the user's centers and the centers above them (a township's
    staff see the county leaders' days too)."""
    if user.is_superuser and user.center_id is None:
        qs = ReceptionDay.objects.all()
    elif user.center_id is None:
        return ReceptionDay.objects.none()
    else:
        qs = ReceptionDay.objects.filter(
            Q(center__in=centers_for(user).values("pk")) | Q(center_id__in=user.center.scope_ids)
        )
    return qs.select_related("center", "leader")


def backlog_qs_for(user: User) -> QuerySet[BacklogCase]:
    """Backlog cases of the petitions the user may see, and those the user is in charge of."""
    return (
        BacklogCase.objects.filter(Q(petition__in=petition_qs_for(user).values("pk")))
        .select_related("petition", "petition__case", "petition__case__center", "leader")
        .order_by("-stars", "designated_at")
    )


# --- The petitioner's progress page (no account, the receipt's query code) ------------------------


def petition_by_query_code(code: str) -> Petition | None:
    normalized = query_code_normalize(code)
    if len(normalized) != CODE_LENGTH:
        return None
    return (
        Petition.objects.select_related("case", "case__center")
        .filter(query_code_hash=query_code_hash(normalized))
        .first()
    )


def public_progress(petition: Petition) -> dict:
    """What the holder of the query code may see: the procedure's steps and dates, the handling
    organ, the reason for an extension, the outcome and the deadlines that concern them. Never a
    name, ID number or phone (of the petitioner, the accused or the staff), nor the summary."""
    case = petition.case
    steps = [{"at": case.registered_at, "label": _("已登记受理（%(center)s）") % {"center": case.center.name}}]
    if petition.decision == Decision.REFUSE:
        steps.append(
            {
                "at": petition.decided_at,
                "label": _("不予受理，已书面告知：%(reason)s")
                % {"reason": RefusalReason(petition.refusal_reason).label},
            }
        )
    elif petition.decision:
        steps.append(
            {
                "at": petition.decided_at,
                "label": _("已%(decision)s%(organ)s办理")
                % {"decision": Decision(petition.decision).label, "organ": petition.handling_organ},
            }
        )
    if petition.extended_at:
        steps.append(
            {
                "at": petition.extended_at,
                "label": _("办理期限延长%(days)s日，理由：%(reason)s")
                % {"days": petition.extension_days, "reason": petition.extension_reason},
            }
        )
    for at, outcome, label in (
        (petition.replied_at, petition.reply_outcome, _("已书面答复")),
        (petition.review_requested_at, "", _("已请求复查")),
        (petition.reviewed_at, petition.review_outcome, _("复查意见")),
        (petition.re_review_requested_at, "", _("已请求复核")),
        (petition.re_reviewed_at, petition.re_review_outcome, _("复核意见")),
    ):
        if at:
            text = (
                _("%(label)s：%(value)s") % {"label": label, "value": ReplyOutcome(outcome).label} if outcome else label
            )
            steps.append({"at": at, "label": text})
    if petition.finalized_at:
        steps.append({"at": petition.finalized_at, "label": _("信访事项已终结")})
    open_timers = {
        d.kind: d
        for d in Deadline.objects.filter(subject_id=petition.pk, kind__startswith="petition.", state=DeadlineState.OPEN)
    }
    current = next((open_timers[k] for k in OBLIGATIONS if k in open_timers), None)
    window = open_timers.get(clocks.REVIEW_WINDOW) or open_timers.get(clocks.RE_REVIEW_WINDOW)
    return {
        "number": case.number,
        "center": case.center.name,
        "registered_at": case.registered_at,
        "form": petition.form,
        "form_label": str(PetitionForm(petition.form).label),
        "type_label": str(PetitionType(petition.type).label),
        "status": petition.status,
        "status_label": str(PetitionStatus(petition.status).label),
        "handling_organ": petition.handling_organ,
        "current_step": str(registry.deadline_kind(current.kind).label) if current else None,
        "due_at": current.due_at if current else None,
        "request_until": window.due_at if window else None,
        "steps": [{"at": s["at"], "label": str(s["label"])} for s in steps],
        "can_rate": petition.status in REPLIED_STATES and not petition.satisfaction,
        "satisfaction": petition.satisfaction,
        "satisfaction_label": str(Satisfaction(petition.satisfaction).label) if petition.satisfaction else "",
    }
