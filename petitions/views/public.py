"""The petitioner's progress page: no account, the receipt's query code, throttled."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.throttling import ScopedRateThrottle

from governance.views.base import run_service
from petitions import forms as f
from petitions import selectors, services
from petitions.choices import RatingVia

# --- The petitioner's progress page (no account) -------------------------------------------------------


def _throttled(request) -> bool:
    """The same budget as POST /api/petitions/lookup/ (DRF's scoped throttle, scope anon_lookup)."""
    throttle = ScopedRateThrottle()
    return not throttle.allow_request(request, SimpleNamespace(throttle_scope="anon_lookup"))


def lookup(request):
    """查询办理进度: the receipt's query code, POSTed (never in the URL); no personal data shown."""
    form = f.LookupForm(request.POST or None)
    rate_form = None
    progress = None
    status = 200
    if request.method == "POST":
        if _throttled(request):
            return render(request, "petitions/lookup.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            petition = selectors.petition_by_query_code(form.cleaned_data["code"])
            if petition is None:
                form.add_error("code", _("查询码无效，请核对回执上的查询码"))
                status = 404
            else:
                progress = selectors.public_progress(petition)
                rate_form = f.PublicRateForm(initial={"code": form.cleaned_data["code"]})
        else:
            status = 400
    return render(
        request, "petitions/lookup.html", {"form": form, "progress": progress, "rate_form": rate_form}, status=status
    )


@require_POST
def lookup_rate(request):
    """The petitioner rates the handling after the written reply (once)."""
    if _throttled(request):
        return render(request, "petitions/lookup.html", {"form": f.LookupForm(), "throttled": True}, status=429)
    form = f.PublicRateForm(request.POST)
    progress = None
    if form.is_valid():
        petition = selectors.petition_by_query_code(form.cleaned_data["code"])
        if petition is None:
            raise Http404()
        done = run_service(
            form,
            services.petition_rate,
            actor=None,
            petition=petition,
            satisfaction=form.cleaned_data["satisfaction"],
            note=form.cleaned_data["note"],
            via=RatingVia.QUERY_CODE,
        )
        progress = selectors.public_progress(petition)
        if done is not None:
            return render(
                request,
                "petitions/lookup.html",
                {
                    "form": f.LookupForm(initial={"code": form.cleaned_data["code"]}),
                    "progress": progress,
                    "rated": True,
                },
            )
    return render(
        request,
        "petitions/lookup.html",
        {"form": f.LookupForm(initial={"code": request.POST.get("code", "")}), "progress": progress, "rate_form": form},
        status=400,
    )
