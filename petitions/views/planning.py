"""Leaders' reception days and backlog cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.exceptions import ApplicationError
from governance.views.base import run_service
from petitions import forms as f
from petitions import roles as petition_roles
from petitions import selectors, services
from petitions.views.petitions import PAGE_SIZE

# --- Reception days and backlog cases ------------------------------------------------------------


@login_required
def receptions(request):
    user = request.user
    planner = roles.may(user, petition_roles.PLAN)
    today = timezone.localdate()
    upcoming = (
        selectors.reception_qs_for(user)
        .filter(cancelled_at__isnull=True, date__gte=today)
        .order_by("date", "starts_at")
    )
    past = selectors.reception_qs_for(user).filter(cancelled_at__isnull=True, date__lt=today).order_by("-date")[:12]
    form = None
    status = 200
    if planner and user.center_id:
        form = f.ReceptionForm(request.POST or None, prefix="reception", leaders=f.leaders_for(user.center))
        if request.method == "POST":
            if form.is_valid():
                v = form.cleaned_data
                done = run_service(
                    form,
                    services.reception_schedule,
                    actor=user,
                    center=user.center,
                    leader=v["leader"],
                    day=v["date"],
                    starts_at=v["starts_at"],
                    ends_at=v["ends_at"],
                    place=v["place"],
                    topic=v["topic"],
                )
                if done is not None:
                    messages.success(request, _("已安排领导接访"))
                    return redirect("petitions:receptions")
            status = 400
    elif request.method == "POST":
        raise PermissionDenied()
    return render(
        request,
        "petitions/receptions.html",
        {"upcoming": upcoming[:50], "past": past, "form": form, "planner": planner},
        status=status,
    )


@login_required
@require_POST
def reception_cancel(request, reception_id: int):
    reception = selectors.reception_qs_for(request.user).filter(pk=reception_id).first()
    if reception is None:
        raise Http404()
    try:
        services.reception_cancel(actor=request.user, reception=reception)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(str(exc.message)) from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("接访安排已取消"))
    return redirect("petitions:receptions")


@login_required
def backlog_list(request):
    status = request.GET.get("status", "open")
    qs = selectors.backlog_qs_for(request.user)
    if status in ("open", "resolved"):
        qs = qs.filter(status=status)
    if request.GET.get("mine") == "1":
        qs = qs.filter(leader=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/backlog.html", {"page_obj": page, "rows": page.object_list, "status": status})
