"""The daily-screening / weekly-report rhythm (一日一排查、一周一报送): a grid's week and a
township's week, from the rollup."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q

from governance import policies
from governance.models import Center, User
from governance.models.stats import DAY
from grids.models import COUNTERS, OPEN_EVENT_STATUSES, Grid, GridEvent, GridMember, GridStat, MemberRole, WeeklyReport
from grids.policies import MIN_VISIT_DAYS
from grids.selectors.figures import figures, grid_totals, per_grid


def _days(week_start: date) -> tuple[date, date]:
    return week_start, week_start + timedelta(days=6)


def grid_week(grid: Grid, week_start: date) -> dict:
    """A grid's week: its figures, on how many days it screened and visited, its workers' visit days
    against the policy minimum, and what is still open."""
    first, last = _days(week_start)
    rows = list(
        GridStat.objects.filter(
            scope_id=grid.center_id, dimension="grid", key=str(grid.pk), period=DAY, day__range=(first, last)
        )
    )
    result = figures({name: sum(getattr(r, name) for r in rows) for name in COUNTERS})
    result["week_start"] = first.isoformat()
    result["week_end"] = last.isoformat()
    result["screening_days"] = sum(1 for r in rows if r.screenings)
    result["visit_days"] = sum(1 for r in rows if r.household_visits)
    result["open_events"] = GridEvent.objects.filter(
        center_id=grid.center_id,
        status__in=OPEN_EVENT_STATUSES,
        grid__in=Grid.objects.filter(path__startswith=grid.path).values("pk"),
    ).count()
    minimum = policies.policy_value(MIN_VISIT_DAYS.key, grid.center)
    worker_ids = list(
        GridMember.objects.filter(
            grid__path__startswith=grid.path,
            role__in=[MemberRole.FULL_TIME, MemberRole.PART_TIME],
            is_active=True,
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )
    visit_days = dict(
        GridStat.objects.filter(
            scope_id=grid.center_id,
            dimension="worker",
            key__in=[str(w) for w in worker_ids],
            period=DAY,
            day__range=(first, last),
            household_visits__gt=0,
        )
        .values_list("key")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=worker_ids)}
    result["workers"] = [
        {
            "id": worker_id,
            "name": names.get(worker_id, ""),
            "visit_days": visit_days.get(str(worker_id), 0),
            "min_visit_days": minimum,
            "meets_minimum": visit_days.get(str(worker_id), 0) >= minimum,
        }
        for worker_id in sorted(set(worker_ids))
    ]
    return result


def township_week(center: Center, week_start: date) -> dict:
    """A township's (or any center's) week: its totals, each of its grids with its figures and
    whether it has submitted its weekly report."""
    first, last = _days(week_start)
    result = grid_totals(center, first, last)
    result.update({"center": {"id": center.pk, "name": center.name}, "week_start": first.isoformat()})
    result["week_end"] = last.isoformat()
    submitted = {
        r.grid_id: r
        for r in WeeklyReport.objects.filter(center__in=center.subtree().values("pk"), week_start=first).select_related(
            "submitted_by"
        )
    }
    screening_days = dict(
        GridStat.objects.filter(
            scope__in=center.subtree().values("pk"),
            dimension="grid",
            period=DAY,
            day__range=(first, last),
            screenings__gt=0,
        )
        .values_list("key")
        .annotate(n=Count("id", filter=Q(screenings__gt=0)))
        .order_by()
    )
    grids = per_grid(center, first, last)
    for row in grids:
        report = submitted.get(row["id"])
        row["screening_days"] = screening_days.get(str(row["id"]), 0)
        row["submitted"] = report is not None
        row["submitted_at"] = report.submitted_at.isoformat() if report else None
        row["submitted_by"] = str(report.submitted_by) if report else None
        row["note"] = report.note if report else ""
    result["grids"] = grids
    result["grids_submitted"] = sum(1 for r in grids if r["submitted"])
    result["grids_total"] = len(grids)
    return result
