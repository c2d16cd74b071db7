"""Steps after the agreement, from the file's page: each term's performance, the follow-up check,
and the judicial confirmation with the court's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.views.base import run_service, scoped
from mediation import forms
from mediation.selectors import scoping
from mediation.services import agreements as services
from mediation.services import confirmations
from mediation.views.files import render_file_page


def _done(request, file_id: int, message: str):
    messages.success(request, message)
    return redirect("mediation:file", file_id)


@login_required
@require_POST
def term_record(request, term_id: int):
    term = scoped(scoping.term_get_for, user=request.user, term_id=term_id)
    file_id = term.agreement.file_id
    name = f"term-{term.pk}"
    form = forms.TermRecordForm(request.POST, prefix=name)
    if form.is_valid():
        done = run_service(
            form,
            services.term_record,
            actor=request.user,
            term=term,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        if done is not None:
            return _done(request, file_id, _("已记录履行情况"))
    return render_file_page(request, file_id, forms_={name: form}, status=400)


@login_required
@require_POST
def agreement_check(request, agreement_id: int):
    agreement = scoped(scoping.agreement_get_for, user=request.user, agreement_id=agreement_id)
    form = forms.CheckForm(request.POST, prefix="check")
    if form.is_valid():
        statuses = {}
        for term in agreement.terms.all():
            value = request.POST.get(f"check-term-{term.pk}", "")
            if value and value != term.status:
                statuses[term.pk] = value
        done = run_service(
            form,
            services.agreement_check,
            actor=request.user,
            agreement=agreement,
            method=form.cleaned_data["method"],
            finding=form.cleaned_data["finding"],
            terms=statuses,
        )
        if done is not None:
            return _done(request, agreement.file_id, _("已记录履行回访"))
    return render_file_page(request, agreement.file_id, forms_={"check": form}, status=400)


@login_required
@require_POST
def confirmation_apply(request, agreement_id: int):
    agreement = scoped(scoping.agreement_get_for, user=request.user, agreement_id=agreement_id)
    form = forms.ConfirmationApplyForm(request.POST, prefix="confirm")
    if form.is_valid():
        done = run_service(
            form,
            confirmations.confirmation_apply,
            actor=request.user,
            agreement=agreement,
            court=form.cleaned_data["court"],
            joint=form.cleaned_data["joint"],
        )
        if done is not None:
            return _done(request, agreement.file_id, _("已记录司法确认申请"))
    return render_file_page(request, agreement.file_id, forms_={"confirm": form}, status=400)


def _court_step(request, confirmation_id: int, name: str, form_class, service, success: str, /, **build):
    confirmation = scoped(scoping.confirmation_get_for, user=request.user, confirmation_id=confirmation_id)
    file_id = confirmation.agreement.file_id
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        kwargs = {key: form.cleaned_data[field] for key, field in build.items()}
        if run_service(form, service, actor=request.user, confirmation=confirmation, **kwargs) is not None:
            return _done(request, file_id, success)
    return render_file_page(request, file_id, forms_={name: form}, status=400)


@login_required
@require_POST
def confirmation_accept(request, confirmation_id: int):
    return _court_step(
        request,
        confirmation_id,
        "court",
        forms.CourtCaseNumberForm,
        confirmations.confirmation_accept,
        _("已记录法院受理"),
        court_case_number="court_case_number",
    )


@login_required
@require_POST
def confirmation_not_accept(request, confirmation_id: int):
    return _court_step(
        request,
        confirmation_id,
        "not_accept",
        forms.ReasonForm,
        confirmations.confirmation_not_accept,
        _("已记录法院不予受理"),
        reason="reason",
    )


@login_required
@require_POST
def confirmation_extend(request, confirmation_id: int):
    return _court_step(
        request,
        confirmation_id,
        "ruling_extend",
        forms.DaysReasonForm,
        confirmations.confirmation_ruling_extend,
        _("已延长裁定期限"),
        days="days",
        reason="reason",
    )


@login_required
@require_POST
def confirmation_rule(request, confirmation_id: int):
    return _court_step(
        request,
        confirmation_id,
        "rule",
        forms.RuleForm,
        confirmations.confirmation_rule,
        _("已记录法院裁定"),
        confirmed="confirmed",
        note="note",
    )


@login_required
@require_POST
def confirmation_withdraw(request, confirmation_id: int):
    return _court_step(
        request,
        confirmation_id,
        "conf_withdraw",
        forms.ReasonForm,
        confirmations.confirmation_withdraw,
        _("已记录撤回申请"),
        reason="reason",
    )
