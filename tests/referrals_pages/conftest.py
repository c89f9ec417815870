import pytest

from tests.referrals_pages.builders import make_consultation, make_referral, move_to


@pytest.fixture
def referral(cast):
    """A received child referral, recorded by the triage practitioner."""
    return make_referral(cast)


@pytest.fixture
def referral_in(cast):
    """``referral_in(state, **fields)``: a new referral walked to ``state`` through the services."""

    def make(state, **overrides):
        return move_to(make_referral(cast, **overrides), state, cast)

    return make


@pytest.fixture
def consultation(cast):
    return make_consultation(cast)
