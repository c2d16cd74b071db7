"""The leader dashboard (领导驾驶舱): the figures of `dashboard_summary` for a center's subtree and
a period, monthly trends, breakdowns, the department league table, the red-risk watchlist and
everything overdue. Every number links to the list behind it."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import registry, roles
from governance.models import Center
from governance.selectors.dashboard import dashboard_summary
from governance.selectors.ledger import day_figures, monthly_trend, overdue_deadlines, red_watchlist
from governance.selectors.scoping import centers_for
from governance.services.dispatch import FEEDBACK, RESPONSE
from governance.views.forms import friendly_filter_form

logger = logging.getLogger(__name__)
WATCH_ROWS = 10


class DashboardForm(forms.Form):
    center = forms.ModelChoiceField(queryset=Center.objects.none(), required=False, label=gettext_lazy("中心(含下级)"))
    date_from = forms.DateField(required=False, label=gettext_lazy("起始日期"))
    date_to = forms.DateField(required=False, label=gettext_lazy("截止日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers_for(user).order_by("path")
        self.fields["center"].label_from_instance = lambda c: ("　" * (c.depth - 1)) + c.name

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("起始日期不能晚于截止日期"))
        return data


def _period(form: DashboardForm, user) -> tuple[Center, date, date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    center = data.get("center") or user.center
    if center is None:
        center = centers_for(user).filter(depth=1).order_by("path").first()
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to.replace(month=1, day=1)
    return center, date_from, date_to


class Links:
    """URLs of the lists behind the figures, for one center and period."""

    def __init__(self, center: Center, date_from: date, date_to: date):
        self.center = center
        self.case_list = reverse("web-case-list")  # once: a dashboard builds hundreds of links
        self.dispatch_list = reverse("web-dispatch-list")
        self.period = {
            "center": center.pk,
            "created_after": date_from.isoformat(),
            "created_before": date_to.isoformat(),
        }
        self.dispatch_period = {"center": center.pk, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}

    def cases(self, **extra) -> str:
        return f"{self.case_list}?{urlencode({**self.period, **extra})}"

    def dispatches(self, **extra) -> str:
        return f"{self.dispatch_list}?{urlencode({**self.dispatch_period, **extra})}"

    def open_cases(self, **extra) -> str:
        """Live lists (what is open now), not limited to the period."""
        return f"{self.case_list}?{urlencode({'center': self.center.pk, **extra})}"

    def open_dispatches(self, **extra) -> str:
        return f"{self.dispatch_list}?{urlencode({'center': self.center.pk, **extra})}"

    def visits(self) -> str:
        try:
            base = reverse("intake:visits")
        except Exception:
            return ""
        return f"{base}?{urlencode(self.dispatch_period)}"


def _breakdown(rows: list[dict], links: Links, param: str) -> list[dict]:
    return [
        {
            **row,
            "url": links.cases(**{param: row["key"]}),
            "closed_url": links.cases(**{param: row["key"], "status": "closed"}),
            "resolved_url": links.cases(**{param: row["key"], "outcome": "resolved"}),
        }
        for row in rows
        if row["cases"] or param != "category"
    ]


def _chart_monthly(trend: list[dict], links: Links) -> dict:
    labels = [m["month"].strftime("%Y-%m") for m in trend]

    def series(name: str, key: str, kind: str, **extra) -> dict:
        data = []
        for month in trend:
            last = date(month["month"].year + month["month"].month // 12, month["month"].month % 12 + 1, 1) - timedelta(
                days=1
            )
            params = {"created_after": month["month"].isoformat(), "created_before": last.isoformat()}
            if key == "closed":
                params["status"] = "closed"
            if key == "resolved":
                params["outcome"] = "resolved"
            data.append({"value": month[key], "url": links.cases(**params)})
        return {"name": name, "type": kind, "data": data, **extra}

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 16, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            series(_("受理"), "cases", "bar", itemStyle={"color": "#1d4f91"}),
            series(_("办结"), "closed", "line", itemStyle={"color": "#1e7b45"}),
            series(_("化解"), "resolved", "line", itemStyle={"color": "#b7791f"}),
        ],
    }


def _chart_bars(rows: list[dict], title: str) -> dict:
    rows = sorted(rows, key=lambda r: r["cases"])
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [r["label"] for r in rows]},
        "series": [
            {
                "name": title,
                "type": "bar",
                "data": [{"value": r["cases"], "url": r["url"]} for r in rows],
                "itemStyle": {"color": "#1d4f91"},
                "label": {"show": True, "position": "right"},
            }
        ],
    }


def _chart_pie(rows: list[dict], title: str) -> dict:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [
            {
                "name": title,
                "type": "pie",
                "radius": ["35%", "65%"],
                "center": ["50%", "45%"],
                "data": [{"name": r["label"], "value": r["cases"], "url": r["url"]} for r in rows if r["cases"]],
            }
        ],
    }


def _template_exists(name: str | None) -> bool:
    if not name:
        return False
    try:
        get_template(name)
    except TemplateDoesNotExist:
        logger.warning("dashboard section template %s is missing; showing its figures as a table", name)
        return False
    return True


def _sections(summary: dict) -> list[dict]:
    """Every registered section: its template (or, without one, a plain table) and its figures."""
    result = []
    for section in registry.dashboard_sections():
        figures = summary if section.top_level else summary["sections"].get(section.key, {})
        template = section.template if _template_exists(section.template) else None
        if template is None and section.top_level:
            continue  # merged into the headline figures already shown
        plain = []
        if template is None:
            plain = [(k, v) for k, v in figures.items() if isinstance(v, int | float | str) and k != "label"]
        result.append(
            {
                "key": section.key,
                "label": section.label,
                "template": template,
                "figures": figures,
                "plain": plain,
            }
        )
    return result


@login_required
def dashboard(request):
    user = request.user
    if not roles.may(user, roles.DASHBOARD):
        raise PermissionDenied(_("领导驾驶舱仅对领导和中心工作人员开放"))
    form = DashboardForm(request.GET or None, user=user)
    center, date_from, date_to = _period(form, user)
    if not form.is_bound:  # show the period in effect
        form = DashboardForm(user=user, initial={"center": center, "date_from": date_from, "date_to": date_to})
    friendly_filter_form(form)
    form.fields["center"].empty_label = None
    today = timezone.localdate()
    summary = dashboard_summary(center=center, date_from=date_from, date_to=date_to)
    today_figures = day_figures(center=center, day=today)
    links = Links(center, date_from, date_to)
    today_links = Links(center, today, today)

    by_category = _breakdown(summary["by_category"], links, "category")
    by_channel = _breakdown(summary["by_channel"], links, "channel")
    by_service_line = _breakdown(summary["by_service_line"], links, "service_line")
    by_risk = _breakdown(summary["by_risk_level"], links, "risk_level")
    league = [
        {
            **row,
            "url": links.dispatches(department=row["id"]),
            "response_overdue_url": links.dispatches(department=row["id"], response="breached"),
            "feedback_overdue_url": links.dispatches(department=row["id"], feedback="breached"),
            "rejected_url": links.dispatches(department=row["id"], status="rejected"),
            "resolved_url": links.dispatches(department=row["id"], resolved="true"),
        }
        for row in summary["by_department"]
    ]
    watch = red_watchlist(user, center)
    overdue = overdue_deadlines(center, [RESPONSE, FEEDBACK])
    trend = monthly_trend(center=center, date_from=date_from, date_to=date_to)
    quick = {
        "today": (today, today),
        "month": (today.replace(day=1), today),
        "quarter": (today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today),
        "year": (today.replace(month=1, day=1), today),
    }
    return render(
        request,
        "governance/dashboard.html",
        {
            "form": form,
            "center": center,
            "date_from": date_from,
            "date_to": date_to,
            "s": summary,
            "t": today_figures,
            "links": links,
            "today_links": today_links,
            "by_category": by_category,
            "by_channel": by_channel,
            "by_service_line": by_service_line,
            "by_risk": by_risk,
            "league": league,
            "watch": list(watch[:WATCH_ROWS]),
            "watch_count": watch.count(),
            "watch_url": links.open_cases(risk_level="red", is_open="true"),
            "overdue": list(overdue[:WATCH_ROWS]),
            "overdue_count": summary["dispatch"]["open_overdue"],
            "overdue_url": links.open_dispatches(open_overdue="true"),
            "sections": _sections(summary),
            "quick": {
                key: "?" + urlencode({"center": center.pk, "date_from": a.isoformat(), "date_to": b.isoformat()})
                for key, (a, b) in quick.items()
            },
            "chart_monthly": _chart_monthly(trend, links),
            "chart_category": _chart_bars(by_category, _("受理")),
            "chart_channel": _chart_pie(by_channel, _("来源渠道")),
            "chart_service_line": _chart_pie(by_service_line, _("业务条线")),
            "trend": trend,
        },
    )
