"""The petitions' local policies (not law), declared with the core's policy registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from governance import policies
from governance.models import TimeUnit
from petitions.models import HANDLING_DAYS

# The collective-visit threshold is the core's (reception counts visits the same way).
COLLECTIVE_THRESHOLD = policies.COLLECTIVE_VISIT_THRESHOLD


def _fast_track_valid(value: Any) -> bool:
    """{} (no fast tracks), or {"simple": days, "complex": days, "unit": calendar_days|working_days}
    with each period between 1 and the legal 60 days."""
    if value == {}:
        return True
    if not isinstance(value, dict) or set(value) != {"simple", "complex", "unit"}:
        return False
    if value["unit"] not in (TimeUnit.CALENDAR_DAYS, TimeUnit.WORKING_DAYS):
        return False
    return all(
        isinstance(value[k], int) and not isinstance(value[k], bool) and 1 <= value[k] <= HANDLING_DAYS
        for k in ("simple", "complex")
    )


# Yumen's "double 123": simple matters closed in 3 days, complex ones in 3 weeks.
FAST_TRACK = policies.declare(
    "petition.fast_track",
    {"simple": 3, "complex": 21, "unit": TimeUnit.CALENDAR_DAYS},
    _("信访快速办理时限：简单事项、复杂疑难事项的办理天数及计算单位（{} 表示不启用）"),
    _fast_track_valid,
)
