"""Who may do what with petitions (read by the services, which enforce it, and by the pages)."""

from governance.models import Role

# register, decide (forward / assign / refuse), reply, record review requests and answers, links
STAFF = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN})
# ask for the one extension (the approver must be a leader, see petition_extend)
EXTEND = frozenset({Role.WINDOW_STAFF, Role.CENTER_ADMIN, Role.LEADER})
APPROVE_EXTENSION = frozenset({Role.LEADER})
# leaders' reception days and backlog cases (积案、包案)
PLAN = frozenset({Role.CENTER_ADMIN, Role.LEADER})
STATS = frozenset({Role.LEADER, Role.CENTER_ADMIN, Role.WINDOW_STAFF})
