"""Who may do what. One table, read by services (which enforce it) and by pages (which hide
buttons a user may not press)."""

from governance.exceptions import Forbidden
from governance.models import Role, User

REGISTER = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.GRID_WORKER, Role.MEDIATOR})
DISPATCH = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER})
CLOSE = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN})
FOLLOW_UP = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN})
HANDLE_DISPATCH = frozenset({Role.LIAISON})
DASHBOARD = frozenset({Role.LEADER, Role.CENTER_ADMIN, Role.WINDOW_STAFF})
# Roles that see every case of their center's subtree (others see only what concerns them).
CENTER_WIDE = frozenset({Role.WINDOW_STAFF, Role.LEADER, Role.CENTER_ADMIN})
# Roles whose views of unmasked personal data go into the audit trail.
AUDITED_PII = frozenset({Role.LEADER, Role.LIAISON})


def may(user: User | None, roles: frozenset[str]) -> bool:
    if user is None:  # the system itself (sweep, imports, seed)
        return True
    return user.is_superuser or user.has_role(*roles)


def require(user: User | None, roles: frozenset[str]) -> None:
    if not may(user, roles):
        raise Forbidden()
