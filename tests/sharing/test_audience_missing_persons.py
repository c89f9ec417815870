"""What an agency asked about a referral sees of the missing episodes attached to it: the partner
audience of missing_persons/policy.py, through the policy, the API, the page and the admin."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.sharing import policy
from mash.sharing.services import grant_view
from missing_persons import services
from missing_persons.models import (
    Episode,
    ImportBatch,
    InterviewStatus,
    RepeatFlag,
    ReturnInterview,
    RiskGrading,
)
from tests.missing_persons import conftest as c

child = c.child
episode_input = c.episode_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(cast, episode_input):
    """A child's episode, returned, shared with health as a referral's ask shares it."""
    episode = services.episode_create(
        by=cast.data_admin,
        data=episode_input(
            circumstances="Argued at home CIRCMARK.", places="PLACEMARK", associates="ASSOCMARK"
        ),
    )
    episode = services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=timezone.now(),
        found_place="FOUNDMARK flat",
        found_by="PC Smith",
        wellbeing_confirmed=True,
        wellbeing_note="WELLMARK",
    )
    grant_view(obj=episode, agency=cast.health)
    return episode


def interview_of(episode) -> ReturnInterview:
    return ReturnInterview.objects.get(episode=episode)


def test_an_asked_agency_is_the_partner_audience(cast, shared):
    assert policy.audience_of(cast.data_admin, shared) == policy.Audience.FULL
    assert policy.audience_of(cast.triage, shared) == policy.Audience.FULL
    assert policy.audience_of(cast.health_researcher, shared) == policy.Audience.PARTNER
    assert policy.audience_of(cast.outsider, shared) is None


@pytest.mark.parametrize(
    "name, partner_sees",
    [
        ("risk", True),
        ("last_seen_place", True),
        ("indicators", True),
        ("found_at", True),
        ("circumstances", False),
        ("reported_by", False),
        ("places", False),
        ("associates", False),
        ("found_place", False),
        ("found_by", False),
        ("wellbeing_note", False),
        ("police_reference", False),
        ("gradings", False),
        ("a_field_added_tomorrow", False),
    ],
)
def test_an_asked_agency_sees_the_episodes_summary_not_the_polices_record(cast, shared, name, partner_sees):
    assert policy.may_see_field(cast.health_researcher, shared, name) is partner_sees
    assert policy.may_see_field(cast.data_admin, shared, name) is True


def test_every_part_is_covered(cast, shared):
    for model in (Episode, RiskGrading, ReturnInterview, ImportBatch, RepeatFlag):
        assert policy.is_covered(model), model
    grading = shared.gradings.first()
    assert not policy.may_see_field(cast.health_researcher, grading, "rationale")
    assert policy.may_see_field(cast.data_admin, grading, "rationale")


def test_the_interview_is_shown_to_the_agency_doing_it_only(cast, shared):
    interview = interview_of(shared)
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.lead
    )
    interview.refresh_from_db()
    assert not policy.may_see_field(cast.health_researcher, interview, "notes")
    assert policy.may_see_field(cast.triage, interview, "notes")
    interview.agency = cast.health
    interview.save()
    assert policy.may_see_field(cast.health_researcher, interview, "notes")


def test_the_api_answers_an_asked_agency_with_the_summary(cast, shared, api_client):
    url = reverse("api-missing-episode", args=[shared.pk])
    api_client.force_authenticate(cast.health_researcher)
    response = api_client.get(url)
    body = response.content.decode()
    for marker in ("CIRCMARK", "PLACEMARK", "ASSOCMARK", "FOUNDMARK", "WELLMARK", "Mrs Walsh"):
        assert marker not in body, marker
    data = response.json()
    assert data["last_seen_place"] == "Ipswich bus station"
    assert "gradings" not in data and "police_reference" not in data
    assert data["interview"] is None  # the lead agency's to do, not health's

    api_client.force_authenticate(cast.data_admin)
    full = api_client.get(url).json()
    assert full["circumstances"] == "Argued at home CIRCMARK." and full["gradings"] and full["interview"]


def test_the_api_list_gives_an_asked_agency_the_partner_fields(cast, shared, api_client):
    api_client.force_authenticate(cast.health_researcher)
    rows = api_client.get(reverse("api-missing-episodes")).json()["results"]
    assert [row["id"] for row in rows] == [shared.pk]
    assert "police_reference" not in rows[0] and "version" not in rows[0]


def test_the_page_shows_an_asked_agency_the_summary(cast, shared, client):
    client.force_login(cast.health_researcher)
    page = client.get(reverse("missing_persons:episode", args=[shared.pk])).content.decode()
    assert "Ipswich bus station" in page
    for marker in ("CIRCMARK", "PLACEMARK", "ASSOCMARK", "FOUNDMARK", "WELLMARK", "Mrs Walsh", "phone off"):
        assert marker not in page, marker

    client.force_login(cast.data_admin)
    page = client.get(reverse("missing_persons:episode", args=[shared.pk])).content.decode()
    assert "CIRCMARK" in page and "FOUNDMARK" in page and "phone off" in page


def test_the_admin_shows_an_asked_agency_with_staff_rights_the_summary(cast, shared, client):
    cast.health_researcher.is_staff = True
    cast.health_researcher.save()
    client.force_login(cast.health_researcher)
    page = client.get(reverse("admin:missing_persons_episode_change", args=[shared.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ipswich bus station" in body
    for marker in ("CIRCMARK", "PLACEMARK", "WELLMARK", "phone off"):
        assert marker not in body, marker


def test_a_persons_history_names_the_episode_without_the_police_reference_for_a_partner(cast, shared, client):
    Episode.objects.filter(pk=shared.pk).update(police_reference="REFMARK-1")
    grant_view(obj=shared.person, agency=cast.health)
    client.force_login(cast.health_researcher)
    page = client.get(reverse("people:detail", args=[shared.person.pk])).content.decode()
    assert f"Episode {shared.pk}" in page and "REFMARK-1" not in page
    client.force_login(cast.triage)
    assert "REFMARK-1" in client.get(reverse("people:detail", args=[shared.person.pk])).content.decode()


def test_the_police_see_who_an_episode_is_about_not_where_they_live(cast, shared):
    # Recording the episode granted the recording agency the person: their partner fields.
    assert policy.may_see_field(cast.police_researcher, shared.person, "given_name")
    assert not policy.may_see_field(cast.police_researcher, shared.person, "address")
