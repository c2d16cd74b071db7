"""The petition list, registration and receipt, the petition page and its steps, the notice."""

from __future__ import annotations

from functools import partial

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import registry, roles
from governance.exceptions import ApplicationError
from governance.models import CaseFlag, PiiAccess
from governance.selectors.scoping import centers_for, departments_for
from governance.views.base import run_service, scoped
from governance.views.forms import friendly_filter_form
from petitions import forms as f
from petitions import roles as petition_roles
from petitions import selectors, services
from petitions.choices import PetitionStatus, RatingVia, Step
from petitions.models import ALLOWED_TRANSITIONS, BacklogCase, Petition, ReceptionDay
from petitions.services.registration import query_code_display

PAGE_SIZE = 25
RECEIPT_CODES = "petition_receipt_codes"  # session: petition id → query code, shown once


def _staff(user) -> bool:
    return roles.may(user, petition_roles.STAFF)


def _departments(user):
    return departments_for(user).filter(is_active=True).order_by("center__path", "residency", "id")


# --- The list --------------------------------------------------------------------------------------


@login_required
def petition_list(request):
    petitions = selectors.PetitionFilter(
        request.GET, queryset=selectors.petition_list_qs(request.user).order_by("-id"), request=request
    )
    friendly_filter_form(petitions.form)
    qs = petitions.qs.prefetch_related("case__parties__person")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/list.html",
        {
            "filter": petitions,
            "page_obj": page,
            "petitions": page.object_list,
            "can_register": _staff(request.user),
        },
    )


# --- Registration and the receipt ---------------------------------------------------------------------


def _register_forms(request, data=None):
    user = request.user
    today = timezone.localdate()
    centers = centers_for(user).order_by("path")
    center_ids = user.center.scope_ids if user.center_id else []
    receptions = ReceptionDay.objects.filter(date=today, cancelled_at__isnull=True, center_id__in=center_ids)
    form = f.RegisterForm(
        data,
        prefix="petition",
        departments=_departments(user),
        receptions=receptions.select_related("leader"),
        centers=centers,
    )
    petitioners = f.PetitionerFormSet(data, prefix="petitioners")
    return form, petitioners


@login_required
def register(request):
    if not _staff(request.user):
        raise PermissionDenied(_("您的角色无权登记信访事项"))
    if request.method != "POST":
        form, petitioners = _register_forms(request)
        return render(request, "petitions/register.html", {"form": form, "petitioners": petitioners})
    form, petitioners = _register_forms(request, request.POST)
    if form.is_valid() and petitioners.is_valid():
        v = form.cleaned_data
        center = v.get("center") or request.user.center
        accused = []
        if v.get("accused_department") or v.get("accused_name"):
            accused = [services.AccusedInput(department=v.get("accused_department"), name=v.get("accused_name", ""))]
        people = [services.PetitionerInput(**p) for p in petitioners.cleaned_data if p]
        # `form` is also the name of the service's argument (the petition's form): bind it first
        register_petition = partial(services.petition_register, form=v["form"])
        petition = run_service(
            form,
            register_petition,
            actor=request.user,
            center=center,
            type=v["type"],
            headcount=v.get("headcount"),
            petitioners=people,
            summary=v["summary"],
            category=v.get("category"),
            risk_level=v["risk_level"],
            flags=v.get("flags", []),
            repeat=v.get("repeat", False),
            accused=accused,
            reception=v.get("reception"),
        )
        if petition is not None:
            codes = dict(request.session.get(RECEIPT_CODES, {}))
            codes[str(petition.pk)] = petition.query_code
            request.session[RECEIPT_CODES] = codes
            messages.success(request, _("信访事项已登记：%(number)s") % {"number": petition.case.number})
            return redirect("petitions:receipt", petition.pk)
    return render(request, "petitions/register.html", {"form": form, "petitioners": petitioners}, status=400)


def _petition(request, petition_id: int) -> Petition:
    return scoped(selectors.petition_get_for, user=request.user, petition_id=petition_id)


