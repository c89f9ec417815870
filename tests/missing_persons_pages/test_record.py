"""Recording an episode through the page: identity matching through the core, refusals naming the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.people.models import Person
from missing_persons.models import Episode, EpisodeStatus, RiskGrading

pytestmark = pytest.mark.django_db

NEW = reverse("missing_persons:episode_new")


def _local(delta):
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def _form(**overrides):
    data = {
        "police_reference": "SC-2025-0100",
        "given_name": "Noah",
        "family_name": "Baxter",
        "date_of_birth": "2012-05-01",
        "gender": "male",
        "reported_at": _local(timedelta(hours=1)),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": _local(timedelta(hours=3)),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Twelve, no phone, out overnight.",
        "circumstances": "Left after an argument.",
        "indicators": ["cce"],
    }
    data.update(overrides)
    return data


def test_the_form_is_shown_to_the_data_administrator(client, cast):
    client.force_login(cast.data_admin)
    response = client.get(NEW)
    assert response.status_code == 200
    assert "Record a missing episode" in response.content.decode()


def test_recording_an_episode_of_a_new_person(client, cast):
    client.force_login(cast.data_admin)
    response = client.post(NEW, _form())
    episode = Episode.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("missing_persons:episode", args=[episode.pk])
    assert episode.person.full_name == "Noah Baxter"
    assert episode.police_reference == "SC-2025-0100"
    assert episode.risk == "high"
    assert episode.status == EpisodeStatus.MISSING
    assert episode.is_child
    assert episode.indicators == ["cce"]
    assert episode.recorded_by == cast.data_admin
    assert RiskGrading.objects.get(episode=episode).rationale == "Twelve, no phone, out overnight."
    page = client.get(response.url).content.decode()
    assert "Episode recorded." in page
    assert "Noah Baxter" in page


def test_a_typed_person_matching_an_existing_one_brings_back_the_choice(client, cast, child):
    client.force_login(cast.data_admin)
    typed = _form(given_name="Leah", family_name="Walsh", date_of_birth=child.date_of_birth.isoformat())
    response = client.post(NEW, typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="person"' in body
    assert f'value="{child.pk}"' in body
    assert 'value="new"' in body
    assert "may already be known" in body
    assert not Episode.objects.exists()

    response = client.post(NEW, {**typed, "person": str(child.pk)})
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.person == child
    assert Person.objects.filter(given_name="Leah", family_name="Walsh").count() == 1


def test_choosing_none_of_the_matches_records_a_new_person(client, cast, child):
    client.force_login(cast.data_admin)
    typed = _form(given_name="Leah", family_name="Walsh", date_of_birth=child.date_of_birth.isoformat())
    response = client.post(NEW, {**typed, "person": "new"})
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.person != child
    assert Person.objects.filter(given_name="Leah", family_name="Walsh").count() == 2


def test_every_error_of_the_episode_and_the_person_shows_at_once(client, cast):
    client.force_login(cast.data_admin)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    late = {"last_seen_at": _local(timedelta(minutes=1)), "reported_at": _local(timedelta(hours=1))}
    data = _form(**late, date_of_birth=tomorrow, nhs_number="9434765918", risk_rationale="")
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "date_of_birth": ["Date of birth must be today or in the past."],
        "nhs_number": ["The NHS number is not valid: its check digit does not match."],
        "last_seen_at": ["They cannot be last seen after they were reported missing."],
        "risk_rationale": ["Give the rationale for the risk grading."],
    }
    assert response.content.decode().count('<li><a href="#id_') == 4
    assert not Episode.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"given_name": ""}, "given_name", "Enter the given name."),
        ({"risk": "extreme"}, "risk", "Choose the risk from the list."),
        ({"risk_rationale": ""}, "risk_rationale", "Give the rationale for the risk grading."),
        ({"reported_at": "yesterday"}, "reported_at", "must be a real date."),
        (
            {"last_seen_at": _local(timedelta(minutes=1)), "reported_at": _local(timedelta(hours=1))},
            "last_seen_at",
            "They cannot be last seen after they were reported missing.",
        ),
        ({"reported_at": _local(timedelta(days=-1))}, "reported_at", "The report cannot be in the future."),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, cast, overrides, field, message):
    client.force_login(cast.data_admin)
    response = client.post(NEW, _form(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'href="#id_{field}' in body
    assert not Episode.objects.exists()
    assert not Person.objects.filter(given_name="Noah").exists()


def test_a_known_police_reference_is_refused(client, cast, episode_input):
    from missing_persons import services

    services.episode_create(by=cast.data_admin, data=episode_input(police_reference="SC-2025-0100"))
    client.force_login(cast.data_admin)
    response = client.post(NEW, _form())
    assert response.status_code == 400
    assert "already recorded" in " ".join(response.context["form"].errors["police_reference"])
    assert Episode.objects.count() == 1
    assert not Person.objects.filter(given_name="Noah").exists()  # the refused episode left no one behind


@pytest.mark.parametrize("who", ["police_researcher", "health_researcher", "outsider", "triage"])
def test_only_the_data_administrator_records(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
    assert not Episode.objects.exists()
