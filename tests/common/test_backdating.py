"""The one back-dating rule (mash/common/backdating.py) and the three services that record with it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.backdating import MAX_BACKDATING, recorded_time_error
from referrals import services as referral_services
from tests.referrals.factories import make_referral

NOW = timezone.now()


@pytest.mark.parametrize(
    ("at", "error"),
    [
        (NOW, ""),
        (NOW - MAX_BACKDATING, ""),
        (NOW - timedelta(days=365), ""),
        (NOW + timedelta(seconds=1), "The time received cannot be in the future."),
        (NOW - MAX_BACKDATING - timedelta(seconds=1), "The time received cannot be more than a year ago."),
    ],
)
def test_a_time_may_be_given_up_to_a_year_back_and_never_ahead(at, error):
    assert recorded_time_error(at, the="The time received", now=NOW) == error


@pytest.mark.django_db
def test_a_referral_received_more_than_a_year_ago_is_refused_beside_its_field(cast):
    with pytest.raises(ValidationError) as refused:
        make_referral(by=cast.triage, received_at=timezone.now() - timedelta(days=400))
    assert refused.value.message_dict == {
        "received_at": ["The time received cannot be more than a year ago."]
    }


@pytest.mark.django_db
def test_a_consultation_call_in_the_future_is_refused_beside_its_field(cast):
    with pytest.raises(ValidationError) as refused:
        referral_services.consultation_create(
            by=cast.triage,
            caller_name="Mrs Joan Price",
            caller_organisation="Orwell Primary School",
            question="Should I refer?",
            advice="Refer today.",
            anonymous_description="A pupil in year 3.",
            called_at=timezone.now() + timedelta(hours=1),
        )
    assert refused.value.message_dict == {"called_at": ["The time of the call cannot be in the future."]}
