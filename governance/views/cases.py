"""The case ledger (台账), the case page and the center staff's actions on a case."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import registry, roles
from governance.models import (
    DISPATCH_TRANSITIONS,
    Case,
    CaseStatus,
    DispatchStatus,
    FollowUp,
    PiiAccess,
)
from governance.selectors.cases import case_detail_qs
from governance.selectors.ledger import LedgerFilter, ledger_qs
from governance.selectors.scoping import case_get_for, departments_for
from governance.services import cases as case_services
from governance.services import dispatch as dispatch_services
from governance.services.cases import case_guard_refusal
from governance.views.base import CappedPaginator, run_service, scoped
from governance.views.forms import (
    CloseForm,
    DispatchForm,
    FeedbackForm,
    FollowUpForm,
    RejectForm,
    SearchForm,
    friendly_filter_form,
)

PAGE_SIZE = 25
SEARCH_SESSION_KEY = "ledger_search"
# Filters the list's form shows; other filters (from the dashboard's links) show as chips.
FORM_FILTERS = (
    "status",
    "risk_level",
    "category",
    "channel",
    "service_line",
    "center",
    "created_after",
    "created_before",
    "overdue",
    "is_open",
)


# --- The ledger ------------------------------------------------------------------------------------


def search_term(request) -> str:
    """The search term behind `?s=<key>`: kept in the session, never in the URL (names, phones)."""
    key = request.GET.get("s", "")
    return request.session.get(SEARCH_SESSION_KEY, {}).get(key, "") if key else ""


def ledger_filter(request) -> LedgerFilter:
    data = request.GET.copy()
    data.pop("search", None)  # a search term in the URL is ignored: see search_term
    term = search_term(request)
    if term:
        data["search"] = term
    ledger = LedgerFilter(data, queryset=ledger_qs(request.user), request=request)
    friendly_filter_form(ledger.form)
    ledger.form.fields["category"].label = _("纠纷类别")
    return ledger


def _chips(ledger: LedgerFilter, request) -> list[dict]:
    """The active filters the form does not show (e.g. from a dashboard link), each removable."""
    chips = []
    if not ledger.form.is_valid():
        return chips
    for name, value in ledger.form.cleaned_data.items():
        if name in FORM_FILTERS or name == "search" or value in (None, ""):
            continue
        field = ledger.form.fields[name]
        shown = value
        if hasattr(field, "choices"):
            shown = dict(field.choices).get(request.GET.get(name), value)
        if isinstance(value, bool):
            shown = _("是") if value else _("否")
        if name == "department":
            from governance.models import Department

            shown = Department.objects.filter(pk=value).values_list("name", flat=True).first() or value
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        chips.append({"label": field.label, "value": shown, "remove": f"?{params.urlencode()}"})
    return chips


@login_required
def case_list(request):
    ledger = ledger_filter(request)
    page = CappedPaginator(ledger.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    term = search_term(request)
    return render(
        request,
        "governance/case_list.html",
        {
            "filter": ledger,
            "form_filters": [ledger.form[name] for name in FORM_FILTERS if name in ledger.form.fields],
            "chips": _chips(ledger, request),
            "hidden_params": [(k, v) for k, v in request.GET.items() if k not in FORM_FILTERS and k != "page"],
            "page_obj": page,
            "cases": page.object_list,
            "search_form": SearchForm(initial={"term": term}),
            "searching": bool(term),
            "query_without_search": _without(request, "s", "page"),
            "can_register": roles.may(request.user, roles.REGISTER),
            "export_limit": MAX_EXPORT_ROWS,
        },
    )


def _without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_POST
def case_search(request):
    """Search the ledger by case number, a party's name or phone. The term is POSTed and kept in
    the session; the list's URL carries only a random key."""
    form = SearchForm(request.POST)
    filters = request.POST.get("filters", "")
    target = reverse("web-case-list") + (f"?{filters}" if filters else "")
    if not form.is_valid() or not form.cleaned_data["term"].strip():
        return redirect(target)
    key = secrets.token_urlsafe(6)
    saved = dict(request.session.get(SEARCH_SESSION_KEY, {}))
    saved = dict(list(saved.items())[-9:])  # the ten most recent searches of this session
    saved[key] = form.cleaned_data["term"].strip()
    request.session[SEARCH_SESSION_KEY] = saved
    return redirect(f"{target}{'&' if filters else '?'}s={key}")


