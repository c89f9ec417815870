"""The rules on what is typed about a person that every way in shares (the pages, the API, the
missing-persons import): ``Person.clean`` applies them, so ``person_create`` and ``person_update``
refuse with the same message wherever the details come from."""

from datetime import date

from django.utils import timezone

DATE_OF_BIRTH_IN_FUTURE = "Date of birth must be today or in the past."


def date_of_birth_error(value: date | None, *, today: date | None = None) -> str:
    """What is wrong with a date of birth, or "" when nothing: it may not be in the future."""
    if value is not None and value > (today or timezone.localdate()):
        return DATE_OF_BIRTH_IN_FUTURE
    return ""
