"""Helpers shared by the mediation pages."""

from __future__ import annotations

import segno
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from governance import registry
from governance.views.forms import friendly_filter_form

PAGE_SIZE = 25


def page_of(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def filtered(filter_class, request, qs):
    """A FilterSet over `qs` with the friendly labels of the core's filter forms."""
    result = filter_class(request.GET or None, queryset=qs, request=request)
    friendly_filter_form(result.form)
    return result


def timeline(case) -> list:
    events = list(case.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.label = registry.event_label(event.kind)
    return events


def qr_svg(text: str) -> str:
    """segno's own SVG of a case number (no user input in it)."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#000"))


def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def related(obj, name: str):
    """A one-to-one neighbour, or None when there is none (or no object)."""
    if obj is None:
        return None
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None