# --- The case page -----------------------------------------------------------------------------------


def _case_for_page(user, case_id: int) -> Case:
    try:
        return case_detail_qs(user).get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404() from None


def _departments(user):
    return departments_for(user).filter(is_active=True).order_by("center__path", "residency", "id")


def case_page_context(request, case: Case, *, forms: dict | None = None, reveal: bool = False) -> dict:
    """Everything the case page shows, and the actions this user may take in this state."""
    user = request.user
    forms = forms or {}
    dispatches = list(case.dispatches.all())
    active = [d for d in dispatches if d.status in (DispatchStatus.PENDING, DispatchStatus.ACCEPTED)]
    try:
        follow_up = case.follow_up
    except FollowUp.DoesNotExist:
        follow_up = None
    is_open = case.status != CaseStatus.CLOSED
    audited = user.has_role(*roles.AUDITED_PII)
    for dispatch in dispatches:
        dispatch.case = case
        mine = {name.split("-")[0]: form for name, form in forms.items() if name.endswith(f"-{dispatch.pk}")}
        decorate_dispatch(dispatch, user, mine)
    refused = {action: case_guard_refusal(case, action) for action in ("dispatch", "close")} if is_open else {}
    can_dispatch = roles.may(user, roles.DISPATCH) and is_open and not refused.get("dispatch")
    can_close = roles.may(user, roles.CLOSE) and is_open and not refused.get("close")
    events = list(case.events.all())
    for event in events:
        event.label = registry.event_label(event.kind)
    return {
        "case": case,
        "parties": list(case.parties.all()),
        "dispatches": dispatches,
        "events": events,
        "follow_up": follow_up,
        "whole_pii": reveal or not audited,
        "may_reveal": audited and not reveal,
        "can_dispatch": can_dispatch,
        "dispatch_form": forms.get("dispatch")
        or (DispatchForm(departments=_departments(user), prefix="dispatch") if can_dispatch else None),
        "can_close": can_close,
        "close_blocked": can_close and bool(active),
        "close_form": forms.get("close") or (CloseForm(prefix="close") if can_close else None),
        "can_follow_up": roles.may(user, roles.FOLLOW_UP) and not is_open and follow_up is None,
        "follow_up_form": forms.get("follow_up") or FollowUpForm(prefix="follow_up"),
        "flags": [label for _key, label in _flag_labels(case)],
        # an app's procedure owns this case's dispatch or closing (e.g. a petition): say so
        "procedure_notes": sorted({note for note in refused.values() if note}),
        "related_links": registry.case_links(case, user),
    }


def decorate_dispatch(dispatch, user, forms: dict | None = None):
    """The actions `user` may take on `dispatch` now (the transition table, the liaison's own
    department), with their forms — bound ones when an action was just refused."""
    forms = forms or {}
    mine = user.has_role(*roles.HANDLE_DISPATCH) and (user.is_superuser or user.department_id == dispatch.department_id)
    allowed = DISPATCH_TRANSITIONS.get(dispatch.status, frozenset()) if mine else frozenset()
    dispatch.can_accept = DispatchStatus.ACCEPTED in allowed
    dispatch.can_reject = DispatchStatus.REJECTED in allowed
    dispatch.can_feedback = DispatchStatus.FED_BACK in allowed
    dispatch.accept_errors = forms["accept"].non_field_errors() if "accept" in forms else []
    dispatch.reject_form = forms.get("reject") or RejectForm(prefix=f"reject-{dispatch.pk}")
    dispatch.feedback_form = forms.get("feedback") or FeedbackForm(prefix=f"feedback-{dispatch.pk}")
    dispatch.open_form = "reject" if "reject" in forms else "feedback" if "feedback" in forms else ""
    return dispatch


