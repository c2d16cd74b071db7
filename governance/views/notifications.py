from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from governance.models import Notification
from governance.services.notifications import notification_mark_read


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("case").order_by("-created_at", "-id")
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/notifications.html",
        {"page_obj": page, "notifications": page.object_list, "only_unread": request.GET.get("unread") == "1"},
    )


@login_required
def unread_badge(request):
    """The unread count badge (polled by the top bar)."""
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return HttpResponse(
        format_html(
            '<span id="unread-badge" class="badge badge--count{}" hx-get="{}" hx-trigger="every 60s" '
            'hx-swap="outerHTML">{}</span>',
            "" if count else " is-empty",
            request.path,
            count,
        )
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one (`id`) or all of the user's notifications read, then go to the case if asked."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(user=request.user, notification_ids=ids)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")
