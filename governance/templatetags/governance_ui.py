"""Formatting for the pages (tags only format; they never decide who sees what).

{% load governance_ui %} gives: main_nav, unread_count, field, query, and the filters mask_id,
mask_phone, phone, percent, risk_class, deadline_state, timeleft, local_date. See docs/UI.md.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from governance import masking
from governance.views.nav import nav_for

register = template.Library()


@register.inclusion_tag("includes/nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    url_name = match.view_name if match else ""
    namespace = match.namespace if match else ""
    return {"items": nav_for(request.user, url_name, namespace)}


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """Unread notifications of the signed-in user (one indexed count, cached per request)."""
    request = context["request"]
    if not request.user.is_authenticated:
        return 0
    cached = getattr(request, "_unread_count", None)
    if cached is None:
        from governance.models import Notification

        cached = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        request._unread_count = cached
    return cached


@register.inclusion_tag("includes/field.html")
def field(bound_field, *, hint: str = "", css: str = "", autofocus: bool = False, **attrs):
    """A labelled form field with its help text and its errors next to it (aria-described)."""
    widget_attrs = {k.replace("_", "-"): v for k, v in attrs.items()}
    described = []
    if hint or bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
        widget_attrs["aria-invalid"] = "true"
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if autofocus:
        widget_attrs["autofocus"] = True
    return {
        "field": bound_field,
        "widget": bound_field.as_widget(attrs=widget_attrs),
        "hint": hint or bound_field.help_text,
        "css": css,
        "is_check": bound_field.widget_type in ("checkbox",),
        "is_group": bound_field.widget_type in ("radioselect", "checkboxselectmultiple"),
    }


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" removes one); `page` is
    dropped whenever a filter changes. Use for filter chips, sorting and pagination links."""
    params = context["request"].GET.copy()
    if any(key != "page" for key in changes):
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def mask_id(value) -> str:
    return masking.mask_id_number(value)


@register.filter
def mask_phone(value) -> str:
    return masking.mask_phone(value)


@register.filter
def phone(value) -> str:
    return masking.national_phone(value)


@register.filter
def percent(value) -> str:
    """0.9234 → 92.3%; None (nothing to divide) → —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def risk_class(value) -> str:
    return {"red": "risk-red", "yellow": "risk-yellow", "blue": "risk-blue"}.get(str(value), "")


@register.filter
def deadline_state(deadline, now: datetime | None = None) -> str:
    """ok / warn / overdue / done / paused / cancelled for a Deadline row (live, not only swept)."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline.state == "breached":
        return "overdue" if deadline.completed_at is None else "done-late"
    if deadline.state == "met":
        return "done"
    if deadline.state == "cancelled":
        return "cancelled"
    if deadline.due_at is None:
        return "paused"
    if deadline.due_at <= now:
        return "overdue"
    if deadline.warned_at is not None or (deadline.warn_at is not None and deadline.warn_at <= now):
        return "warn"
    return "ok"


@register.filter
def deadline_state_label(state: str) -> str:
    labels = {
        "ok": _("按时"),
        "warn": _("临期"),
        "overdue": _("已超时"),
        "done": _("按时完成"),
        "done-late": _("超时完成"),
        "cancelled": _("已取消"),
        "paused": _("中止计时"),
    }
    return labels.get(state, "")


@register.filter
def timeleft(due_at, now: datetime | None = None) -> str:
    """Remaining (or overdue) time in words: 剩余 1小时20分 / 超时 3小时5分."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    seconds = int((due_at - now).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = _("%(d)s天%(h)s小时") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)s小时%(m)s分") % {"h": hours, "m": minutes}
    else:
        text = _("%(m)s分钟") % {"m": minutes}
    return (_("超时 %(t)s") if late else _("剩余 %(t)s")) % {"t": text}


@register.filter
def flag_labels(case) -> list[str]:
    """The display labels of a case's warning flags (命案风险, 群体性事件风险 …)."""
    from governance.models import CaseFlag

    return [str(CaseFlag(flag).label) for flag in case.flags]


@register.filter
def thousands(value) -> str:
    """12345 → 12,345."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


# The dates of the printed documents (回执, 协议书, 告知书) in each language's own written form.
LOCAL_DATE_FORMATS = {
    "zh": {"date": "Y年n月j日", "datetime": "Y年n月j日 H:i", "short": "n月j日 H:i"},
    "en": {"date": "j F Y", "datetime": "j F Y, H:i", "short": "j M, H:i"},
}


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, style: str = "date") -> str:
    """A date as written in the active language: 2025年3月5日 / 5 March 2025. `style` is "date",
    "datetime" (with the time) or "short" (day and month with the time: 3月5日 14:30 / 5 Mar, 14:30)."""
    if value in (None, ""):
        return ""
    language = (get_language() or "zh-hans").split("-")[0]
    formats = LOCAL_DATE_FORMATS.get(language, LOCAL_DATE_FORMATS["zh"])
    return date_filter(value, formats.get(style or "date", formats["date"]))
