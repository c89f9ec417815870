"""The episodes page: every episode, the latest first, 50 a page, with its count (issue 16)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from missing_persons import services
from missing_persons.models import EpisodeStatus, Risk
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EPISODES = reverse("missing_persons:episodes")


def missing(cast, episode_input, count, risk=Risk.MEDIUM):
    """``count`` open episodes, each of its own child (no repeat flag), reported a minute apart."""
    now = timezone.now()
    return [
        services.episode_create(
            by=cast.data_admin,
            data=episode_input(
                person=PersonFactory(given_name=f"Child{n}", family_name="Test"),
                risk=risk,
                reported_at=now - timedelta(minutes=60 + n),
                last_seen_at=now - timedelta(minutes=120 + n),
            ),
        )
        for n in range(count)
    ]


def shown(response) -> set[int]:
    return {episode.pk for episode in response.context["episodes"]}


def test_the_episodes_page_by_50_with_its_count_and_keeps_the_status(client, cast, episode_input, episode):
    made = missing(cast, episode_input, 51)
    services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=timezone.now(),
        found_place="Home",
        found_by="Mother",
        wellbeing_confirmed=True,
    )
    client.force_login(cast.data_admin)
    first = client.get(EPISODES, {"status": EpisodeStatus.MISSING})
    body = first.content.decode()
    assert len(shown(first)) == 50
    assert "51 episodes, the latest first" in body
    assert "?status=missing&amp;page=2" in body
    second = client.get(EPISODES, {"status": EpisodeStatus.MISSING, "page": 2})
    assert len(shown(second)) == 1
    assert shown(first) | shown(second) == {e.pk for e in made}
    assert "52 episodes, the latest first" in client.get(EPISODES).content.decode()
    # An unknown status lists every episode, as before.
    assert "52 episodes" in client.get(EPISODES, {"status": "nonsense"}).content.decode()
