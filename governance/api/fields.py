"""Serializer fields for personal identifiers and labelled choices."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField as _PhoneNumberField
from rest_framework import serializers

from governance.labels import choice_label
from governance.masking import mask_id_number, mask_phone, national_phone
from governance.validators import normalize_id_number


class IdNumberField(serializers.CharField):
    """居民身份证号码, checked against GB 11643 (length, birth date, check digit)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        if not value:
            return ""
        try:
            return normalize_id_number(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class PhoneField(_PhoneNumberField):
    default_error_messages = {"invalid": _("电话号码无效，请输入11位手机号或带区号的固定电话")}

    def __init__(self, **kwargs):
        kwargs.setdefault("region", "CN")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data in ("", None):
            return ""
        return str(super().to_internal_value(data))

    def to_representation(self, value):
        return national_phone(value)


class MaskedIdNumberField(serializers.CharField):
    def to_representation(self, value):
        return mask_id_number(value)


class MaskedPhoneField(serializers.CharField):
    def to_representation(self, value):
        return mask_phone(value)


class LabelField(serializers.ReadOnlyField):
    """The display label of a choice field: `status_label` beside `status`."""

    def __init__(self, choice_field: str, **kwargs):
        self.choice_field = choice_field
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return str(choice_label(instance, self.choice_field))
