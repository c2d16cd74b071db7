from grids.models.choices import (
    OPEN_EVENT_STATUSES,
    SUPERVISION_ORDER,
    THREE_OFFICIALS_ONE_LAWYER,
    TIER_ORDER,
    EventCategory,
    EventSource,
    EventStatus,
    GridLevel,
    LogKind,
    MemberRole,
    Supervision,
    Tier,
)
from grids.models.events import ALLOWED_TRANSITIONS, EventAttachment, GridEvent
from grids.models.grids import Grid, GridMember, Household
from grids.models.logs import WorkLog
from grids.models.ratings import GridRating, WorkerRating
from grids.models.reports import WeeklyReport
from grids.models.stats import COUNTERS, GridStat

__all__ = [
    "ALLOWED_TRANSITIONS",
    "COUNTERS",
    "OPEN_EVENT_STATUSES",
    "SUPERVISION_ORDER",
    "THREE_OFFICIALS_ONE_LAWYER",
    "TIER_ORDER",
    "EventAttachment",
    "EventCategory",
    "EventSource",
    "EventStatus",
    "Grid",
    "GridEvent",
    "GridLevel",
    "GridMember",
    "GridRating",
    "GridStat",
    "Household",
    "LogKind",
    "MemberRole",
    "Supervision",
    "Tier",
    "WeeklyReport",
    "WorkLog",
    "WorkerRating",
]
