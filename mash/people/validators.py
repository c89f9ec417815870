"""The rules on what is typed about a person that every way in shares (the pages, the API, the
missing-persons import): ``Person.clean`` applies them, so ``person_create`` and ``person_update``
refuse with the same message wherever the details come from. A page's form checks them too
(``person_detail_errors``), so that it shows them with its other errors at once.

Each message names its field through ``%(Field)s`` (mash/common/form_errors.py): a row of a page
names the person ('The date of birth of the second person must be today or in the past.')."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.people.identifiers import normalise_nhs_number

DATE_OF_BIRTH_RULE = "%(Field)s must be today or in the past."
DATE_OF_BIRTH_IN_FUTURE = DATE_OF_BIRTH_RULE % {"Field": "Date of birth"}


def date_of_birth_error(value: date | None, *, today: date | None = None) -> str:
    """What is wrong with a date of birth, or "" when nothing: it may not be in the future."""
    if value is not None and value > (today or timezone.localdate()):
        return DATE_OF_BIRTH_IN_FUTURE
    return ""


def person_detail_errors(*, date_of_birth: date | None = None, nhs_number: str = "") -> dict:
    """What is wrong with a person's details on their own (no look-up), by field: a date of birth in
    the future, an NHS number that is not one."""
    errors = {}
    if date_of_birth_error(date_of_birth):
        errors["date_of_birth"] = ValidationError(
            DATE_OF_BIRTH_RULE, code="date_of_birth_future", params={"Field": "Date of birth"}
        )
    if nhs_number:
        try:
            normalise_nhs_number(nhs_number)
        except ValidationError as exc:
            errors["nhs_number"] = exc
    return errors
