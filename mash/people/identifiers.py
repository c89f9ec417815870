import jellyfish
import nhs_number
from django.core.exceptions import ValidationError


def compact_nhs_number(value: str) -> str:
    """The NHS number as typed ('943 476 5919', '943-476-5919') without its separators."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


def normalise_nhs_number(value: str) -> str:
    digits = compact_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError("An NHS number is 10 digits.", code="nhs_number_format")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number: its check digit does not match.", code="nhs_number_check"
        )
    return digits


def phonetic_key(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isalpha())
    return jellyfish.metaphone(cleaned)[:64] if cleaned else ""
