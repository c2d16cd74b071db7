"""Local grid policies (none of them law), with the defaults described in DOMAIN.md and the seeds.
Administrators override them per center in the admin (政策设置)."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils.translation import gettext_lazy as _

from governance.policies import declare


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _weights(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(k in SCORE_ITEMS and _number(v) for k, v in value.items())


def _thresholds(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and all(_number(v) for v in value)
        and all(a < b for a, b in itertools.pairwise(value))
    )


# What a quarter's score is made of: the rollup counters a grid (or a worker) earns points for.
SCORE_ITEMS = {
    "events": _("有效事件"),
    "closed_on_site": _("现场办结"),
    "escalated": _("提级上报"),
    "disputes_resolved": _("化解纠纷"),
    "household_visits": _("入户走访"),
    "patrols": _("巡查"),
    "screenings": _("矛盾排查"),
    "key_persons": _("重点人员管控"),
    "overdue": _("超时事件"),
    "invalid": _("无效上报"),
}

SCORE_WEIGHTS = declare(
    "grids.score_weights",
    {
        "events": 1,
        "closed_on_site": 1,
        "escalated": 2,
        "disputes_resolved": 3,
        "household_visits": 0.2,
        "patrols": 0.5,
        "screenings": 0.5,
        "key_persons": 0.2,
        "overdue": -5,
        "invalid": -1,
    },
    _("网格季度评比计分权重（每项计数×权重，负数为扣分）"),
    _weights,
)
STAR_THRESHOLDS = declare(
    "grids.star_thresholds",
    [50, 150, 300, 500],
    _("星级网格得分线：达到第1至4个分数依次评为二至五星，不足第1个为一星"),
    _thresholds,
)
TOP_WORKERS = declare(
    "grids.top_workers", 10, _("季度优秀网格员评选人数（十佳网格员）"), lambda v: isinstance(v, int) and 1 <= v <= 100
)
RED_CARD_RATIO = declare(
    "grids.red_card_ratio",
    1.0,
    _("黄牌督办后再超过原处置时限的多少倍仍未处置即亮红牌（1 即再超一个时限）"),
    lambda v: _number(v) and 0 < v <= 10,
)
MIN_VISIT_DAYS = declare(
    "grids.min_visit_days_per_week",
    4,
    _("网格员每周入户走访的最少天数（襄都区：每周不少于4天）"),
    lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 7,
)
HOUSEHOLDS_PER_WORKER = declare(
    "grids.households_per_worker",
    [300, 500],
    _("每名专职网格员分包户数范围（襄都区：300–500户）"),
    lambda v: isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v) and 0 < v[0] <= v[1],
)
ATTACHMENT_MAX_MB = declare(
    "grids.attachment_max_mb",
    10,
    _("事件附件（照片等）单个文件大小上限(MB)"),
    lambda v: isinstance(v, int) and 1 <= v <= 100,
)
