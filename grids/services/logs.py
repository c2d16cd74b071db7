"""Work logs: household visits, patrols, daily screening (一日一排查), key-person checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.exceptions import InvalidInput
from governance.models import User
from grids import access
from grids.models import Grid, Household, LogKind, WorkLog
from grids.services import stats

# Field work is often written up in the evening or the next days, not weeks later.
BACKDATE_LIMIT = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=5)


@transaction.atomic
def worklog_record(
    *,
    actor: User,
    grid: Grid,
    kind: str,
    occurred_at: datetime | None = None,
    household: Household | None = None,
    households: int = 1,
    place: str = "",
    note: str = "",
    issues_found: int = 0,
) -> WorkLog:
    """A grid worker records a piece of their own field work (the log is theirs: `actor` is the worker)."""
    access.require(access.can_log(actor, grid), _("只有该网格的网格员可以记录工作日志"))
    if kind not in LogKind.values:
        raise InvalidInput(_("无效的日志类型"), field="kind")
    now = timezone.now()
    at = occurred_at or now
    if at > now + CLOCK_SKEW:
        raise InvalidInput(_("时间不能晚于当前时间"), field="occurred_at")
    if at < now - BACKDATE_LIMIT:
        raise InvalidInput(_("只能补记7天内的工作"), field="occurred_at")
    if household is not None:
        if kind != LogKind.HOUSEHOLD_VISIT:
            raise InvalidInput(_("只有入户走访记录关联住户"), field="household")
        if not household.grid.path.startswith(grid.path):
            raise InvalidInput(_("该住户不在此网格内"), field="household")
    if kind != LogKind.SCREENING:
        households = 1
    if households < 1:
        raise InvalidInput(_("排查户数至少为1"), field="households")
    if issues_found < 0:
        raise InvalidInput(_("发现问题数不能为负"), field="issues_found")
    log = WorkLog.objects.create(
        grid=grid,
        center=grid.center,
        worker=actor,
        kind=kind,
        occurred_at=at,
        occurred_on=timezone.localdate(at),
        household=household,
        households=households,
        place=place.strip(),
        note=note.strip(),
        issues_found=issues_found,
    )
    stats.log_counted(log)
    return log