def _flag_labels(case: Case):
    from governance.models import CaseFlag

    return [(flag, CaseFlag(flag).label) for flag in case.flags]


def render_case_page(request, case_id: int, *, forms: dict | None = None, status: int = 200, reveal: bool = False):
    case = _case_for_page(request.user, case_id)
    return render(
        request,
        "governance/case_detail.html",
        case_page_context(request, case, forms=forms, reveal=reveal),
        status=status,
    )


@login_required
def case_detail(request, case_id: int):
    return render_case_page(request, case_id)


@login_required
@require_POST
def case_reveal(request, case_id: int):
    """Show the parties' whole ID numbers and phones; a leader's or liaison's look is audited."""
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    if request.user.has_role(*roles.AUDITED_PII):
        PiiAccess.objects.create(user=request.user, case=case, via="web")
    if request.htmx:
        full = _case_for_page(request.user, case_id)
        return render(
            request, "governance/_parties.html", {"case": full, "parties": list(full.parties.all()), "whole_pii": True}
        )
    return render_case_page(request, case_id, reveal=True)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def case_dispatch(request, case_id: int):
    """一键派单 (and joint dispatch: again, as assisting)."""
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    form = DispatchForm(request.POST, departments=_departments(request.user), prefix="dispatch")
    if form.is_valid():
        dispatch = run_service(
            form,
            dispatch_services.dispatch_create,
            actor=request.user,
            case=case,
            department=form.cleaned_data["department"],
            instructions=form.cleaned_data["instructions"],
            lead=form.lead_value,
        )
        if dispatch is not None:
            messages.success(
                request,
                _("已派单至%(department)s，须于 %(due)s 前签收")
                % {
                    "department": dispatch.department.name,
                    "due": _local(dispatch.response_deadline.due_at),
                },
            )
            return redirect(_back(request, reverse("web-case-detail", args=[case.pk])))
    if request.POST.get("from") == "receipt":
        from intake.views import render_receipt

        return render_receipt(request, case.pk, dispatch_form=form, status=400)
    return render_case_page(request, case.pk, forms={"dispatch": form}, status=400)


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else ""


@login_required
@require_POST
def case_close(request, case_id: int):
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        closed = run_service(
            form,
            case_services.case_close,
            actor=request.user,
            case=case,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        if closed is not None:
            messages.success(request, _("案件已办结"))
            return redirect("web-case-detail", case.pk)
    return render_case_page(request, case.pk, forms={"close": form}, status=400)


@login_required
@require_POST
def case_follow_up(request, case_id: int):
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    form = FollowUpForm(request.POST, prefix="follow_up")
    if form.is_valid():
        done = run_service(
            form,
            case_services.case_follow_up,
            actor=request.user,
            case=case,
            satisfaction=form.cleaned_data["satisfaction"],
            note=form.cleaned_data["note"],
        )
        if done is not None:
            messages.success(request, _("回访已记录"))
            return redirect("web-case-detail", case.pk)
    return render_case_page(request, case.pk, forms={"follow_up": form}, status=400)


# An export is built while the user waits: a county's month or quarter fits; a year of a whole
# county is exported in batches (the sheet says so when it was cut).
MAX_EXPORT_ROWS = 20_000


@login_required
def case_export(request):
    """The filtered ledger as an Excel workbook (台账), personal data masked."""
    from django.http import HttpResponse
    from django.utils import timezone

    from governance.exports import ledger_workbook

    ledger = ledger_filter(request)
    center = request.user.center.name if request.user.center_id else _("全部中心")
    content = ledger_workbook(
        ledger.qs,
        title=_("%(center)s案件台账") % {"center": center},
        subtitle=_("导出时间：%(at)s；导出人：%(user)s；身份证号码、电话已脱敏")
        % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user},
        limit=MAX_EXPORT_ROWS,
        total=ledger.qs.count(),
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
