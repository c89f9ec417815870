import jellyfish
import nhs_number
from django.core.exceptions import ValidationError


def compact_nhs_number(value: str) -> str:
    """The NHS number as typed ('943 476 5919', '943-476-5919') without its separators."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


# The field is named through %(Field)s, for a page to name whose it is (mash/common/form_errors.py).
NHS_NUMBER_FORMAT = "%(Field)s must be 10 digits."
NHS_NUMBER_CHECK = "%(Field)s is not valid: its check digit does not match."
_NHS_NUMBER = {"Field": "The NHS number"}


def normalise_nhs_number(value: str) -> str:
    digits = compact_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError(NHS_NUMBER_FORMAT, code="nhs_number_format", params=_NHS_NUMBER)
    if not nhs_number.is_valid(digits):
        raise ValidationError(NHS_NUMBER_CHECK, code="nhs_number_check", params=_NHS_NUMBER)
    return digits


def phonetic_key(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isalpha())
    return jellyfish.metaphone(cleaned)[:64] if cleaned else ""
