"""The mediation file pages: the list, the file with everything on it and the steps its mediator
(or the center's staff) may take now, opening a file on a case, and recording the agreement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.models import CaseParty, CaseStatus, ServiceLine
from governance.selectors.scoping import case_get_for
from governance.views.base import error_carrier, run_service, scoped
from mediation import deadlines, forms, permissions
from mediation.choices import FileStatus, MediationKind, Side
from mediation.models import FILE_TRANSITIONS, MediationFile, Term
from mediation.selectors import lists, scoping
from mediation.services import clock
from mediation.services import files as services
from mediation.services.agreements import AgreementInput, PartyInput, TermInput
from mediation.views.common import filtered, page_of, related, timeline


def _mediators(user, committee_id=None):
    qs = scoping.mediators_for(user).filter(is_active=True).select_related("committee")
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    return qs.order_by("committee__order", "committee_id", "-is_chief", "id")


@login_required
def file_list(request):
    files = filtered(lists.FileFilter, request, lists.file_list_qs(request.user).order_by("-id"))
    files.form.fields["committee"].queryset = scoping.committees_for(request.user)
    files.form.fields["mediator"].queryset = _mediators(request.user)
    page = page_of(request, files.qs)
    return render(
        request,
        "mediation/file_list.html",
        {"filter": files, "page_obj": page, "files": page.object_list},
    )


def _file_for_page(user, file_id: int) -> MediationFile:
    try:
        return (
            lists.file_list_qs(user)
            .select_related("agreement", "agreement__confirmation", "referral", "case__first_handler")
            .prefetch_related(
                Prefetch("case__parties", queryset=CaseParty.objects.select_related("person")),
                "consents",
                "sessions__mediator",
                Prefetch(
                    "agreement__terms", queryset=Term.objects.select_related("deadline", "obligor__case_party__person")
                ),
                "agreement__parties__case_party__person",
                "agreement__checks__by",
            )
            .get(pk=file_id)
        )
    except MediationFile.DoesNotExist:
        raise Http404() from None


def file_page_context(request, file: MediationFile, *, forms_: dict | None = None) -> dict:
    """The file and the steps this user may take on it now (the transition table, who they are)."""
    user = request.user
    given = forms_ or {}
    mediate = permissions.may_mediate(user, file)
    keep = permissions.may_mediate_or_staff(user, file)
    allowed = FILE_TRANSITIONS.get(file.status, frozenset())
    consents = {c.side: c for c in file.consents.all()}
    missing = [side for side in Side.values if side not in consents]
    agreement = related(file, "agreement")
    confirmation = related(agreement, "confirmation")
    deadline = file.deadline
    mediating = file.status == FileStatus.MEDIATING
    suspended = bool(deadline and deadline.state == "open" and deadline.due_at is None)
    own = permissions.mediator_of(user)
    chief = own is not None and own.is_chief and own.committee_id == file.committee_id
    context = {
        "file": file,
        "case": file.case,
        "parties": list(file.case.parties.all()),
        "consents": [consents.get(side) for side in Side.values],
        "sessions": list(file.sessions.all()),
        "agreement": agreement,
        "confirmation": confirmation,
        "events": timeline(file.case),
        "deadline": deadline,
        "suspended": suspended,
        "may_mediate": mediate,
        "can_consent": keep and file.status == FileStatus.APPLIED and bool(missing),
        "can_accept": mediate and FileStatus.MEDIATING in allowed and not missing,
        "can_refuse": mediate and FileStatus.REFUSED in allowed,
        "can_withdraw": keep and FileStatus.WITHDRAWN in allowed and file.kind != MediationKind.PRE_LITIGATION,
        "can_session": mediate and mediating,
        "can_agree": mediate and mediating and not suspended,
        "can_fail": mediate and mediating,
        "can_extend": mediate
        and mediating
        and deadline is not None
        and deadline.kind in deadlines.EXTENDABLE
        and not suspended,
        "can_appraise": mediate and mediating and deadline is not None and deadline.kind in deadlines.SUSPENDABLE,
        "can_reassign": file.is_open and (permissions.is_center_staff(user) or chief or user.is_superuser),
        "can_follow": keep and agreement is not None,
        "can_confirm": keep and agreement is not None and confirmation is None and agreement.form == "written",
        "can_court": keep and confirmation is not None and confirmation.status in ("applied", "accepted"),
        "documents": agreement is not None or file.accepted_at is not None,
    }
    defaults = {
        "consent": lambda: forms.FileConsentForm(prefix="consent", initial={"side": missing[0] if missing else None}),
        "refuse": lambda: forms.ReasonForm(prefix="refuse"),
        "withdraw": lambda: forms.ReasonForm(prefix="withdraw"),
        "session": lambda: forms.SessionForm(
            prefix="session", initial={"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        ),
        "fail": lambda: forms.FailForm(prefix="fail"),
        "extend": lambda: forms.ExtendForm(prefix="extend"),
        "appraisal": lambda: forms.ReasonForm(prefix="appraisal"),
        "reassign": lambda: forms.ReassignForm(
            prefix="reassign", mediators=_mediators(user, file.committee_id).exclude(pk=file.mediator_id)
        ),
        "check": lambda: forms.CheckForm(prefix="check"),
        "confirm": lambda: forms.ConfirmationApplyForm(prefix="confirm"),
        "court": lambda: forms.CourtCaseNumberForm(prefix="court"),
        "rule": lambda: forms.RuleForm(prefix="rule"),
        "not_accept": lambda: forms.ReasonForm(prefix="not_accept"),
        "ruling_extend": lambda: forms.DaysReasonForm(prefix="ruling_extend"),
        "conf_withdraw": lambda: forms.ReasonForm(prefix="conf_withdraw"),
        "accept": error_carrier,
        "appraisal_end": lambda: forms.NoteForm(prefix="appraisal_end"),
    }
    for name, make in defaults.items():
        context[f"{name}_form"] = given.get(name) or make()
    context["open_form"] = next(iter(given), "")
    if agreement is not None:
        for term in agreement.terms.all():
            term.form = given.get(f"term-{term.pk}") or forms.TermRecordForm(prefix=f"term-{term.pk}")
    return context


def render_file_page(request, file_id: int, *, forms_: dict | None = None, status: int = 200):
    file = _file_for_page(request.user, file_id)
    return render(request, "mediation/file_detail.html", file_page_context(request, file, forms_=forms_), status=status)


@login_required
def file_detail(request, file_id: int):
    return render_file_page(request, file_id)


def _step(request, file_id: int, name: str, input_form, service, success: str, /, **build):
    """One step on a file from its page: valid input → the service; a refusal shows on the form."""
    file = scoped(scoping.file_get_for, user=request.user, file_id=file_id)
    if input_form.is_valid():
        data = input_form.cleaned_data
        kwargs = {key: value(data) if callable(value) else value for key, value in build.items()}
        # a closure: a service argument may share a name with run_service's own (`form`)
        if run_service(input_form, lambda: service(actor=request.user, file=file, **kwargs)) is not None:
            messages.success(request, success)
            return redirect("mediation:file", file.pk)
    return render_file_page(request, file.pk, forms_={name: input_form}, status=400)


@login_required
@require_POST
def file_consent(request, file_id: int):
    form = forms.FileConsentForm(request.POST, prefix="consent")
    return _step(
        request,
        file_id,
        "consent",
        form,
        services.file_consent,
        _("已记录当事人的调解意愿"),
        side=lambda d: d["side"],
        agreed=lambda d: d["agreed"],
        form=lambda d: d["form"],
        note=lambda d: d["note"],
    )


@login_required
@require_POST
def file_accept(request, file_id: int):
    return _step(request, file_id, "accept", error_carrier(), services.file_accept, _("已受理调解，调解期限开始计算"))


@login_required
@require_POST
def file_refuse(request, file_id: int):
    form = forms.ReasonForm(request.POST, prefix="refuse")
    return _step(request, file_id, "refuse", form, services.file_refuse, _("已不予受理"), reason=lambda d: d["reason"])


@login_required
@require_POST
def file_withdraw(request, file_id: int):
    form = forms.ReasonForm(request.POST, prefix="withdraw")
    return _step(
        request, file_id, "withdraw", form, services.file_withdraw, _("已记录撤回"), reason=lambda d: d["reason"]
    )


@login_required
@require_POST
def file_session(request, file_id: int):
    form = forms.SessionForm(request.POST, prefix="session")
    return _step(
        request,
        file_id,
        "session",
        form,
        services.session_add,
        _("已记录"),
        kind=lambda d: d["kind"],
        held_at=lambda d: d["held_at"],
        place=lambda d: d["place"],
        attendees=lambda d: d["attendees"],
        record=lambda d: d["record"],
    )


@login_required
@require_POST
def file_fail(request, file_id: int):
    form = forms.FailForm(request.POST, prefix="fail")
    return _step(
        request,
        file_id,
        "fail",
        form,
        services.file_fail,
        _("已终止调解并记录告知的其他途径"),
        reason=lambda d: d["reason"],
        routes=lambda d: d["routes"],
    )


@login_required
@require_POST
def file_extend(request, file_id: int):
    form = forms.ExtendForm(request.POST, prefix="extend")
    return _step(
        request,
        file_id,
        "extend",
        form,
        clock.file_extend,
        _("调解期限已延长"),
        days=lambda d: d["days"],
        applicant_consents=lambda d: d["applicant_consents"],
        respondent_consents=lambda d: d["respondent_consents"],
        reason=lambda d: d["reason"],
    )


@login_required
@require_POST
def file_appraisal_start(request, file_id: int):
    form = forms.ReasonForm(request.POST, prefix="appraisal")
    return _step(
        request,
        file_id,
        "appraisal",
        form,
        clock.file_appraisal_start,
        _("鉴定期间已中止计时"),
        reason=lambda d: d["reason"],
    )


@login_required
@require_POST
def file_appraisal_end(request, file_id: int):
    form = forms.NoteForm(request.POST, prefix="appraisal_end")
    return _step(
        request,
        file_id,
        "appraisal_end",
        form,
        clock.file_appraisal_end,
        _("鉴定结束，已恢复计时"),
        note=lambda d: d["note"],
    )


@login_required
@require_POST
def file_reassign(request, file_id: int):
    file = scoped(scoping.file_get_for, user=request.user, file_id=file_id)
    form = forms.ReassignForm(request.POST, prefix="reassign", mediators=_mediators(request.user, file.committee_id))
    return _step(
        request,
        file_id,
        "reassign",
        form,
        services.file_reassign,
        _("已更换调解员"),
        mediator=lambda d: d["mediator"],
        reason=lambda d: d["reason"],
    )


# --- opening a file ------------------------------------------------------------------------------


@login_required
def file_open(request, case_id: int):
    """建立调解卷宗 on a case of the mediation line: give it to a committee's mediator."""
    if not roles.may(request.user, permissions.OPEN_FILE):
        raise Http404()
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    if hasattr(case, "mediation_file"):
        return redirect("mediation:file", case.mediation_file.pk)
    own = permissions.mediator_of(request.user)
    mediators = _mediators(request.user)
    if own is not None and not permissions.is_center_staff(request.user):
        mediators = mediators.filter(committee_id=own.committee_id) if own.is_chief else mediators.filter(pk=own.pk)
    form = forms.FileOpenForm(request.POST or None, mediators=mediators, initial={"mediator": own})
    if request.method == "POST" and form.is_valid():
        mediator = form.cleaned_data["mediator"]
        file = run_service(
            form,
            services.file_open,
            actor=request.user,
            case=case,
            committee=mediator.committee,
            mediator=mediator,
            kind=form.cleaned_data["kind"],
            request=form.cleaned_data["request"],
        )
        if file is not None:
            messages.success(request, _("已建立调解卷宗，请记录双方当事人的调解意愿"))
            return redirect("mediation:file", file.pk)
    eligible = case.service_line == ServiceLine.MEDIATION and case.status != CaseStatus.CLOSED
    return render(
        request,
        "mediation/file_open.html",
        {"case": case, "form": form, "eligible": eligible},
        status=400 if request.method == "POST" else 200,
    )


