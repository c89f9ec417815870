import pytest
from django.urls import reverse

from referrals import services
from referrals.requests import services as request_services
from referrals.services import SubjectInput
from tests.factories import PersonFactory

REFERRER_DETAILS = ("Mrs Price", "dsl@school.example", "01473 111111")
ACCOUNT = "Bruising seen at school."


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def referral_in_gathering(cast, subjects):
    """A red referral in information gathering, recorded and triaged through the services."""
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name=REFERRER_DETAILS[0],
        referrer_email=REFERRER_DETAILS[1],
        referrer_phone=REFERRER_DETAILS[2],
        account=ACCOUNT,
        concerns=["physical"],
        consent="given",
        subjects=subjects,
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral


@pytest.fixture
def sibling(db):
    return PersonFactory(given_name="Amelia", family_name="Smith")


@pytest.fixture
def gathering(cast, person, sibling):
    """A red referral in information gathering, about two people."""
    return referral_in_gathering(
        cast, [SubjectInput(person=person), SubjectInput(person=sibling, role="sibling")]
    )


@pytest.fixture
def asked(cast, gathering):
    """The police and health asked about ``gathering``: {"police": request, "health": request}."""
    police, health = request_services.information_requests_send(
        referral=gathering,
        by=cast.triage,
        requests=[
            request_services.RequestInput(agency=cast.police, questions="Any police contact?"),
            request_services.RequestInput(agency=cast.health, questions="Any A&E attendances?"),
        ],
    )
    return {"police": police, "health": health}


def police_entry(person, **fields) -> dict:
    """A complete, graded police entry about ``person``, as the API takes it."""
    return {
        "person_id": person.pk,
        "source_system": "PNC",
        "summary": "Arrested 2024 for assault",
        "source_evaluation": "1",
        "intelligence_assessment": "B",
        "handling_code": "P",
        **fields,
    }
