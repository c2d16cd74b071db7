"""Masking of personal data in lists, exports and logs (e.g. 6201**********1234, 138****5678)."""


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def national_phone(value) -> str:
    """The national form of a stored phone (+8613812345678 → 13812345678, landlines keep the 0)."""
    if not value:
        return ""
    phone = getattr(value, "national_number", None)
    if phone is None:
        text = str(value)
        return text[3:] if text.startswith("+86") else text
    number = str(phone)
    return number if number.startswith("1") else f"0{number}"


def mask_phone(value) -> str:
    number = national_phone(value)
    if not number:
        return ""
    if len(number) <= 7:
        return number[:2] + "*" * (len(number) - 2)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"
