"""Figure 5: identity matching among every person of the generated MASH (500,000 by default).

As the intake page asks it while a practitioner types: the selector the page calls
(``person_matches_for``) for a lead triage practitioner, who may match against everyone. Probes are
drawn from real people with a seeded generator, in the four shapes typed: the full name and date of
birth, a name spelt differently that sounds alike with the date of birth, the NHS number alone, and the
names without a date of birth.
"""

import random

from bench import actors, timing
from bench.report import Figure, percentile, summary
from mash.people.models import Person
from mash.people.selectors import person_matches_for

TARGET_MS = 20
VARIANTS = {"th": "t", "ph": "f", "ck": "k", "ll": "l", "ss": "s", "mm": "m", "ie": "y", "ey": "y"}


def _respell(name: str, rng: random.Random) -> str:
    for a, b in VARIANTS.items():
        if a in name:
            return name.replace(a, b, 1)
    if len(name) > 3 and name[-1] in "aeiou":
        return name[:-1] + rng.choice("aeiou")
    return name + "e"


def _probes(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(n * 2)]
    people = list(Person.objects.filter(pk__in=ids).order_by("pk")[:n])
    probes = []
    for i, p in enumerate(people):
        shape = i % 4
        if shape == 0:
            probes.append(
                dict(given_name=p.given_name, family_name=p.family_name, date_of_birth=p.date_of_birth)
            )
        elif shape == 1:
            probes.append(
                dict(
                    given_name=p.given_name,
                    family_name=_respell(p.family_name, rng),
                    date_of_birth=p.date_of_birth,
                )
            )
        elif shape == 2 and p.nhs_number:
            probes.append(dict(nhs_number=f"{p.nhs_number[:3]} {p.nhs_number[3:6]} {p.nhs_number[6:]}"))
        else:
            probes.append(dict(given_name=_respell(p.given_name, rng), family_name=p.family_name))
    return probes


def measure(ctx) -> list[Figure]:
    user = actors.lead_practitioner()
    people = Person.objects.count()
    probes = _probes(ctx.repeat(400, 40), seed=5)
    for probe in probes[:10]:
        person_matches_for(user, **probe)
    samples, found = [], 0
    for probe in probes:
        ms = timing.timed(lambda probe=probe: person_matches_for(user, **probe))
        samples.append(ms)
        found += bool(person_matches_for(user, **probe))
    return [
        Figure(
            number=5,
            name=f"Identity matching among {people:,} people: p95",
            value=percentile(samples, 95),
            unit="ms",
            target=TARGET_MS,
            compare="value",
            detail={**summary(samples), "probes": len(probes), "probes_with_a_match": found},
        )
    ]
