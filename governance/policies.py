"""Local policies (not law): declared here with their defaults, overridden per center by
administrators (`PolicySetting`), inherited down the center tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from governance.models import Center


@dataclass(frozen=True)
class Policy:
    key: str
    default: Any
    label: str
    validate: Callable[[Any], bool]


_policies: dict[str, Policy] = {}


def declare(key: str, default: Any, label: str, validate: Callable[[Any], bool]) -> Policy:
    policy = Policy(key, default, label, validate)
    _policies[key] = policy
    return policy


def declared() -> dict[str, Policy]:
    return dict(_policies)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


COLLECTIVE_VISIT_THRESHOLD = declare(
    "visit.collective_threshold", 5, _("集体访人数标准(人)，达到即为集体访"), _positive_int
)
DEADLINE_WARN_RATIO = declare(
    "deadline.warn_ratio", 0.75, _("临期提醒比例(0–1)"), lambda v: isinstance(v, float | int) and 0 < v < 1
)


def policy_value(key: str, center: Center | None = None) -> Any:
    """The value for `center`: its own setting, else its nearest ancestor's, else the global one,
    else the declared default."""
    from governance.models import PolicySetting

    policy = _policies[key]
    scope_ids = center.scope_ids if center is not None else []
    rows = dict(
        PolicySetting.objects.filter(Q(center_id__in=scope_ids) | Q(center__isnull=True), key=key).values_list(
            "center_id", "value"
        )
    )
    for center_id in [*scope_ids, None]:
        if center_id in rows and policy.validate(rows[center_id]):
            return rows[center_id]
    return policy.default
