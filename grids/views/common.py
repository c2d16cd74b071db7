"""Helpers of the grid pages."""

from __future__ import annotations

from django.core.paginator import Paginator

from governance import roles
from governance.models import Center, User
from governance.selectors.scoping import centers_for

PAGE_SIZE = 25


def is_center_staff(user: User) -> bool:
    """Sees a center's subtree (window staff, leaders, administrators)."""
    return roles.may(user, roles.CENTER_WIDE)


def default_center(user: User) -> Center | None:
    if user.center is not None:
        return user.center
    return centers_for(user).filter(depth=1).order_by("path").first()


def paginate(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def period_query(center: Center, date_from, date_to, **extra) -> str:
    """The query string of a list behind a figure."""
    from urllib.parse import urlencode

    params = {"center": center.pk, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    params.update({k: v for k, v in extra.items() if v is not None})
    return "?" + urlencode(params)
