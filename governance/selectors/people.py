"""Who is told about what: the liaisons of a department, the leaders over a center."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from governance.models import Center, Role, User
from governance.services.stats import scope_map


def liaisons_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    result: dict[int, list[User]] = defaultdict(list)
    users = User.objects.filter(
        department_id__in=set(department_ids), role_set__role=Role.LIAISON, is_active=True
    ).distinct()
    for user in users:
        result[user.department_id].append(user)
    return result


def users_by_center(center_ids: Iterable[int], *user_roles: str) -> dict[int, list[User]]:
    """For each center, the active users with one of `user_roles` at the nearest center at or above
    it that has any (a village without its own leader reports to the township's)."""
    center_ids = set(center_ids)
    if not center_ids:
        return {}
    scopes = scope_map(center_ids)
    all_scope_ids = {sid for ids in scopes.values() for sid in ids}
    at: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        center_id__in=all_scope_ids, role_set__role__in=user_roles, is_active=True
    ).distinct():
        at[user.center_id].append(user)
    result = {}
    for center_id in center_ids:
        result[center_id] = next((at[sid] for sid in scopes[center_id] if at.get(sid)), [])
    return result


def leaders_of(center: Center) -> list[User]:
    return users_by_center([center.pk], Role.LEADER)[center.pk]
