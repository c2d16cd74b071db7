"""一周一报送: a grid worker submits the grid's weekly report to the township center."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import InvalidInput
from governance.models import User
from grids import access
from grids.models import Grid, WeeklyReport
from grids.selectors.reports import grid_week


@transaction.atomic
def weekly_report_submit(
    *, actor: User | None, grid: Grid, week_start: date, note: str = "", at: datetime | None = None
) -> WeeklyReport:
    """Submit (or, within the same week's report, resubmit) a grid's week: the figures are taken from
    the records at the time of submission, with the worker's note on what needs attention."""
    if actor is None:
        raise InvalidInput(_("周报须由网格员本人报送"), field="grid")
    access.require(access.can_work_in(actor, grid))
    if week_start.weekday() != 0:
        raise InvalidInput(_("周报的起始日须为周一"), field="week_start")
    at = at or timezone.now()
    if week_start > timezone.localdate(at):
        raise InvalidInput(_("不能报送尚未开始的周"), field="week_start")
    values = {
        "center": grid.center,
        "figures": grid_week(grid, week_start),
        "note": note.strip(),
        "submitted_by": actor,
        "submitted_at": at,
    }
    report, _created = WeeklyReport.objects.select_for_update().update_or_create(
        grid=grid, week_start=week_start, defaults=values
    )
    return report
