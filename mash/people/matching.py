"""Identity matching: the exact NHS number first, then names and date of birth, phonetically.

Every lookup is an indexed equality on stored columns (the NHS number, the Metaphone keys, the
date of birth), so matching stays fast at hundreds of thousands of people.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from mash.people.identifiers import normalise_nhs_number, phonetic_key
from mash.people.models import Person

# Scores: a higher score is a stronger match. The reasons say why, for the practitioner.
NHS_NUMBER = 100
EXACT_NAMES_AND_DOB = 90
PHONETIC_NAMES_AND_DOB = 75
FAMILY_NAME_AND_DOB = 55
PHONETIC_NAMES_ONLY = 35


@dataclass
class Match:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def match_people(
    candidates: QuerySet,
    *,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    limit: int = 10,
) -> list[Match]:
    """Rank the people of ``candidates`` (already policy-filtered) who may be the person described."""
    matches: dict[int, Match] = {}

    def add(person: Person, score: int, reason: str) -> None:
        match = matches.get(person.pk)
        if match is None:
            matches[person.pk] = Match(person=person, score=score, reasons=[reason])
        else:
            match.score = max(match.score, score)
            if reason not in match.reasons:
                match.reasons.append(reason)

    if nhs_number:
        try:
            number = normalise_nhs_number(nhs_number)
        except ValidationError:
            number = ""
        if number:
            for person in candidates.filter(nhs_number=number)[:limit]:
                add(person, NHS_NUMBER, "Same NHS number")

    family_key = phonetic_key(family_name)
    given_key = phonetic_key(given_name)
    if family_key:
        query = Q(family_name_key=family_key)
        if date_of_birth and given_key:
            query &= Q(date_of_birth=date_of_birth) | Q(given_name_key=given_key)
        elif date_of_birth:
            query &= Q(date_of_birth=date_of_birth)
        elif given_key:
            query &= Q(given_name_key=given_key)
        else:
            query = None
        if query is not None:
            for person in candidates.filter(query).order_by("pk")[: limit * 5]:
                same_dob = date_of_birth is not None and person.date_of_birth == date_of_birth
                same_given_sound = bool(given_key) and person.given_name_key == given_key
                if same_dob and same_given_sound:
                    if _same(person.family_name, family_name) and _same(person.given_name, given_name):
                        add(person, EXACT_NAMES_AND_DOB, "Same name and date of birth")
                    else:
                        add(person, PHONETIC_NAMES_AND_DOB, "Names sound alike, same date of birth")
                elif same_dob:
                    add(person, FAMILY_NAME_AND_DOB, "Family name sounds alike, same date of birth")
                elif same_given_sound:
                    add(person, PHONETIC_NAMES_ONLY, "Names sound alike (date of birth differs or unknown)")
    ranked = sorted(matches.values(), key=lambda m: (-m.score, m.person.family_name, m.person.pk))
    return ranked[:limit]
