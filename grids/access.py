"""Who may do what in the grids (one place, read by services, which enforce it, and by pages and
the API, which only offer what the user may do).

- Grid workers act in the grids they are members of and everything below them: report, handle,
  feed back, log their field work. They need the system role `grid_worker` and an active
  membership (网格力量) linked to their account.
- Reviewing (审核) is the grid leader's or the center staff's job, never the reporter's own.
- Center staff (window staff, center administrators) act on the grids of their center's subtree,
  and handle events escalated to their tier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from governance.exceptions import Forbidden
from governance.models import Center, Role, User
from grids.models import GridMember, MemberRole, Tier

if TYPE_CHECKING:
    from grids.models import Grid, GridEvent

CENTER_STAFF = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN})


def memberships(user: User) -> list[tuple[str, str]]:
    """(grid path, member role) of the user's active memberships; cached on the user object."""
    cached = getattr(user, "_grid_memberships", None)
    if cached is None:
        cached = list(
            GridMember.objects.filter(user=user, is_active=True, grid__is_active=True).values_list("grid__path", "role")
        )
        user._grid_memberships = cached
    return cached


def member_paths(user: User) -> list[str]:
    return sorted({path for path, _role in memberships(user)})


def is_member(user: User, grid: Grid, roles: frozenset[str] | None = None) -> bool:
    """A member of `grid` or of a grid above it (optionally in one of `roles`)."""
    return any(grid.path.startswith(path) and (roles is None or role in roles) for path, role in memberships(user))


def is_center_staff_over(user: User, center: Center) -> bool:
    return bool(user.center_id and user.has_role(*CENTER_STAFF) and center.path.startswith(user.center.path))


def _system(user: User | None) -> bool:
    return user is None or user.is_superuser


def can_work_in(user: User | None, grid: Grid) -> bool:
    if _system(user):
        return True
    return (user.has_role(Role.GRID_WORKER) and is_member(user, grid)) or is_center_staff_over(user, grid.center)


def can_review(user: User | None, event: GridEvent) -> bool:
    if _system(user):
        return True
    if event.reported_by_id == user.pk:
        return False  # four eyes: nobody reviews their own report
    leader = user.has_role(Role.GRID_WORKER) and is_member(user, event.grid, frozenset({MemberRole.GRID_LEADER}))
    return leader or is_center_staff_over(user, event.center)


def tier_center(event: GridEvent, tier: str | None = None) -> Center:
    """The center that handles `event` at `tier` (default: its current tier above the grid): the
    village's own center, its township, its county — the nearest one up where a level is missing."""
    tier = tier or event.tier
    if tier == Tier.GRID:
        return event.center
    chain = list(Center.objects.filter(pk__in=event.center.scope_ids))
    chain.sort(key=lambda c: -c.depth)  # nearest first
    levels = [Tier.VILLAGE, Tier.TOWNSHIP, Tier.COUNTY]
    wanted = levels.index(tier)
    for center in chain:
        if center.level in levels and levels.index(center.level) >= wanted:
            return center
    return chain[-1]


def can_handle(user: User | None, event: GridEvent) -> bool:
    """Close on site or escalate: the grid while the event is at the grid; above, the staff of the
    tier's center (or of a center above it)."""
    if event.tier == Tier.GRID:
        return can_work_in(user, event.grid)
    if _system(user):
        return True
    return is_center_staff_over(user, tier_center(event))


def can_feed_back(user: User | None, event: GridEvent) -> bool:
    return can_work_in(user, event.grid)


def can_log(user: User | None, grid: Grid) -> bool:
    """Work logs are a grid worker's own record of their field work."""
    if user is None:
        return False
    return user.is_superuser or (user.has_role(Role.GRID_WORKER) and is_member(user, grid))


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise Forbidden(message or _("您不是该网格的网格员或上级综治中心工作人员，无权进行此操作"))
