"""Who may see and change episodes through the API: the police and the lead agency's case workers see
every episode; another agency nothing (unless asked about a referral with it). Every refusal of a
record is a 404 with the refusal in the access log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from missing_persons.models import EpisodeStatus
from tests.missing_persons_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db

OUTSIDERS = ["health_researcher", "outsider"]


def writes(episode) -> list[tuple[str, dict]]:
    version = {"version": episode.version}
    return [
        ("api-missing-episode-regrade", {**version, "risk": "high", "rationale": "Why."}),
        (
            "api-missing-episode-update",
            {**version, "indicators": "cse", "places": "", "associates": "", "circumstances": ""},
        ),
        (
            "api-missing-episode-return",
            {
                **version,
                "found_at": timezone.now().isoformat(),
                "found_place": "Home",
                "found_by": "PC",
                "wellbeing_confirmed": True,
            },
        ),
        ("api-missing-episode-close", version),
        ("api-missing-episode-interview", {"status": "declined"}),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_gets_a_logged_404_on_the_episode(assert_denied, cast, episode, who):
    assert_denied(getattr(cast, who), url("api-missing-episode", episode.pk), episode)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_gets_a_logged_404_on_every_write(assert_denied, cast, episode, who):
    for name, data in writes(episode):
        assert_denied(getattr(cast, who), url(name, episode.pk), episode, method="post", data=data)
    before = episode.version
    episode.refresh_from_db()
    assert (episode.status, episode.risk, episode.version) == (EpisodeStatus.MISSING, "medium", before)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_lists_nothing(api_client, cast, episode, who):
    body = ok(call(api_client, getattr(cast, who), "get", url("api-missing-episodes")))
    assert body["results"] == []


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_may_not_see_the_dashboard(api_client, cast, episode, who):
    response = call(api_client, getattr(cast, who), "get", url("api-missing-dashboard"))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["police_researcher", "triage", "decision_maker", "manager"])
def test_the_police_and_the_lead_agency_see_the_episode(api_client, cast, episode, who):
    body = ok(call(api_client, getattr(cast, who), "get", url("api-missing-episode", episode.pk)))
    assert body["id"] == episode.pk


def test_a_police_researcher_may_read_but_not_regrade(api_client, cast, episode):
    response = call(
        api_client,
        cast.police_researcher,
        "post",
        url("api-missing-episode-regrade", episode.pk),
        {"version": episode.version, "risk": "high", "rationale": "Why."},
    )

    assert response.status_code == 403 and "data administrators" in response.json()["detail"]
    episode.refresh_from_db()
    assert episode.risk == "medium"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_gets_a_logged_404_on_a_repeat_flag(assert_denied, cast, flag, who):
    for action in ("refer", "dismiss"):
        assert_denied(
            getattr(cast, who),
            url(f"api-repeat-flag-{action}", flag.pk),
            flag,
            method="post",
            data={"reason": "x"},
        )
    flag.refresh_from_db()
    assert flag.status == "open"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_agency_may_not_list_or_run_imports(api_client, cast, who):
    user = getattr(cast, who)
    assert call(api_client, user, "get", url("api-missing-imports")).status_code == 403
    response = call(
        api_client,
        user,
        "post",
        url("api-missing-imports-preview"),
        {"file": SimpleUploadedFile("r.csv", b"x")},
        format="multipart",
    )
    assert response.status_code == 403 and "data administrators" in response.json()["detail"]