@login_required
def receipt(request, petition_id: int):
    """The receipt (登记回执) with the query code — shown once, right after registering (the session
    forgets it when the receipt is shown); a lost code is replaced with a new one."""
    petition = _petition(request, petition_id)
    codes = dict(request.session.get(RECEIPT_CODES, {}))
    code = codes.pop(str(petition.pk), "")
    request.session[RECEIPT_CODES] = codes
    lookup_url = request.build_absolute_uri(reverse("petitions:lookup"))
    qr = mark_safe(segno.make(lookup_url, error="m").svg_inline(scale=3)) if code else ""
    decision = selectors.petition_deadlines(petition)
    return render(
        request,
        "petitions/receipt.html",
        {
            "petition": petition,
            "case": petition.case,
            "parties": list(selectors.petition_parties(petition)),
            "code": query_code_display(code) if code else "",
            "lookup_url": lookup_url,
            "qr": qr,
            "decision_due": next((d.due_at for d in decision if d.kind == "petition.decision"), None),
            "printed_at": timezone.now(),
        },
    )


# --- The petition page ----------------------------------------------------------------------------


def _allowed_steps(user, petition: Petition) -> set[str]:
    steps = {step for (step, status) in ALLOWED_TRANSITIONS if status == petition.status and step != Step.FINALIZE}
    if not _staff(user):
        steps &= {Step.EXTEND} if roles.may(user, petition_roles.EXTEND) else set()
    return steps


def _step_form(step: str, petition: Petition, user, data=None):
    """The form of one step (bound to `data` when given)."""
    kwargs = {"prefix": step}
    if step in (Step.FORWARD, Step.ASSIGN):
        kwargs["departments"] = _departments(user)
    if step == Step.EXTEND:
        kwargs["leaders"] = f.leaders_for(petition.case.center)
    form_class = {
        Step.FORWARD: f.RouteForm,
        Step.ASSIGN: f.AssignForm,
        Step.REFUSE: f.RefuseForm,
        Step.EXTEND: f.ExtendForm,
        Step.REPLY: f.AnswerForm,
        Step.REQUEST_REVIEW: f.RequestForm,
        Step.ANSWER_REVIEW: f.AnswerForm,
        Step.REQUEST_RE_REVIEW: f.RequestForm,
        Step.ANSWER_RE_REVIEW: f.AnswerForm,
    }[step]
    return form_class(data, **kwargs)


def _step_forms(request, petition: Petition, bound: dict | None = None) -> dict:
    """The forms of the steps this user may take now (a bound one when it was just refused)."""
    bound = bound or {}
    return {
        step: bound.get(step) or _step_form(step, petition, request.user)
        for step in sorted(_allowed_steps(request.user, petition), key=Step.values.index)
    }


