"""The benchmark's people: children and adults, most with a date of birth, many with an NHS number."""

from datetime import timedelta

from bench.data.build import Build
from bench.data.bulk import copy_rows
from bench.data.reference import FAMILY, GIVEN, NOW, STREETS
from mash.people.identifiers import phonetic_key
from mash.people.models import Person


def nhs_number(i: int) -> str:
    digits = f"{400_000_000 + i * 3:09d}"
    total = sum(int(d) * (10 - n) for n, d in enumerate(digits))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return "" if check == 10 else digits + str(check)


def make_people(build: Build, total: int) -> None:
    rng = build.rng
    keys = {}

    def key(name):
        if name not in keys:
            keys[name] = phonetic_key(name)
        return keys[name]

    today = NOW.date()

    def rows():
        for i in range(1, total + 1):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            child = rng.random() < 0.6
            age_days = rng.randint(0, 17 * 365) if child else rng.randint(18 * 365, 90 * 365)
            dob = today - timedelta(days=age_days) if rng.random() < 0.95 else None
            yield {
                "id": i,
                "created_at": NOW,
                "updated_at": NOW,
                "given_name": given,
                "family_name": family,
                "date_of_birth": dob,
                "approximate_age": None if dob else rng.randint(1, 80),
                "gender": rng.choice(("female", "male", "female", "male", "unknown")),
                "nhs_number": nhs_number(i) if rng.random() < 0.7 else "",
                "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                "postcode": f"BN{rng.randint(1, 45)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
                f"{rng.choice('LNPQRSTU')}",
                "given_name_key": key(given),
                "family_name_key": key(family),
            }

    build.people = copy_rows(Person, rows())
