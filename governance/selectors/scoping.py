"""The one place that decides what a user may see. Every view, API and page goes through here;
outside the user's scope is answered exactly like "does not exist" (404)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from governance import registry, roles
from governance.exceptions import NotFound
from governance.models import Case, Center, Department, Dispatch, Role, User


def centers_for(user: User) -> QuerySet[Center]:
    if user.is_superuser and user.center_id is None:
        return Center.objects.all()
    if user.center_id is None:
        return Center.objects.none()
    return Center.objects.filter(path__startswith=user.center.path)


def center_get_for(*, user: User, center_id: int | str) -> Center:
    try:
        return centers_for(user).get(pk=int(center_id))
    except (Center.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def departments_for(user: User) -> QuerySet[Department]:
    """Departments stationed in the user's subtree (and a liaison's own department)."""
    q = Q(center__in=centers_for(user).values("pk"))
    if user.department_id:
        q |= Q(pk=user.department_id)
    return Department.objects.filter(q)


def _case_scope(user: User) -> Q | None:
    """A Q over Case for what `user` may see; None means everything."""
    if user.is_superuser and user.center_id is None:
        return None
    q = Q(pk__in=[])
    if user.center_id and user.has_role(*roles.CENTER_WIDE):
        q |= Q(center__in=Center.objects.filter(path__startswith=user.center.path).values("pk"))
    if user.department_id and user.has_role(Role.LIAISON):
        q |= Q(Exists(Dispatch.objects.filter(case=OuterRef("pk"), department_id=user.department_id)))
    q |= Q(first_handler=user)
    for rule in registry.case_scopes():
        extra = rule(user)
        if extra is not None:
            q |= extra
    return q


def _case_exclusion(user: User) -> Q | None:
    """A Q over Case for what `user` must never see (registered by apps), None when nothing."""
    excluded = [q for q in (rule(user) for rule in registry.case_exclusions()) if q is not None]
    if not excluded:
        return None
    combined = excluded[0]
    for q in excluded[1:]:
        combined |= q
    return combined


def case_qs_for(user: User) -> QuerySet[Case]:
    scope = _case_scope(user)
    qs = Case.objects.all() if scope is None else Case.objects.filter(scope)
    excluded = _case_exclusion(user)
    return qs if excluded is None else qs.exclude(excluded)


def case_get_for(*, user: User, case_id: int | str, for_update: bool = False) -> Case:
    qs = case_qs_for(user)
    try:
        case_pk = int(case_id)
        if for_update:
            # lock the row itself, not the rows the scope query joins
            case_qs_for(user).get(pk=case_pk)
            return Case.objects.select_for_update().select_related("center", "category").get(pk=case_pk)
        return qs.select_related("center", "category", "first_handler").get(pk=case_pk)
    except (Case.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def dispatch_qs_for(user: User) -> QuerySet[Dispatch]:
    if user.is_superuser and user.center_id is None:
        qs = Dispatch.objects.all()
    else:
        q = Q(pk__in=[])
        if user.department_id and user.has_role(Role.LIAISON):
            q |= Q(department_id=user.department_id)
        if user.center_id and user.has_role(*roles.CENTER_WIDE):
            q |= Q(case__center__in=Center.objects.filter(path__startswith=user.center.path).values("pk"))
        qs = Dispatch.objects.filter(q)
    excluded = _case_exclusion(user)
    return qs if excluded is None else qs.exclude(case__in=Case.objects.filter(excluded).values("pk"))


def dispatch_get_for(*, user: User, dispatch_id: int | str) -> Dispatch:
    try:
        return (
            dispatch_qs_for(user)
            .select_related(
                "case",
                "case__center",
                "case__category",
                "department",
                "response_deadline",
                "feedback_deadline",
                "dispatched_by",
            )
            .get(pk=int(dispatch_id))
        )
    except (Dispatch.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
