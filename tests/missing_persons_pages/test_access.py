"""Denials through the pages: other agencies get a 404 (logged) on an episode and on every form of it,
and a 403 on the dashboard, the lists, the recording and the import."""

from datetime import timedelta
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from missing_persons import services
from missing_persons.models import Episode, EpisodeStatus, Risk

pytestmark = pytest.mark.django_db

OUTSIDERS = ["health_researcher", "outsider"]


def _local(delta=timedelta(0)):
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def _posts(cast, episode):
    version = episode.version
    return {
        "regrade": {"version": version, "risk": "high", "rationale": "x"},
        "update": {"version": version, "places": "Somewhere"},
        "return": {
            "version": version,
            "found_at": _local(),
            "found_place": "Home",
            "found_by": "Mother",
            "wellbeing_confirmed": "on",
        },
        "interview": {"status": "declined", "agency": cast.lead.pk},
        "close": {"version": version},
    }


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_episode_page_is_a_logged_404(assert_denied, cast, episode, who):
    response = assert_denied(
        getattr(cast, who), reverse("missing_persons:episode", args=[episode.pk]), episode
    )
    assert "Leah Walsh" not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("action", ["regrade", "update", "return", "interview", "close"])
def test_every_form_of_the_episode_is_a_logged_404(assert_denied, cast, episode, who, action):
    url = reverse(f"missing_persons:{action}", args=[episode.pk])
    assert_denied(getattr(cast, who), url, episode, method="post", data=_posts(cast, episode)[action])
    episode.refresh_from_db()
    assert (episode.risk, episode.status, episode.version) == (Risk.MEDIUM, EpisodeStatus.MISSING, 1)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_dashboard_lists_recording_and_import_are_forbidden(client, cast, who):
    client.force_login(getattr(cast, who))
    for name in ("dashboard", "episodes", "episode_new", "import", "sample"):
        url = reverse(f"missing_persons:{name}")
        assert client.get(url).status_code == 403, url
    upload = SimpleUploadedFile("r.csv", services.sample_csv().encode())
    assert client.post(reverse("missing_persons:import"), {"file": upload}).status_code == 403
    assert client.post(reverse("missing_persons:import"), {"confirm": "1"}).status_code == 403
    assert not Episode.objects.exists()


def test_the_lead_agency_reads_the_episode(client, cast, episode):
    client.force_login(cast.triage)
    url = reverse("missing_persons:episode", args=[episode.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'<h1 class="govuk-heading-l">{escape(episode.person.full_name)}</h1>' in page.content.decode()
    dashboard = client.get(reverse("missing_persons:dashboard"))
    assert dashboard.status_code == 200
    assert f'href="{url}"' in dashboard.content.decode()
