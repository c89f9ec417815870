"""Fixtures of the missing persons API tests: those of tests/missing_persons (a child, their details,
an episode recorded by the data administrator), and helpers to call the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from missing_persons import services
from tests.missing_persons import conftest as c

child = c.child
episode_input = c.episode_input
episode = c.episode


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def call(api_client, user, method: str, path: str, data=None, **kwargs):
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    return getattr(api_client, method)(path, data, **({"format": "json"} | kwargs))


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def returned(cast, episode):
    """``episode``, the child returned an hour ago: the return home interview is due."""
    return services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=timezone.now() - timedelta(hours=1),
        found_place="Home",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )


@pytest.fixture
def flag(cast, child, episode_input):
    """Three episodes of the child this month: the repeat trigger flags them."""
    for days in (20, 10, 0):
        now = timezone.now() - timedelta(days=days)
        services.episode_create(
            by=cast.data_admin,
            data=episode_input(reported_at=now - timedelta(hours=1), last_seen_at=now - timedelta(hours=4)),
        )
    return child.repeat_missing_flags.get()
