"""The grid workbench and the grid event pages: report, review, handle, feed back; 12345 tickets
sent to a grid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.exceptions import ApplicationError
from governance.models import CaseStatus, Channel, ServiceLine
from governance.selectors.scoping import case_get_for, case_qs_for
from governance.views.base import run_service, scoped
from governance.views.forms import friendly_filter_form
from grids import access
from grids.forms import (
    AttachForm,
    CloseOnSiteForm,
    EscalateForm,
    EventReportForm,
    FeedbackForm,
    HotlineAssignForm,
    ReviewForm,
)
from grids.models import EventAttachment, EventStatus, Grid, GridEvent, Supervision
from grids.selectors.actions import event_actions
from grids.selectors.events import GridEventFilter, event_detail_qs, event_list_qs
from grids.selectors.figures import grid_totals
from grids.selectors.scoping import event_get_for, event_qs_for, grid_qs_for
from grids.services import attachments
from grids.services import events as services
from grids.services import hotline as hotline_services
from grids.views.common import default_center, is_center_staff, paginate, period_query

QUEUE_ROWS = 10


def _workable_grids(user):
    """The grids the user may report into: a worker's own (and below), center staff's subtree."""
    return grid_qs_for(user).filter(is_active=True)


@login_required
def home(request):
    """网格工作台: a grid worker's grids and to-do list; center staff's queues and this month's figures."""
    user = request.user
    events = event_list_qs(user)
    member_paths = access.member_paths(user)
    context = {
        "is_worker": bool(member_paths),
        "is_staff": is_center_staff(user),
        "my_grids": list(Grid.objects.filter(path__in=member_paths).select_related("center").order_by("path")),
        "to_handle": list(events.filter(status=EventStatus.ACCEPTED, tier="grid").order_by("reported_at")[:QUEUE_ROWS]),
        "to_feed_back": list(
            events.filter(status__in=[EventStatus.CLOSED_ON_SITE, EventStatus.ESCALATED_CLOSED]).order_by("updated_at")[
                :QUEUE_ROWS
            ]
        ),
        "to_review": [
            e
            for e in events.filter(status=EventStatus.REPORTED).order_by("reported_at")[:QUEUE_ROWS]
            if access.can_review(user, e)
        ],
        "supervised": list(
            events.filter(
                supervision__in=[Supervision.YELLOW, Supervision.RED],
                status__in=[EventStatus.REPORTED, EventStatus.ACCEPTED],
            ).order_by("-supervision", "reported_at")[:QUEUE_ROWS]
        ),
    }
    if context["is_staff"]:
        center = default_center(user)
        today = timezone.localdate()
        first = today.replace(day=1)
        context.update(
            center=center,
            month=grid_totals(center, first, today) if center else None,
            month_query=period_query(center, first, today) if center else "",
            escalated=list(events.filter(status=EventStatus.ESCALATED).order_by("escalated_at")[:QUEUE_ROWS]),
            hotline_waiting=_hotline_tickets(user).count() if roles.may(user, roles.DISPATCH) else None,
        )
    return render(request, "grids/home.html", context)


@login_required
def event_list(request):
    """Grid events in the user's scope; the dashboard's figures link here with their filters."""
    events = GridEventFilter(request.GET, queryset=event_list_qs(request.user), request=request)
    friendly_filter_form(events.form)
    page = paginate(request, events.qs.order_by("-id"))
    shown = ("status", "category", "source", "center", "date_from", "date_to", "overdue")
    extra = [
        (events.form.fields[name].label or name, value)
        for name, value in request.GET.items()
        if name not in (*shown, "page") and name in events.form.fields and value
    ]
    return render(
        request,
        "grids/event_list.html",
        {"filter": events, "page_obj": page, "events": page.object_list, "shown": shown, "extra_filters": extra},
    )


