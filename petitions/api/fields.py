"""Choice fields documented as inline enums in the OpenAPI schema. Other apps use the same field
names (`form`, `outcome`, `reason`, `status`…) for other choice sets, and drf-spectacular turns
every enum property into a shared component named after the field (colliding names, warnings in
`check --deploy`). Wrapped in a one-element `allOf`, the enum stays inline: the petitions' schema
is stable and needs no entry in the project's ENUM_NAME_OVERRIDES."""

from __future__ import annotations

from functools import cache

from django.db.models import TextChoices
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@cache
def _annotated(choices: type[TextChoices], blank: bool) -> type[serializers.ChoiceField]:
    values = [*choices.values, *([""] if blank else [])]
    description = "；".join(f"{value}={label}" for value, label in choices.choices)
    schema = {"allOf": [{"type": "string", "enum": values}], "description": description}

    @extend_schema_field(schema)
    class InlineChoiceField(serializers.ChoiceField):
        pass

    InlineChoiceField.__name__ = f"{choices.__name__}Field"
    return InlineChoiceField


def choice_field(choices: type[TextChoices], *, blank: bool = False, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField over `choices` (plus "" for an optional model column when `blank`)."""
    field_class = _annotated(choices, blank)
    return field_class(choices=[*choices.choices, *([("", "")] if blank else [])], **kwargs)
