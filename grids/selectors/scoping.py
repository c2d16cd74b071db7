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


def event_qs_for(user: User) -> QuerySet[GridEvent]:
    if _everything(user):
        return GridEvent.objects.all()
    q = Q(reported_by=user)
    if access.member_paths(user):
        q |= Q(grid__in=Grid.objects.filter(_member_q(user)).values("pk"))
    if _center_wide(user):
        q |= Q(center__in=_subtree_centers(user))
    return GridEvent.objects.filter(q)


def event_get_for(*, user: User, event_id: int | str) -> GridEvent:
    try:
        return event_qs_for(user).select_related("grid", "center", "case").get(pk=int(event_id))
    except (GridEvent.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def log_qs_for(user: User) -> QuerySet[WorkLog]:
    """A worker sees their own logs and those of their grids; center staff their subtree's."""
    if _everything(user):
        return WorkLog.objects.all()
    q = Q(worker=user)
    if access.member_paths(user):
        q |= Q(grid__in=Grid.objects.filter(_member_q(user)).values("pk"))
    if _center_wide(user):
        q |= Q(center__in=_subtree_centers(user))
    return WorkLog.objects.filter(q)


def grid_case_scope(user: User) -> Q | None:
    """Registered with the core: grid workers also see the ledger cases their grids' events became
    (a hotline ticket sent to their grid, an event they escalated). Only grid workers are looked
    up: every other user's case list pays nothing for it."""
    if not user.has_role(Role.GRID_WORKER) or not access.member_paths(user):
        return None
    grids = Grid.objects.filter(_member_q(user)).values("pk")
    return Q(Exists(GridEvent.objects.filter(case=OuterRef("pk"), grid__in=grids)))
