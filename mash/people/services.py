from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from mash.agencies.selectors import actor_for
from mash.common.errors import require_role
from mash.people.identifiers import compact_nhs_number, phonetic_key
from mash.people.models import Gender, Person
from mash.people.policy import may_name_new_person
from mash.people.selectors import person_choosable_for

# The one answer for a known person who cannot be chosen: the same for an id that names nobody and
# for a person the user may not see, so that it never tells that someone exists.
PERSON_REFUSED = "You may not add this person."


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
    person = _new_person(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        approximate_age=approximate_age,
        gender=gender,
        nhs_number=nhs_number,
        aliases=aliases,
        address=address,
        postcode=postcode,
    )
    person.full_clean()
    _set_keys(person)
    person.save()
    return person


def _new_person(
    *, given_name, family_name, date_of_birth, approximate_age, gender, nhs_number, aliases, address, postcode
) -> Person:
    return Person(
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


@dataclass(kw_only=True)
class PersonChoice:
    """Whom a case names: a known person (``person``: the Person, or an id from a form or a
    request), or, with no ``person``, the details of a new one. The case apps' inputs extend it
    (a referral's subject adds its role)."""

    person: Person | int | None = None
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    approximate_age: int | None = None
    gender: str = Gender.UNKNOWN
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""

    def new_person_details(self) -> dict:
        """What ``person_create`` takes: the fields of this class, not those a subclass adds."""
        return {f.name: getattr(self, f.name) for f in fields(PersonChoice) if f.name != "person"}


def person_details_errors(choice: PersonChoice) -> dict[str, list[ValidationError]]:
    """What ``person_create`` would refuse in the details of a new person, field by field (with their
    ``%(Field)s`` params, for a page to name whose they are), without writing anything: a case checks
    all its people, and everything else, before saving any of them."""
    person = _new_person(aliases="", **choice.new_person_details())
    try:
        person.full_clean()
    except ValidationError as exc:
        return exc.error_dict
    return {}


def person_resolve(*, by, choice: PersonChoice, prefix: str = "") -> Person:
    """The person ``choice`` names, for ``by`` to name in a case: a known person ``by`` may see, or
    a new person made from the details (by someone who may add one: mash/people/policy.py).

    A known person ``by`` may not see is refused exactly as an id that names nobody (one message,
    ``PERSON_REFUSED``, on ``<prefix>person``). The details of a new person are checked as
    ``person_create`` checks them, each error named ``<prefix><field>``. Call it inside the case's
    own transaction, so that a refused case leaves no new person behind."""
    if choice.person is not None:
        person = person_choosable_for(by, choice.person)
        if person is None:
            raise ValidationError({f"{prefix}person": PERSON_REFUSED})
        return person
    require_role(
        may_name_new_person(actor_for(by)),
        "Only those who see every person may add one: they are the ones who can check for a match.",
    )
    try:
        return person_create(**choice.new_person_details())
    except ValidationError as exc:
        if not prefix:
            raise
        raise ValidationError(
            {f"{prefix}{field}": errors for field, errors in exc.error_dict.items()}
        ) from None
