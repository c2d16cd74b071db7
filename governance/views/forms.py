"""Form fields and forms of the core pages. Input forms validate; services act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from governance.validators import normalize_id_number


class IdNumberField(forms.CharField):
    """居民身份证号码, checked against GB 11643 by the core validator; blank allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("身份证号码"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "text", "class": "mono"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return normalize_id_number(value.replace(" ", ""))


class PhoneField(PhoneNumberField):
    """A mainland phone (mobile or landline with area code), cleaned to E.164 text; blank allowed."""

    default_error_messages = {"invalid": _("电话号码无效，请输入11位手机号或带区号的固定电话")}

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "CN")
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("联系电话"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "inputmode": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return str(value) if value else ""


def validate_not_blank(value: str) -> None:
    if not value or not value.strip():
        raise ValidationError(_("此项不能只填空格"))
