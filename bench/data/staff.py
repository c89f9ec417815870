"""Who the later parts of the benchmark's data act as, read from the database (so that they can be
added to a database built before them): the lead's decision makers and practitioners, the police data
administrators, each partner agency's researchers and how often it is asked."""

from dataclasses import dataclass, field

from bench.data.reference import AGENCIES
from mash.agencies.models import Agency, Membership
from mash.agencies.roles import Role


@dataclass
class Staff:
    lead: int
    deciders: list[int]
    practitioners: list[int]
    police: int
    police_admins: list[int]
    partners: list[int]
    weights: list[int]
    researchers: dict[int, list[int]] = field(default_factory=dict)

    def asked_agency(self, rng) -> int:
        return rng.choices(self.partners, self.weights)[0]

    def researchers_of(self, agency: int) -> list[int]:
        return self.researchers.get(agency) or [None]


def staff() -> Staff:
    weight = {name: w for name, _, w in AGENCIES}
    users: dict[tuple[int, str], list[int]] = {}
    for agency, user, role in Membership.objects.values_list("agency_id", "user_id", "roles__name").order_by(
        "user_id"
    ):
        users.setdefault((agency, role), []).append(user)
    lead = Agency.objects.get(is_lead=True)
    partners = list(Agency.objects.filter(is_lead=False).order_by("pk"))
    police = next(a for a in partners if users.get((a.pk, Role.DATA_ADMINISTRATOR)))
    return Staff(
        lead=lead.pk,
        deciders=users[(lead.pk, Role.DECISION_MAKER)],
        practitioners=users[(lead.pk, Role.TRIAGE_PRACTITIONER)],
        police=police.pk,
        police_admins=users[(police.pk, Role.DATA_ADMINISTRATOR)],
        partners=[a.pk for a in partners],
        weights=[weight.get(a.name, 1) or 1 for a in partners],
        researchers={a.pk: users.get((a.pk, Role.AGENCY_RESEARCHER), []) for a in partners},
    )
