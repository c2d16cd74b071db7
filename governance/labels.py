"""Display labels of choice fields, per language, computed once.

`instance.get_status_display()` rebuilds a dict of the field's every choice and hashes each
lazily translated label — one gettext per choice per call: a 25-row list with five labelled
fields spent ~20 ms of its ~40 ms there. `choice_label` reads a dict built once per model, field
and active language (the labels are fixed in code; a new language gets its own dict)."""

from __future__ import annotations

from functools import cache

from django.db.models import Model
from django.utils.translation import get_language


@cache
def _labels(model: type[Model], field_name: str, language: str | None) -> dict:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(instance: Model, field_name: str) -> str:
    """What `instance.get_<field_name>_display()` returns: the label of the value in the active
    language, or the value itself when it is not one of the choices."""
    value = getattr(instance, field_name)
    return _labels(type(instance)._meta.concrete_model, field_name, get_language()).get(value, value)
