"""Fixtures of the strategy tests: a collated referral, a threshold decision, a convened discussion.

The cast (tests/conftest.py) gives the lead agency, the police and health; ``education`` is a fourth
agency that is never invited, to prove a non-invited agency sees nothing.
"""

import pytest
from django.utils import timezone

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from strategy import services
from strategy.models import Mode
from tests.factories import AgencyFactory, member
from tests.information_requests import conftest as requests_conftest
from tests.information_requests.support import answer, ask

gathering = requests_conftest.gathering  # a red referral in information gathering (a fixture)


@pytest.fixture
def education(cast):
    agency = AgencyFactory(name="Education Safeguarding", kind=AgencyKind.EDUCATION)
    return {
        "agency": agency,
        "researcher": member(agency, Role.AGENCY_RESEARCHER, username="education.researcher"),
        "decision_maker": member(agency, Role.DECISION_MAKER, username="education.decision"),
    }


@pytest.fixture
def collated(cast, gathering):
    """The red referral of ``gathering`` with the police and health answers in: awaiting a threshold
    decision. ``collated.police_answer`` and ``collated.health_answer`` are the requests."""
    police_request, health_request = ask(gathering, cast.triage, cast.police, cast.health)
    answer(police_request, cast.police_researcher)
    answer(health_request, cast.health_researcher)
    gathering.refresh_from_db()
    gathering.police_answer, gathering.health_answer = police_request, health_request
    return gathering


@pytest.fixture
def required(cast, collated):
    """A threshold decision that a strategy discussion is required."""
    decision = services.threshold_decide(
        referral=collated,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect significant harm: injury and police intelligence.",
        answers=[collated.police_answer, collated.health_answer],
    )
    collated.refresh_from_db()
    return decision


@pytest.fixture
def convene(cast, required):
    """``convene(**overrides)``: convene the discussion (by default now, by video, the lead decision
    maker in the chair, the police decision maker and the health agency invited, both answers
    considered)."""

    def make(**overrides):
        fields = {
            "referral": required.referral,
            "by": cast.decision_maker,
            # The referral came in this minute: the discussion is held from its start.
            "scheduled_at": timezone.now().replace(second=0, microsecond=0),
            "mode": Mode.VIDEO,
            "location": "Teams",
            "chair": cast.decision_maker,
            "invitees": [
                services.Invitee(agency=cast.police, user=cast.police_decision_maker),
                services.Invitee(agency=cast.health),
            ],
        }
        fields.update(overrides)
        return services.discussion_convene(**fields)

    return make


@pytest.fixture
def discussion(convene):
    return convene()