def petition_page_context(request, petition: Petition, *, bound: dict | None = None, reveal: bool = False) -> dict:
    user = request.user
    bound = bound or {}
    case = petition.case
    audited = user.has_role(*roles.AUDITED_PII)
    events = list(case.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.label = registry.event_label(event.kind)
    timers = selectors.petition_deadlines(petition)
    for timer in timers:
        timer.label = registry.deadline_kind(timer.kind).label
    try:
        backlog = petition.backlog
    except BacklogCase.DoesNotExist:
        backlog = None
    staff = _staff(user)
    planner = roles.may(user, petition_roles.PLAN)
    leaders = f.leaders_for(case.center)
    return {
        "petition": petition,
        "case": case,
        "parties": list(selectors.petition_parties(petition)),
        "whole_pii": reveal or not audited,
        "may_reveal": audited and not reveal,
        "flags": [CaseFlag(flag).label for flag in case.flags],
        "timers": timers,
        "events": events,
        "links": list(selectors.petition_links(user, petition)),
        "accused": list(petition.accused.select_related("department", "user")),
        "dispatches": list(case.dispatches.select_related("department").order_by("id")),
        "backlog": backlog,
        "steps": _step_forms(request, petition, bound),
        # a refused step whose form is not offered in this state: its errors are shown on top
        "refused": [
            error
            for step, form in bound.items()
            if step in Step.values and step not in _allowed_steps(user, petition)
            for error in form.non_field_errors()
        ],
        "Step": {s.name: s.value for s in Step},
        "can_rate": staff and petition.status in selectors.REPLIED_STATES and not petition.satisfaction,
        "rate_form": bound.get("rate") or f.RateForm(prefix="rate"),
        "can_link": staff,
        "link_form": bound.get("link") or f.LinkForm(prefix="link"),
        "can_reissue": staff,
        "can_backlog": planner
        and backlog is None
        and petition.status not in (PetitionStatus.CLOSED, PetitionStatus.REFUSED),
        "backlog_form": bound.get("backlog") or f.BacklogForm(prefix="backlog", leaders=leaders),
        "can_resolve_backlog": backlog is not None
        and backlog.status == "open"
        and (planner or user.pk == backlog.leader_id),
        "backlog_resolve_form": bound.get("backlog_resolve") or f.BacklogResolveForm(prefix="backlog_resolve"),
        "has_notice": bool(petition.refusal_notice or petition.reply_text),
    }


def render_petition_page(request, petition_id: int, *, bound: dict | None = None, status: int = 200, reveal=False):
    petition = _petition(request, petition_id)
    return render(
        request,
        "petitions/detail.html",
        petition_page_context(request, petition, bound=bound, reveal=reveal),
        status=status,
    )


@login_required
def detail(request, petition_id: int):
    return render_petition_page(request, petition_id)


@login_required
@require_POST
def reveal(request, petition_id: int):
    """The petitioners' whole ID numbers and phones; a leader's or liaison's look is audited."""
    petition = _petition(request, petition_id)
    if request.user.has_role(*roles.AUDITED_PII):
        PiiAccess.objects.create(user=request.user, case_id=petition.case_id, via="web:petition")
    return render_petition_page(request, petition_id, reveal=True)


def _step_call(request, petition: Petition, step: str, form) -> dict:
    """The service and its arguments for a valid step form."""
    v = form.cleaned_data
    common = {"actor": request.user, "petition": petition}
    if step in (Step.FORWARD, Step.ASSIGN):
        extra = {"deadline_days": v.get("deadline_days")} if step == Step.ASSIGN else {}
        service = services.petition_forward if step == Step.FORWARD else services.petition_assign
        return {
            "fn": service,
            **common,
            "department": v.get("department"),
            "organ": v.get("organ", ""),
            "track": v["track"],
            "note": v.get("note", ""),
            **extra,
        }
    if step == Step.REFUSE:
        return {"fn": services.petition_refuse, **common, "reason": v["reason"], "notice": v["notice"]}
    if step == Step.EXTEND:
        return {
            "fn": services.petition_extend,
            **common,
            "days": v["days"],
            "reason": v["reason"],
            "approver": v["approver"],
        }
    if step in (Step.REPLY, Step.ANSWER_REVIEW, Step.ANSWER_RE_REVIEW):
        service = {
            Step.REPLY: services.petition_reply,
            Step.ANSWER_REVIEW: services.petition_answer_review,
            Step.ANSWER_RE_REVIEW: services.petition_answer_re_review,
        }[step]
        return {"fn": service, **common, "outcome": v["outcome"], "text": v["text"]}
    service = services.petition_request_review if step == Step.REQUEST_REVIEW else services.petition_request_re_review
    return {"fn": service, **common, "request": v["request"], "organ": v.get("organ", "")}


@login_required
@require_POST
def step(request, petition_id: int, verb: str):
    """One step of the procedure (the same services as POST /api/petitions/{id}/<verb>/). The
    service decides: a step the state or the role does not allow is refused on the form."""
    petition = _petition(request, petition_id)
    step_key = verb.replace("-", "_")
    if step_key not in Step.values or step_key == Step.FINALIZE:
        raise Http404()
    form = _step_form(step_key, petition, request.user, request.POST)
    if form.is_valid():
        call = _step_call(request, petition, step_key, form)
        fn = call.pop("fn")
        if run_service(form, fn, **call) is not None:
            messages.success(request, _("已%(step)s") % {"step": Step(step_key).label})
            return redirect("petitions:detail", petition.pk)
    return render_petition_page(request, petition.pk, bound={step_key: form}, status=400)


@login_required
@require_POST
def rate(request, petition_id: int):
    """The petitioner's evaluation, entered by staff after a follow-up call."""
    petition = _petition(request, petition_id)
    form = f.RateForm(request.POST, prefix="rate")
    if form.is_valid():
        done = run_service(
            form,
            services.petition_rate,
            actor=request.user,
            petition=petition,
            via=RatingVia.STAFF,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("评价已记录"))
            return redirect("petitions:detail", petition.pk)
    return render_petition_page(request, petition.pk, bound={"rate": form}, status=400)


@login_required
@require_POST
def link(request, petition_id: int):
    """Link an earlier petition on the same matter, by its case number."""
    petition = _petition(request, petition_id)
    form = f.LinkForm(request.POST, prefix="link")
    if form.is_valid():
        earlier = (
            selectors.petition_qs_for(request.user)
            .filter(case__number=form.cleaned_data["earlier"].strip().upper())
            .select_related("case")
            .first()
        )
        if earlier is None:
            form.add_error("earlier", _("未找到该编号的信访事项，或您无权查看"))
        elif run_service(form, services.petition_link, actor=request.user, petition=petition, earlier=earlier):
            messages.success(request, _("已关联此前信访事项"))
            return redirect("petitions:detail", petition.pk)
    return render_petition_page(request, petition.pk, bound={"link": form}, status=400)


@login_required
@require_POST
def reissue_code(request, petition_id: int):
    petition = _petition(request, petition_id)
    try:
        petition = services.petition_reissue_code(actor=request.user, petition=petition)
    except ApplicationError as exc:
        raise PermissionDenied(str(exc.message)) from None
    codes = dict(request.session.get(RECEIPT_CODES, {}))
    codes[str(petition.pk)] = petition.query_code
    request.session[RECEIPT_CODES] = codes
    messages.success(request, _("已生成新的查询码，原查询码作废，请重新打印回执"))
    return redirect("petitions:receipt", petition.pk)


@login_required
@require_POST
def backlog(request, petition_id: int):
    petition = _petition(request, petition_id)
    form = f.BacklogForm(request.POST, prefix="backlog", leaders=f.leaders_for(petition.case.center))
    if form.is_valid():
        done = run_service(form, services.backlog_designate, actor=request.user, petition=petition, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已列为信访积案"))
            return redirect("petitions:detail", petition.pk)
    return render_petition_page(request, petition.pk, bound={"backlog": form}, status=400)


@login_required
@require_POST
def backlog_resolve(request, petition_id: int):
    petition = _petition(request, petition_id)
    try:
        case = petition.backlog
    except BacklogCase.DoesNotExist:
        raise Http404() from None
    form = f.BacklogResolveForm(request.POST, prefix="backlog_resolve")
    if form.is_valid():
        done = run_service(form, services.backlog_resolve, actor=request.user, backlog=case, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("积案已化解"))
            return redirect("petitions:detail", petition.pk)
    return render_petition_page(request, petition.pk, bound={"backlog_resolve": form}, status=400)


@login_required
def notice(request, petition_id: int):
    """The written notice for the petitioner, print-ready: the refusal (不予受理告知书) or the reply
    (信访事项处理意见书), with the review and re-review opinions when there are any."""
    petition = _petition(request, petition_id)
    if not (petition.refusal_notice or petition.reply_text):
        raise Http404()
    return render(
        request,
        "petitions/notice.html",
        {
            "petition": petition,
            "case": petition.case,
            "parties": list(selectors.petition_parties(petition)),
            "timers": {d.kind: d for d in selectors.petition_deadlines(petition)},
        },
    )
