"""Formatting helpers of the grid pages (format only; no queries)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def period_query(center, date_from, date_to) -> str:
    """`?center=…&date_from=…&date_to=…`: the period of a figure, for the list behind it."""
    params = {}
    if center is not None:
        params["center"] = center.pk
    if date_from:
        params["date_from"] = date_from.isoformat()
    if date_to:
        params["date_to"] = date_to.isoformat()
    return "?" + urlencode(params)


@register.filter
def stars(count) -> str:
    try:
        count = int(count)
    except (TypeError, ValueError):
        return ""
    return "★" * count + "☆" * max(0, 5 - count)


@register.filter
def supervision_class(level: str) -> str:
    return {"reminded": "state-warn", "yellow": "state-warn", "red": "state-overdue"}.get(level, "")