# --- the agreement ---------------------------------------------------------------------------------

SIDE_OF_ROLE = {"respondent": Side.RESPONDENT}


@login_required
def file_agree(request, file_id: int):
    """Record the agreement: parties (with their responsibilities and signatures), facts, terms."""
    file = _file_for_page(request.user, file_id)
    if not permissions.may_mediate(request.user, file) or file.status != FileStatus.MEDIATING:
        return redirect("mediation:file", file.pk)
    case_parties = list(file.case.parties.all())
    obligors = [
        (p.pk, _("%(name)s（%(detail)s）") % {"name": p.person.name, "detail": p.get_role_display()})
        for p in case_parties
    ]
    initial = [
        {"case_party": p.pk, "include": True, "side": SIDE_OF_ROLE.get(p.role, Side.APPLICANT)} for p in case_parties
    ]
    data = request.POST if request.method == "POST" else None
    head = forms.AgreementHeadForm(data, prefix="head", initial={"form": "written", "sealed": True})
    parties = forms.AgreementPartyFormSet(data, prefix="party", initial=initial)
    terms = forms.TermFormSet(data, prefix="term", form_kwargs={"obligors": obligors})
    if data is not None and head.is_valid() and parties.is_valid() and terms.is_valid():
        agreement = AgreementInput(
            form=head.cleaned_data["form"],
            facts=head.cleaned_data["facts"],
            parties=[
                PartyInput(
                    case_party=row["case_party"],
                    side=row["side"],
                    responsibility=row["responsibility"],
                    signed=row["signed"],
                )
                for row in parties.cleaned_data
                if row.get("include")
            ],
            terms=[
                TermInput(
                    content=f.cleaned_data["content"],
                    method=f.cleaned_data["method"],
                    due_on=f.cleaned_data["due_on"],
                    obligor=f.cleaned_data["obligor"],
                )
                for f in terms
                if not f.is_blank
            ],
            sealed=head.cleaned_data["sealed"],
            recorder=head.cleaned_data["recorder"],
            confirmation_wanted=head.cleaned_data["confirmation_wanted"],
        )
        if run_service(head, services.file_agree, actor=request.user, file=file, agreement=agreement) is not None:
            messages.success(request, _("调解成功，已记录调解协议"))
            return redirect("mediation:file", file.pk)
    by_id = {p.pk: p for p in case_parties}
    for form in parties:
        form.party = by_id.get(form.initial.get("case_party") or int(form["case_party"].value() or 0))
    return render(
        request,
        "mediation/agree.html",
        {"file": file, "case": file.case, "head": head, "parties": parties, "terms": terms},
        status=400 if data is not None else 200,
    )
