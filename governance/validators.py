"""Validation of personal identifiers with the libraries made for them (python-stdnum for
GB 11643 居民身份证 numbers; phonenumbers for phones)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from governance.models import Sex


def normalize_id_number(value: str) -> str:
    """A valid 18-digit 居民身份证 number in canonical form (upper-case X), or ValidationError."""
    raw = (value or "").strip()
    try:
        number = ric.validate(raw)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("身份证号码应为18位"), code="id_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("身份证号码校验位错误，请核对"), code="id_checksum") from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="id_birth_date") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("身份证号码格式不正确"), code="id_format") from None
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位"), code="id_length")
    if ric.get_birth_date(number) > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期晚于今天"), code="id_birth_date")
    return number


def id_number_facts(number: str) -> tuple[date, str]:
    """Birth date and sex encoded in a valid number (the 17th digit is odd for men)."""
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return ric.get_birth_date(number), sex
