"""A referral with a submitted police answer (handling code C) and a submitted health answer, built
through the services, and a request to share its summary and both answers (the dissemination tests)."""

from dataclasses import dataclass

from mash.agencies.roles import Role
from mash.sharing import dissemination
from mash.sharing.dissemination_services import dissemination_request_create
from mash.sharing.models import LawfulBasis
from referrals.requests import services as request_services
from referrals.requests.services import RequestInput
from tests.factories import PersonFactory, member
from tests.sharing.scenario import _gathering, _health_entry, _police_entry

POLICE_SECRET = "Informant XRAY-POLICE-7731 named the uncle"
HEALTH_SECRET = "Seen at A&E HEALTH-4417 with a burn"


@dataclass
class Shared:
    referral: object
    police_request: object
    health_request: object
    health_decision_maker: object


def referral_with_answers(cast) -> Shared:
    child = PersonFactory(given_name="Jayden", family_name="Smith", nhs_number="9434765919")
    referral = _gathering(cast, child)
    police, health = request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[
            RequestInput(agency=cast.police, questions="Any police contact?"),
            RequestInput(agency=cast.health, questions="Any A&E attendances?"),
        ],
    )
    request_services.response_entry_add(
        request=police, by=cast.police_researcher, data=_police_entry(child, detail=POLICE_SECRET)
    )
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    request_services.response_entry_add(
        request=health, by=cast.health_researcher, data=_health_entry(child, detail=HEALTH_SECRET)
    )
    request_services.information_request_submit(request=health, by=cast.health_researcher)
    referral.refresh_from_db()
    return Shared(
        referral, police, health, member(cast.health, Role.DECISION_MAKER, username="health.decision")
    )


def request_all(cast, shared: Shared, **fields):
    keys = [choice.key for choice in dissemination.items_for(cast.triage, shared.referral)]
    values = dict(
        by=cast.triage,
        record=shared.referral,
        item_keys=keys,
        recipient_organisation="Riverside Academy",
        recipient_role="Designated safeguarding lead",
        recipient_name="Ms Okafor",
        recipient_contact="dsl@riverside.example",
        method="email",
        need="The school must keep the child safe during the school day.",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    )
    values.update(fields)
    return dissemination_request_create(**values)
