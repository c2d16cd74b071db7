"""Work logs, the weekly report, the figures, the ratings and a grid's page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import roles
from governance.exceptions import ApplicationError
from governance.selectors.scoping import center_get_for, centers_for
from governance.views.base import run_service, scoped
from governance.views.forms import friendly_filter_form
from grids import access
from grids.forms import PeriodForm, QuarterForm, WeeklyReportForm, WorkLogForm
from grids.models import GridMember, GridRating, Household, LogKind, WeeklyReport, WorkerRating
from grids.selectors.events import WorkLogFilter, log_list_qs
from grids.selectors.figures import grid_figures_of, grid_stats, per_grid, week_range
from grids.selectors.reports import grid_week, township_week
from grids.selectors.scoping import grid_get_for, grid_qs_for
from grids.services import logs, ratings, reports
from grids.views.common import default_center, is_center_staff, paginate, period_query


@login_required
def log_new(request):
    """A worker's record of field work: visit, patrol, today's screening, key-person check."""
    grids = grid_qs_for(request.user).filter(is_active=True)
    if not access.member_paths(request.user):
        raise PermissionDenied(_("只有网格员记录工作日志"))
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in LogKind.values else None}
    form = WorkLogForm(request.POST or None, grids=grids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        log = run_service(
            form,
            logs.worklog_record,
            actor=request.user,
            grid=data["grid"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            households=data["households"] or 1,
            issues_found=data["issues_found"] or 0,
            place=data["place"],
            note=data["note"],
        )
        if log is not None:
            messages.success(request, _("已记录：%(kind)s") % {"kind": log.get_kind_display()})
            return redirect("grids:home")
    return render(request, "grids/log_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def log_list(request):
    records = WorkLogFilter(request.GET, queryset=log_list_qs(request.user), request=request)
    friendly_filter_form(records.form)
    # newest entries first: the primary key keeps a county's list an index scan, whatever its size
    page = paginate(request, records.qs.order_by("-id"))
    return render(request, "grids/log_list.html", {"filter": records, "page_obj": page, "logs": page.object_list})


def _period(request):
    form = PeriodForm(request.GET or None, centers=centers_for(request.user))
    if request.GET and not form.is_valid():
        return form, None, None, None
    data = form.cleaned_data if request.GET else {}
    today = timezone.localdate()
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to.replace(day=1)
    center = data.get("center") or default_center(request.user)
    return form, center, date_from, date_to


@login_required
def stats(request):
    """The grid figures of a center's subtree: by type, per grid, per worker — each linking to its list."""
    if not roles.may(request.user, roles.DASHBOARD):
        raise PermissionDenied()
    form, center, date_from, date_to = _period(request)
    figures = grid_stats(center, date_from, date_to) if center else None
    return render(
        request,
        "grids/stats.html",
        {
            "form": form,
            "center": center,
            "date_from": date_from,
            "date_to": date_to,
            "s": figures,
            "q": period_query(center, date_from, date_to) if center else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def grid_detail(request, grid_id: int):
    grid = scoped(grid_get_for, user=request.user, grid_id=grid_id)
    today = timezone.localdate()
    first = today.replace(day=1)
    members = GridMember.objects.filter(grid=grid, is_active=True).select_related("user").order_by("role", "id")
    return render(
        request,
        "grids/grid_detail.html",
        {
            "grid": grid,
            "members": members,
            "children": per_grid(grid.center, first, today, parent=grid),
            "month": grid_figures_of(grid, first, today),
            "households": Household.objects.filter(
                grid__path__startswith=grid.path, grid__center=grid.center, is_active=True
            ).count(),
            "first": first,
            "today": today,
        },
    )


@login_required
def week(request):
    """一周一报送: a worker's grid week with its submission; the township's week for center staff."""
    day = _date(request.GET.get("week")) or timezone.localdate()
    week_start, week_end = week_range(day)
    context = {"week_start": week_start, "week_end": week_end, "prev": week_start - timedelta(days=7)}
    context["next"] = week_start + timedelta(days=7) if week_end < timezone.localdate() else None
    grid_id = request.GET.get("grid")
    if grid_id or (access.member_paths(request.user) and not is_center_staff(request.user)):
        grid = scoped(grid_get_for, user=request.user, grid_id=grid_id) if grid_id else _first_grid(request.user)
        if grid is None:
            raise Http404()
        context.update(
            grid=grid,
            w=grid_week(grid, week_start),
            report=WeeklyReport.objects.filter(grid=grid, week_start=week_start).first(),
            form=WeeklyReportForm(),
            can_submit=access.can_work_in(request.user, grid),
        )
        return render(request, "grids/week_grid.html", context)
    if not is_center_staff(request.user):
        raise Http404()
    center_id = request.GET.get("center")
    center = (
        scoped(center_get_for, user=request.user, center_id=center_id) if center_id else default_center(request.user)
    )
    context.update(center=center, w=township_week(center, week_start), centers=centers_for(request.user))
    return render(request, "grids/week_township.html", context)


def _first_grid(user):
    paths = access.member_paths(user)
    return grid_qs_for(user).filter(path__in=paths).order_by("path").first()


def _date(value):
    from django.utils.dateparse import parse_date

    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def week_submit(request, grid_id: int):
    grid = scoped(grid_get_for, user=request.user, grid_id=grid_id)
    week_start = _date(request.POST.get("week_start"))
    form = WeeklyReportForm(request.POST)
    if week_start is not None and form.is_valid():
        report = run_service(
            form,
            reports.weekly_report_submit,
            actor=request.user,
            grid=grid,
            week_start=week_start,
            note=form.cleaned_data["note"],
        )
        if report is not None:
            messages.success(request, _("周报已报送。"))
            return redirect(f"{_url('grids:week')}?grid={grid.pk}&week={week_start.isoformat()}")
    messages.error(request, _("；").join(str(e) for errors in form.errors.values() for e in errors) or _("报送失败"))
    return redirect(f"{_url('grids:week')}?grid={grid.pk}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def ratings_page(request):
    """星级网格 and 十佳网格员 of a quarter, with each score's items."""
    if not is_center_staff(request.user):
        raise PermissionDenied()
    today = timezone.localdate()
    default = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    form = QuarterForm(request.GET or default)
    values = form.cleaned_data if form.is_valid() else default
    center_id = request.GET.get("center")
    center = (
        scoped(center_get_for, user=request.user, center_id=center_id) if center_id else default_center(request.user)
    )
    limit = ratings.top_workers_limit(center)
    context = {
        "form": form,
        "center": center,
        "year": values["year"],
        "quarter": values["quarter"],
        "grid_rows": GridRating.objects.filter(scope=center, year=values["year"], quarter=values["quarter"])
        .select_related("grid")
        .order_by("rank"),
        "worker_rows": WorkerRating.objects.filter(
            scope=center, year=values["year"], quarter=values["quarter"], rank__lte=limit
        )
        .select_related("worker")
        .order_by("rank"),
        "limit": limit,
        "can_compute": roles.may(request.user, ratings.RATE),
    }
    return render(request, "grids/ratings.html", context)


@login_required
@require_POST
def ratings_compute(request):
    center_id = request.POST.get("center")
    center = (
        scoped(center_get_for, user=request.user, center_id=center_id) if center_id else default_center(request.user)
    )
    form = QuarterForm(request.POST)
    if form.is_valid():
        try:
            grids, workers = ratings.ratings_compute(actor=request.user, center=center, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已评定网格 %(g)s 个、网格员 %(w)s 名。") % {"g": grids, "w": workers})
    query = f"?center={center.pk}&year={request.POST.get('year', '')}&quarter={request.POST.get('quarter', '')}"
    return redirect(_url("grids:ratings") + query)
