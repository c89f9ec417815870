from datetime import date

from django.db import transaction

from mash.people.identifiers import compact_nhs_number, phonetic_key
from mash.people.models import Person


def _set_keys(person: Person) -> None:
    person.given_name_key = phonetic_key(person.given_name)
    person.family_name_key = phonetic_key(person.family_name)


@transaction.atomic
def person_create(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    approximate_age: int | None = None,
    gender: str = "unknown",
    nhs_number: str = "",
    aliases: str = "",
    address: str = "",
    postcode: str = "",
) -> Person:
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        approximate_age=approximate_age,
        gender=gender,
        nhs_number=compact_nhs_number(nhs_number),
        aliases=aliases.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
    )
    person.full_clean()
    _set_keys(person)
    person.save()
    return person


PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "approximate_age",
    "gender",
    "nhs_number",
    "aliases",
    "address",
    "postcode",
)


@transaction.atomic
def person_update(*, person: Person, **changes) -> Person:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unknown fields: {', '.join(sorted(unknown))}")
    if "nhs_number" in changes:
        changes["nhs_number"] = compact_nhs_number(changes["nhs_number"] or "")
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    _set_keys(person)
    person.save()
    return person
