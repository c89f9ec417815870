import pytest
from django.utils import timezone

from missing_persons import services
from missing_persons.models import EpisodeStatus

pytestmark = pytest.mark.django_db


def test_the_flow(cast, episode):
    services.episode_regrade(episode=episode, by=cast.data_admin, risk="high", rationale="County lines link.")
    services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=timezone.now(),
        found_place="Home",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED and episode.interview.clock.amount == 72
    sample = services.sample_csv().encode()
    preview = services.preview(by=cast.data_admin, content=sample)
    assert preview.problems == []
    batch = services.import_reports(by=cast.data_admin, content=sample, filename="sample.csv")
    assert batch.created == 2
    batch = services.import_reports(by=cast.data_admin, content=sample, filename="sample.csv")
    assert (batch.created, batch.unchanged) == (0, 2)
