"""What a user may see of the grids: a grid worker their own grid(s) and everything below them;
center staff and leaders the grids of their center's subtree. Outside the scope is a 404, exactly
like a missing row."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from governance import roles
from governance.exceptions import NotFound
from governance.models import Center, Role, User
from grids import access
from grids.models import Grid, GridEvent, WorkLog


def _everything(user: User) -> bool:
    return user.is_superuser and user.center_id is None


def _center_wide(user: User) -> bool:
    return bool(user.center_id and user.has_role(*roles.CENTER_WIDE))


def _subtree_centers(user: User) -> QuerySet[Center]:
    return Center.objects.filter(path__startswith=user.center.path).values("pk")


def _member_q(user: User, field: str = "path") -> Q:
    q = Q(pk__in=[])
    for path in access.member_paths(user):
        q |= Q(**{f"{field}__startswith": path})
    return q


def grid_qs_for(user: User) -> QuerySet[Grid]:
    if _everything(user):
        return Grid.objects.all()
    q = _member_q(user)
    if _center_wide(user):
        q |= Q(center__in=_subtree_centers(user))
    return Grid.objects.filter(q)


def grid_get_for(*, user: User, grid_id: int | str) -> Grid:
    try:
        return grid_qs_for(user).select_related("center").get(pk=int(grid_id))
    except (Grid.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def _any(parts: list[Q]) -> Q:
    """OR the parts; a single part stays a plain filter, so its index is usable (an OR of a grid
    filter and a center filter would turn a grid worker's list into a scan of the whole table)."""
    if not parts:
        return Q(pk__in=[])
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def event_qs_for(user: User) -> QuerySet[GridEvent]:
    """A grid worker: the events of their grids (and below) — which include the ones they reported;
    center staff and leaders: their subtree's."""
    if _everything(user):
        return GridEvent.objects.all()
    parts = []
    if access.member_paths(user):
        parts.append(Q(grid__in=Grid.objects.filter(_member_q(user)).values("pk")))
    if _center_wide(user):
        parts.append(Q(center__in=_subtree_centers(user)))
    return GridEvent.objects.filter(_any(parts))


def event_get_for(*, user: User, event_id: int | str) -> GridEvent:
    try:
        return event_qs_for(user).select_related("grid", "center", "case").get(pk=int(event_id))
    except (GridEvent.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def log_qs_for(user: User) -> QuerySet[WorkLog]:
    """A worker sees the logs of their grids (their own among them); center staff their subtree's;
    somebody no longer on any grid still sees their own."""
    if _everything(user):
        return WorkLog.objects.all()
    parts = []
    if access.member_paths(user):
        parts.append(Q(grid__in=Grid.objects.filter(_member_q(user)).values("pk")))
    if _center_wide(user):
        parts.append(Q(center__in=_subtree_centers(user)))
    return WorkLog.objects.filter(_any(parts) if parts else Q(worker=user))


def grid_case_scope(user: User) -> Q | None:
    """Registered with the core: grid workers also see the ledger cases their grids' events became
    (a hotline ticket sent to their grid, an event they escalated). Only grid workers are looked
    up: every other user's case list pays nothing for it."""
    if not user.has_role(Role.GRID_WORKER) or not access.member_paths(user):
        return None
    grids = Grid.objects.filter(_member_q(user)).values("pk")
    return Q(Exists(GridEvent.objects.filter(case=OuterRef("pk"), grid__in=grids)))
