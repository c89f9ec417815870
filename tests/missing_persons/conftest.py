"""Fixtures of the missing persons tests: the data administrator, a child and an episode."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from missing_persons import services
from missing_persons.models import ReporterKind, Risk
from tests.factories import PersonFactory


@pytest.fixture
def child(db):
    today = timezone.localdate()
    return PersonFactory(given_name="Leah", family_name="Walsh", date_of_birth=date(today.year - 14, 3, 14))


@pytest.fixture
def episode_input(child):
    """``episode_input(**overrides)``: the details of a child reported missing an hour ago."""

    def make(**overrides):
        now = timezone.now()
        fields = {
            "person": child,
            "reported_at": now - timedelta(hours=1),
            "reported_by": "Mrs Walsh (mother)",
            "reporter_kind": ReporterKind.PARENT,
            "last_seen_at": now - timedelta(hours=4),
            "last_seen_place": "Ipswich bus station",
            "risk": Risk.MEDIUM,
            "risk_rationale": "Fourteen, phone off, seen with older males.",
        }
        fields.update(overrides)
        return services.EpisodeInput(**fields)

    return make


@pytest.fixture
def episode(cast, episode_input):
    return services.episode_create(by=cast.data_admin, data=episode_input())
