"""Court docking pages: the referrals (waiting at a committee, mediating, back at the court),
registering one, and its steps — signing, returning, recording with the court, filing, and the
fast-track result."""

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
from mediation.choices import ReferralKind
from mediation.models import REFERRAL_TRANSITIONS, CourtReferral
from mediation.selectors import lists, scoping
from mediation.services import referrals as services
from mediation.views.common import filtered, page_of, timeline


@login_required
def referral_list(request):
    referrals = filtered(lists.ReferralFilter, request, lists.referral_list_qs(request.user).order_by("-id"))
    referrals.form.fields["committee"].queryset = scoping.committees_for(request.user)
    page = page_of(request, referrals.qs)
    return render(
        request,
        "mediation/referral_list.html",
        {
            "filter": referrals,
            "page_obj": page,
            "referrals": page.object_list,
            "can_register": roles.may(request.user, permissions.REGISTER_REFERRAL),
        },
    )


@login_required
def referral_new(request):
    """Register a court's referral: it goes on the ledger as a case (channel court referral)."""
    if not roles.may(request.user, permissions.REGISTER_REFERRAL) or request.user.center is None:
        raise Http404()
    committees = scoping.committees_for(request.user).filter(is_active=True)
    data = request.POST if request.method == "POST" else None
    form = forms.ReferralForm(data, committees=committees, initial={"kind": ReferralKind.PRE_LITIGATION})
    parties = forms.PartyFormSet(data, prefix="party")
    if data is not None and form.is_valid() and parties.is_valid():
        people = [
            PartyInput(name=p["name"], id_number=p["id_number"], phone=p["phone"], role=p["role"])
            for p in parties.cleaned_data
            if p.get("name")
        ]
        if not people:
            form.add_error(None, _("请至少填写一名当事人"))
        else:
            v = form.cleaned_data
            referral = run_service(
                form,
                services.referral_register,
                actor=request.user,
                center=request.user.center,
                kind=v["kind"],
                court=v["court"],
                court_ref=v["court_ref"],
                category=v["category"],
                summary=v["summary"],
                parties=people,
                committee=v["committee"],
                parties_consented=v["parties_consented"],
                risk_level=v["risk_level"],
                note=v["note"],
            )
            if referral is not None:
                messages.success(request, _("已登记法院委派，案件编号 %(number)s") % {"number": referral.case.number})
                return redirect("mediation:referral", referral.pk)
    return render(
        request,
        "mediation/referral_new.html",
        {"form": form, "parties": parties},
        status=400 if data is not None else 200,
    )


def _referral_for_page(user, referral_id: int) -> CourtReferral:
    try:
        return lists.referral_list_qs(user).get(pk=referral_id)
    except CourtReferral.DoesNotExist:
        raise Http404() from None


def render_referral_page(request, referral_id: int, *, forms_: dict | None = None, status: int = 200):
    referral = _referral_for_page(request.user, referral_id)
    user = request.user
    given = forms_ or {}
    allowed = REFERRAL_TRANSITIONS[referral.kind].get(referral.status, frozenset())
    for_committee = permissions.may_act_for_committee(user, referral.committee_id)
    clerk = for_committee or (referral.file is not None and permissions.may_mediate(user, referral.file))
    mediators = scoping.mediators_for(user).filter(committee_id=referral.committee_id, is_active=True)
    context = {
        "referral": referral,
        "case": referral.case,
        "events": timeline(referral.case),
        "can_sign": for_committee and "signed" in allowed,
        "can_return": for_committee and "returned" in allowed,
        "can_record": clerk and "recorded" in allowed,
        "can_file": clerk and "filed" in allowed,
        "can_conclude": (permissions.is_center_staff(user) or for_committee) and "concluded" in allowed,
        "sign_form": given.get("sign") or forms.SignForm(prefix="sign", mediators=mediators),
        "return_form": given.get("return") or forms.ReasonForm(prefix="return"),
        "record_form": given.get("record") or forms.CourtRecordForm(prefix="record"),
        "file_form": given.get("file") or forms.FilingForm(prefix="file"),
        "conclude_form": given.get("conclude") or forms.FastTrackForm(prefix="conclude"),
        "open_form": next(iter(given), ""),
        "staff_signs": permissions.is_center_staff(user) or user.is_superuser,
    }
    return render(request, "mediation/referral_detail.html", context, status=status)


@login_required
def referral_detail(request, referral_id: int):
    return render_referral_page(request, referral_id)


def _step(request, referral_id: int, name: str, form, service, success: str, /, **build):
    referral = scoped(scoping.referral_get_for, user=request.user, referral_id=referral_id)
    if form.is_valid():
        kwargs = {key: form.cleaned_data[field] for key, field in build.items()}
        result = run_service(form, service, actor=request.user, referral=referral, **kwargs)
        if result is not None:
            messages.success(request, success)
            if name == "sign":
                return redirect("mediation:file", result.pk)
            return redirect("mediation:referral", referral.pk)
    return render_referral_page(request, referral.pk, forms_={name: form}, status=400)


@login_required
@require_POST
def referral_sign(request, referral_id: int):
    referral = scoped(scoping.referral_get_for, user=request.user, referral_id=referral_id)
    mediators = scoping.mediators_for(request.user).filter(committee_id=referral.committee_id, is_active=True)
    form = forms.SignForm(request.POST, prefix="sign", mediators=mediators)
    return _step(
        request,
        referral_id,
        "sign",
        form,
        services.referral_sign,
        _("已签收，诉前调解期限开始计算"),
        mediator="mediator",
    )


@login_required
@require_POST
def referral_return(request, referral_id: int):
    form = forms.ReasonForm(request.POST, prefix="return")
    return _step(request, referral_id, "return", form, services.referral_return, _("已退回法院"), reason="reason")


@login_required
@require_POST
def referral_record(request, referral_id: int):
    form = forms.CourtRecordForm(request.POST, prefix="record")
    return _step(
        request, referral_id, "record", form, services.referral_record, _("已记录送法院"), court_record="court_record"
    )


@login_required
@require_POST
def referral_filed(request, referral_id: int):
    form = forms.FilingForm(request.POST, prefix="file")
    return _step(
        request, referral_id, "file", form, services.referral_file, _("已记录法院立案"), filing_number="filing_number"
    )


@login_required
@require_POST
def referral_conclude(request, referral_id: int):
    form = forms.FastTrackForm(request.POST, prefix="conclude")
    return _step(
        request,
        referral_id,
        "conclude",
        form,
        services.fast_track_conclude,
        _("已记录速裁结果"),
        result="result",
        note="note",
    )
