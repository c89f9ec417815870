"""Fixtures of the missing persons page tests: those of the service tests (tests/missing_persons/conftest.py),
and a repeat-missing flag raised by three episodes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from missing_persons import services
from missing_persons.models import RepeatFlag
from tests.missing_persons import conftest as missing_conftest

child = missing_conftest.child  # Leah Walsh, fourteen
episode_input = missing_conftest.episode_input  # episode_input(**overrides): reported an hour ago
episode = missing_conftest.episode  # a medium-risk episode of the child, recorded by the data administrator


@pytest.fixture
def flag(cast, episode_input) -> RepeatFlag:
    """Three episodes of the child in a week (the default trigger: three in 30 days) raise a flag."""
    now = timezone.now()
    for days in (6, 3, 0):
        services.episode_create(
            by=cast.data_admin,
            data=episode_input(
                reported_at=now - timedelta(days=days, hours=1),
                last_seen_at=now - timedelta(days=days, hours=3),
            ),
        )
    return RepeatFlag.objects.get(person=episode_input().person)
