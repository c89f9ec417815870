import pytest

from referrals import services
from referrals.services import SubjectInput
from tests.factories import PersonFactory


@pytest.fixture
def gathering(cast, person):
    """A red referral in information gathering, about two people."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mrs Price",
        referrer_email="dsl@school.example",
        referrer_phone="01473 111111",
        account="Bruising seen at school.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(person=person), SubjectInput(person=sibling, role="sibling")],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral
