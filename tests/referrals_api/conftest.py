import pytest
from django.urls import reverse

from referrals import services
from referrals.services import SubjectInput
from tests.factories import PersonFactory

REFERRER = {
    "referrer_name": "Mrs Joan Price",
    "referrer_organisation": "Orwell Primary School",
    "referrer_role": "Designated safeguarding lead",
    "referrer_email": "dsl@orwell-primary.example",
    "referrer_phone": "01473 000111",
}


@pytest.fixture
def make_referral(cast, person):
    """``make_referral(**fields)``: a referral recorded by the triage practitioner through the service."""

    def make(**fields):
        values = {
            "by": cast.triage,
            "kind": "child",
            "channel": "marf",
            "account": "Jayden arrived with bruising to his upper arm.",
            "concerns": ["physical"],
            "consent": "given",
            "subjects": [SubjectInput(person=person)],
            **REFERRER,
            **fields,
        }
        return services.referral_create(**values)

    return make


@pytest.fixture
def referral(make_referral):
    return make_referral()


@pytest.fixture
def sibling(db):
    return PersonFactory(given_name="Amelia", family_name="Smith")


def url(name: str, *args) -> str:
    return reverse(name, args=args)
