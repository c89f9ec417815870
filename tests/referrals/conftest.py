import pytest

from tests.referrals.factories import make_referral, move_to


@pytest.fixture
def new_referral(cast):
    """``new_referral(**fields)``: a referral recorded by the triage practitioner through the service."""

    def make(**overrides):
        overrides.setdefault("by", cast.triage)
        return make_referral(**overrides)

    return make


@pytest.fixture
def referral_in(cast, new_referral):
    """``referral_in(state, **fields)``: a new referral walked to ``state`` through the services."""

    def make(state, **overrides):
        return move_to(new_referral(**overrides), state, cast=cast)

    return make
