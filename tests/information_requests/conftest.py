import pytest

from tests.factories import PersonFactory
from tests.information_requests.support import referral_in_gathering


@pytest.fixture
def gathering(cast, person):
    """A red referral in information gathering, about two people."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    return referral_in_gathering(
        cast, person, sibling, referrer_email="dsl@school.example", referrer_phone="01473 111111"
    )
