"""Public legal services pages: the matters of the hall, taking one, and its steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.services.persons import PartyInput
from governance.views.base import run_service, scoped
from mediation import forms, permissions
from mediation.legal import services
from mediation.legal.models import LEGAL_TRANSITIONS, OUTCOMES_BY_KIND, LegalKind, LegalService
from mediation.selectors import lists, scoping
from mediation.views.common import filtered, page_of, timeline


@login_required
def legal_list(request):
    services_ = filtered(lists.LegalFilter, request, lists.legal_list_qs(request.user).order_by("-id"))
    page = page_of(request, services_.qs)
    return render(
        request,
        "mediation/legal_list.html",
        {
            "filter": services_,
            "page_obj": page,
            "services": page.object_list,
            "can_register": roles.may(request.user, permissions.LEGAL_SERVICES),
        },
    )


@login_required
def legal_new(request):
    if not roles.may(request.user, permissions.LEGAL_SERVICES) or request.user.center is None:
        raise Http404()
    form = forms.LegalForm(request.POST or None, initial={"kind": LegalKind.CONSULTATION})
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        service = run_service(
            form,
            services.legal_service_register,
            actor=request.user,
            center=request.user.center,
            kind=v["kind"],
            category=v["category"],
            request=v["request"],
            agency=v["agency"],
            parties=[PartyInput(name=v["name"], id_number=v["id_number"], phone=v["phone"])],
        )
        if service is not None:
            messages.success(request, _("已受理登记，案件编号 %(number)s") % {"number": service.case.number})
            return redirect("mediation:legal-detail", service.pk)
    return render(request, "mediation/legal_new.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _service_for_page(user, legal_id: int) -> LegalService:
    try:
        return lists.legal_list_qs(user).get(pk=legal_id)
    except LegalService.DoesNotExist:
        raise Http404() from None


def render_legal_page(request, legal_id: int, *, forms_: dict | None = None, status: int = 200):
    service = _service_for_page(request.user, legal_id)
    given = forms_ or {}
    staff = roles.may(request.user, permissions.LEGAL_SERVICES)
    allowed = LEGAL_TRANSITIONS[service.kind].get(service.status, frozenset()) if staff else frozenset()
    handling = service.handling_deadline
    context = {
        "service": service,
        "case": service.case,
        "events": timeline(service.case),
        "can_accept": "accepted" in allowed,
        "can_refuse": "refused" in allowed,
        "can_conclude": "concluded" in allowed,
        "can_withdraw": "withdrawn" in allowed,
        "can_extend": staff
        and service.status == "accepted"
        and handling is not None
        and handling.kind == "legal.arbitration_award",
        "can_pause": staff
        and service.status == "accepted"
        and service.kind == LegalKind.NOTARISATION
        and handling is not None
        and handling.state == "open",
        "paused": handling is not None and handling.state == "open" and handling.due_at is None,
        "accept_form": given.get("accept")
        or forms.LegalAcceptForm(prefix="accept", initial={"agency": service.agency}),
        "refuse_form": given.get("refuse") or forms.ReasonForm(prefix="refuse"),
        "conclude_form": given.get("conclude")
        or forms.LegalConcludeForm(prefix="conclude", outcomes=OUTCOMES_BY_KIND[service.kind]),
        "withdraw_form": given.get("withdraw") or forms.ReasonForm(prefix="withdraw"),
        "extend_form": given.get("extend") or forms.DaysReasonForm(prefix="extend"),
        "pause_form": given.get("pause") or forms.ReasonForm(prefix="pause"),
        "resume_form": given.get("resume") or forms.NoteForm(prefix="resume"),
        "open_form": next(iter(given), ""),
    }
    return render(request, "mediation/legal_detail.html", context, status=status)


@login_required
def legal_detail(request, legal_id: int):
    return render_legal_page(request, legal_id)


def _step(request, legal_id: int, name: str, form, service_fn, success: str, /, **build):
    service = scoped(scoping.legal_get_for, user=request.user, legal_id=legal_id)
    if form.is_valid():
        kwargs = {key: form.cleaned_data[field] for key, field in build.items()}
        if run_service(form, service_fn, actor=request.user, service=service, **kwargs) is not None:
            messages.success(request, success)
            return redirect("mediation:legal-detail", service.pk)
    return render_legal_page(request, service.pk, forms_={name: form}, status=400)


@login_required
@require_POST
def legal_accept(request, legal_id: int):
    form = forms.LegalAcceptForm(request.POST, prefix="accept")
    return _step(
        request,
        legal_id,
        "accept",
        form,
        services.legal_service_accept,
        _("已受理"),
        agency="agency",
        assignee="assignee",
        reference="reference",
    )


@login_required
@require_POST
def legal_refuse(request, legal_id: int):
    form = forms.ReasonForm(request.POST, prefix="refuse")
    return _step(request, legal_id, "refuse", form, services.legal_service_refuse, _("已不予受理"), reason="reason")


@login_required
@require_POST
def legal_conclude(request, legal_id: int):
    service = scoped(scoping.legal_get_for, user=request.user, legal_id=legal_id)
    form = forms.LegalConcludeForm(request.POST, prefix="conclude", outcomes=OUTCOMES_BY_KIND[service.kind])
    return _step(
        request,
        legal_id,
        "conclude",
        form,
        services.legal_service_conclude,
        _("已办结"),
        outcome="outcome",
        result_note="result_note",
        reference="reference",
    )


@login_required
@require_POST
def legal_withdraw(request, legal_id: int):
    form = forms.ReasonForm(request.POST, prefix="withdraw")
    return _step(request, legal_id, "withdraw", form, services.legal_service_withdraw, _("已撤回"), reason="reason")


@login_required
@require_POST
def legal_extend(request, legal_id: int):
    form = forms.DaysReasonForm(request.POST, prefix="extend")
    return _step(
        request,
        legal_id,
        "extend",
        form,
        services.legal_service_extend,
        _("已延长裁决期限"),
        days="days",
        reason="reason",
    )


@login_required
@require_POST
def legal_pause(request, legal_id: int):
    form = forms.ReasonForm(request.POST, prefix="pause")
    return _step(request, legal_id, "pause", form, services.legal_service_pause, _("已中止计时"), reason="reason")


@login_required
@require_POST
def legal_resume(request, legal_id: int):
    form = forms.NoteForm(request.POST, prefix="resume")
    return _step(request, legal_id, "resume", form, services.legal_service_resume, _("已恢复计时"), reason="note")