@login_required
def event_new(request):
    """上报: the phone form a grid worker fills in on the spot."""
    grids = _workable_grids(request.user)
    form = EventReportForm(request.POST or None, request.FILES or None, grids=grids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = data.pop("photo")
        event = run_service(form, services.grid_event_report, actor=request.user, **data)
        if event is not None:
            messages.success(request, _("已上报，等待审核。"))
            if photo:
                try:
                    attachments.attachment_add(actor=request.user, event=event, upload=photo)
                except ApplicationError as exc:  # the event stands; the photo can be added on its page
                    messages.warning(request, _("照片未能保存：%(reason)s") % {"reason": exc.message})
            return redirect("grids:event-detail", event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "grids/event_new.html", {"form": form}, status=status)


def _detail_context(request, event, **forms):
    actions = event_actions(request.user, event)
    context = {
        "event": event,
        "actions": actions,
        "review_form": forms.get("review") or ReviewForm(),
        "close_form": forms.get("close") or CloseOnSiteForm(),
        "escalate_form": forms.get("escalate") or EscalateForm(),
        "feedback_form": forms.get("feedback") or FeedbackForm(),
        "attach_form": forms.get("attach") or AttachForm(),
        "case_visible": event.case_id is not None and case_qs_for(request.user).filter(pk=event.case_id).exists(),
    }
    return context


def _event(request, event_id) -> GridEvent:
    scoped(event_get_for, user=request.user, event_id=event_id)
    try:
        return event_detail_qs(request.user).get(pk=event_id)
    except GridEvent.DoesNotExist:
        raise Http404() from None


@login_required
def event_detail(request, event_id: int):
    event = _event(request, event_id)
    return render(request, "grids/event_detail.html", _detail_context(request, event))


def _act(request, event_id, key, form_class, call):
    event = _event(request, event_id)
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid() and run_service(form, call, event=event, data=form.cleaned_data) is not None:
        return None, event
    event = _event(request, event_id)
    response = render(request, "grids/event_detail.html", _detail_context(request, event, **{key: form}), status=400)
    return response, event


def _done(request, event, message):
    messages.success(request, message)
    return redirect("grids:event-detail", event.pk)


@login_required
@require_POST
def event_review(request, event_id: int):
    def call(event, data):
        return services.grid_event_review(
            actor=request.user, event=event, valid=data["decision"] == "accept", note=data["note"]
        )

    response, event = _act(request, event_id, "review", ReviewForm, call)
    return response or _done(request, event, _("已审核。"))


@login_required
@require_POST
def event_close_on_site(request, event_id: int):
    def call(event, data):
        return services.grid_event_close_on_site(actor=request.user, event=event, **data)

    response, event = _act(request, event_id, "close", CloseOnSiteForm, call)
    return response or _done(request, event, _("已现场办结，请向群众反馈。"))


@login_required
@require_POST
def event_escalate(request, event_id: int):
    def call(event, data):
        return services.grid_event_escalate(actor=request.user, event=event, **data)

    response, event = _act(request, event_id, "escalate", EscalateForm, call)
    return response or _done(request, event, _("已提级，事项已登记到统一台账。"))


@login_required
@require_POST
def event_feedback(request, event_id: int):
    def call(event, data):
        return services.grid_event_feedback(actor=request.user, event=event, **data)

    response, event = _act(request, event_id, "feedback", FeedbackForm, call)
    return response or _done(request, event, _("已反馈，事件闭环。"))


@login_required
@require_POST
def event_attach(request, event_id: int):
    def call(event, data):
        return attachments.attachment_add(actor=request.user, event=event, upload=data["file"])

    response, event = _act(request, event_id, "attach", AttachForm, call)
    return response or _done(request, event, _("已上传。"))


@login_required
def attachment_download(request, attachment_id: int):
    """A photo of an event the user may see (uploads are never served from a public URL)."""
    try:
        attachment = EventAttachment.objects.select_related("event").get(
            pk=attachment_id, event__in=event_qs_for(request.user).values("pk")
        )
    except EventAttachment.DoesNotExist:
        raise Http404() from None
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(attachment.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- 12345+网格 --------------------------------------------------------------------------------------


def _hotline_tickets(user):
    """Hotline dispute tickets in the user's scope, not closed, not yet sent to a grid."""
    return (
        case_qs_for(user)
        .filter(channel=Channel.HOTLINE, service_line__in=[ServiceLine.MEDIATION, ServiceLine.GRID])
        .exclude(status=CaseStatus.CLOSED)
        .exclude(Exists(GridEvent.objects.filter(case=OuterRef("pk"))))
        .select_related("center", "category")
    )


@login_required
def hotline(request):
    """12345+网格: the dispatcher's list of hotline dispute tickets to send to a grid."""
    if not roles.may(request.user, roles.DISPATCH):
        raise Http404()
    page = paginate(request, _hotline_tickets(request.user).order_by("registered_at"))
    grids = _workable_grids(request.user)
    rows = [(case, HotlineAssignForm(grids=grids, prefix=f"c{case.pk}")) for case in page.object_list]
    return render(request, "grids/hotline.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def hotline_assign(request, case_id: int):
    case = scoped(case_get_for, user=request.user, case_id=case_id)
    grids = _workable_grids(request.user)
    form = HotlineAssignForm(request.POST, grids=grids, prefix=f"c{case.pk}")
    if form.is_valid():
        event = run_service(
            form,
            hotline_services.hotline_assign_to_grid,
            actor=request.user,
            case=case,
            grid=form.cleaned_data["grid"],
            instructions=form.cleaned_data["instructions"],
        )
        if event is not None:
            messages.success(
                request, _("工单 %(number)s 已派至%(grid)s。") % {"number": case.number, "grid": event.grid.name}
            )
            return redirect("grids:hotline")
    page = paginate(request, _hotline_tickets(request.user).order_by("registered_at"))
    rows = [
        (c, form if c.pk == case.pk else HotlineAssignForm(grids=grids, prefix=f"c{c.pk}")) for c in page.object_list
    ]
    return render(request, "grids/hotline.html", {"page_obj": page, "rows": rows}, status=400)
