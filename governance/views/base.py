"""Helpers shared by the pages: scoped look-ups as 404s, services whose refusals land on forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from governance.exceptions import ApplicationError, Forbidden, NotFound


def scoped(fn: Callable[..., Any], **kwargs) -> Any:
    """Call a scoped selector (`case_get_for`, `dispatch_get_for`, …); out of scope → 404."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404() from None


def error_carrier() -> forms.Form:
    """An empty, validated form to carry the refusal of an action that has no input (accept)."""
    form = forms.Form(data={})
    form.is_valid()
    return form


def apply_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Put a service's refusal on the form: on the fields it names, else on the form."""
    placed = False
    for name, messages in (exc.errors or {}).items():
        target = name if name in form.fields else None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def run_service(form: forms.BaseForm, fn: Callable[..., Any], /, **kwargs) -> Any:
    """Call a service. A refusal lands on `form` and None is returned (re-render it with 400);
    NotFound is a 404 and Forbidden a 403, as on the API."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404() from None
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from None
    except ApplicationError as exc:
        apply_error(form, exc)
        return None


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (then shows "10,000+"): counting a whole county's ledger costs a
    scan of every row, counting to a cap reads only that many through the ordering index. Page
    past the cap is not offered; filters narrow the list instead."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False
