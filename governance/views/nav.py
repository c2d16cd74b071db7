"""The main navigation: role-aware, and open to the apps.

An app adds its pages in its `AppConfig.ready()`::

    from governance.views.nav import NavItem, register_nav_item
    register_nav_item(NavItem(key="mediation", label=_("调解"), url_name="mediation:list",
                              roles=frozenset({Role.MEDIATOR, Role.WINDOW_STAFF}), order=40))

`roles` empty means everyone signed in. Items are shown in `order`; the item whose `key` matches
the current URL's namespace (or whose `url_name` is the current one) is marked current.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from governance import roles


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] = frozenset()
    order: int = 100
    # URL names (or namespaces ending in ":") that also mark this item current
    also_current: tuple[str, ...] = ()


_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _items[item.key] = item


def nav_for(user, current_url_name: str = "", current_namespace: str = "") -> list[dict]:
    """The items this user may use, in order, each with its URL and whether it is current."""
    result = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if item.roles and not roles.may(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        markers = (item.url_name, *item.also_current)
        current = current_url_name in markers or any(
            m.endswith(":") and current_namespace and f"{current_namespace}:" == m for m in markers
        )
        result.append({"key": item.key, "label": item.label, "url": url, "current": current})
    return result


def register_core_items() -> None:
    register_nav_item(NavItem("register", _("登记受理"), "intake:register", roles.REGISTER, 10, ("intake:receipt",)))
    register_nav_item(NavItem("inbox", _("派单待办"), "inbox", roles.HANDLE_DISPATCH, 20))
    register_nav_item(NavItem("cases", _("案件台账"), "web-case-list", frozenset(), 30, ("web-case-detail",)))
    register_nav_item(NavItem("dispatches", _("派单督办"), "web-dispatch-list", roles.CENTER_WIDE, 40))
    register_nav_item(NavItem("visits", _("来访登记"), "intake:visits", roles.CENTER_WIDE, 50))
    register_nav_item(NavItem("dashboard", _("领导驾驶舱"), "dashboard", roles.DASHBOARD, 60))


register_core_items()
