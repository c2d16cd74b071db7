"""The liaison's inbox (签收 / 退回 / 反馈) and the center's dispatch board (派单督办)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.models import Dispatch, DispatchStatus
from governance.selectors.cases import dispatch_list_qs
from governance.selectors.ledger import DispatchBoardFilter, inbox_done_qs, inbox_qs
from governance.selectors.scoping import dispatch_get_for
from governance.services import dispatch as dispatch_services
from governance.views.base import CappedPaginator, error_carrier, run_service, scoped
from governance.views.cases import _back, decorate_dispatch, render_case_page
from governance.views.forms import FeedbackForm, RejectForm, friendly_filter_form


def _require_liaison(user) -> None:
    if not roles.may(user, roles.HANDLE_DISPATCH):
        raise PermissionDenied(_("只有部门联络员使用派单待办"))


@login_required
def inbox(request):
    """The department's open dispatches, the most urgent first; finished ones below."""
    _require_liaison(request.user)
    items = [decorate_dispatch(d, request.user) for d in inbox_qs(request.user)]
    done = list(inbox_done_qs(request.user)[:20])
    latest = max((d.pk for d in items), default=0)
    latest = max(latest, max((d.pk for d in done), default=0))
    return render(
        request,
        "governance/inbox.html",
        {
            "items": items,
            "done": done,
            "latest": latest,
            "pending": sum(1 for d in items if d.status == DispatchStatus.PENDING),
            "department": request.user.department,
        },
    )


@login_required
def inbox_new(request):
    """Polled by the inbox: dispatches that arrived after `after`, to be put on top of the list."""
    _require_liaison(request.user)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    new = [decorate_dispatch(d, request.user) for d in inbox_qs(request.user).filter(pk__gt=after).order_by("id")]
    latest = max([after, *(d.pk for d in new)])
    pending = inbox_qs(request.user).filter(status=DispatchStatus.PENDING).count()
    return render(
        request, "governance/_inbox_new.html", {"items": new, "latest": latest, "pending": pending, "is_new": True}
    )


def _item_response(request, dispatch_id: int, *, forms: dict | None = None, status: int = 200):
    """The inbox item in its new state (and the pending count beside the list, out of band)."""
    dispatch = dispatch_list_qs(request.user).get(pk=dispatch_id)
    pending = inbox_qs(request.user).filter(status=DispatchStatus.PENDING).count()
    return render(
        request,
        "governance/_inbox_item.html",
        {"d": decorate_dispatch(dispatch, request.user, forms), "oob_count": True, "pending": pending},
        status=status,
    )


def _after_action(request, dispatch: Dispatch, message: str):
    if request.htmx:
        return _item_response(request, dispatch.pk)
    messages.success(request, message)
    return redirect(_back(request, reverse("inbox")))


def _refused(request, dispatch: Dispatch, name: str, form):
    """A refused action: the form with its errors where the user was (inbox item or case page)."""
    if request.htmx:
        return _item_response(request, dispatch.pk, forms={name: form}, status=400)
    if request.POST.get("from") == "case":
        return render_case_page(request, dispatch.case_id, forms={f"{name}-{dispatch.pk}": form}, status=400)
    items = [
        decorate_dispatch(d, request.user, {name: form} if d.pk == dispatch.pk else None)
        for d in inbox_qs(request.user)
    ]
    return render(
        request,
        "governance/inbox.html",
        {"items": items, "done": [], "latest": 0, "pending": 0, "department": request.user.department},
        status=400,
    )


@login_required
@require_POST
def dispatch_accept(request, dispatch_id: int):
    dispatch = scoped(dispatch_get_for, user=request.user, dispatch_id=dispatch_id)
    form = error_carrier()
    done = run_service(form, dispatch_services.dispatch_accept, actor=request.user, dispatch=dispatch)
    if done is None:
        return _refused(request, dispatch, "accept", form)
    return _after_action(
        request,
        done,
        _("已签收 %(number)s，须于 %(due)s 前反馈")
        % {"number": dispatch.case.number, "due": _local(done.feedback_deadline.due_at)},
    )


@login_required
@require_POST
def dispatch_reject(request, dispatch_id: int):
    dispatch = scoped(dispatch_get_for, user=request.user, dispatch_id=dispatch_id)
    form = RejectForm(request.POST, prefix=f"reject-{dispatch.pk}")
    if form.is_valid():
        done = run_service(
            form,
            dispatch_services.dispatch_reject,
            actor=request.user,
            dispatch=dispatch,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            return _after_action(request, done, _("已退回 %(number)s") % {"number": dispatch.case.number})
    return _refused(request, dispatch, "reject", form)


@login_required
@require_POST
def dispatch_feedback(request, dispatch_id: int):
    dispatch = scoped(dispatch_get_for, user=request.user, dispatch_id=dispatch_id)
    form = FeedbackForm(request.POST, prefix=f"feedback-{dispatch.pk}")
    if form.is_valid():
        done = run_service(
            form,
            dispatch_services.dispatch_feedback,
            actor=request.user,
            dispatch=dispatch,
            result=form.cleaned_data["result"],
            resolved=form.resolved_value,
        )
        if done is not None:
            return _after_action(request, done, _("已反馈 %(number)s") % {"number": dispatch.case.number})
    return _refused(request, dispatch, "feedback", form)


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else ""


@login_required
def dispatch_board(request):
    """Dispatches of the user's subtree with their deadline state (派单督办)."""
    if not roles.may(request.user, roles.CENTER_WIDE):
        raise Http404()
    board = DispatchBoardFilter(request.GET, queryset=dispatch_list_qs(request.user).order_by("-id"), request=request)
    friendly_filter_form(board.form)
    page = CappedPaginator(board.qs, 25).get_page(request.GET.get("page"))
    department_name = ""
    if board.form.is_valid() and board.form.cleaned_data.get("department"):
        from governance.models import Department

        department_name = (
            Department.objects.filter(pk=board.form.cleaned_data["department"]).values_list("name", flat=True).first()
        )
    return render(
        request,
        "governance/dispatch_list.html",
        {"filter": board, "page_obj": page, "dispatches": page.object_list, "department_name": department_name},
    )
