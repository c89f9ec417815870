"""Episodes: recording, risk re-grading with a rationale, the return, the interview clock, closure."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.ordering import when
from mash.people.services import PersonChoice
from missing_persons import services
from missing_persons.models import Episode, EpisodeStatus, ReturnInterview, Risk, RiskGrading
from missing_persons.services.episodes import episode_errors
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def returned(episode, by, **overrides):
    fields = {
        "found_at": timezone.now() - timedelta(minutes=10),
        "found_place": "Home",
        "found_by": "PC 2231 Lee",
        "wellbeing_confirmed": True,
    }
    fields.update(overrides)
    return services.episode_return(episode=episode, by=by, **fields)


# Recording


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"reported_at": None}, "reported_at"),
        ({"reported_at": timezone.now() + timedelta(days=1)}, "reported_at"),
        (
            {
                "reported_at": timezone.now() - timedelta(days=400),
                "last_seen_at": timezone.now() - timedelta(days=401),
            },
            "reported_at",
        ),
        ({"last_seen_at": None}, "last_seen_at"),
        ({"last_seen_at": timezone.now() - timedelta(minutes=1)}, "last_seen_at"),
        ({"reported_by": "  "}, "reported_by"),
        ({"reporter_kind": "neighbour"}, "reporter_kind"),
        ({"last_seen_place": ""}, "last_seen_place"),
        ({"risk": "extreme"}, "risk"),
        ({"risk_rationale": " "}, "risk_rationale"),
        ({"indicators": ("cse", "gangs")}, "indicators"),
    ],
)
def test_it_refuses_bad_details_naming_the_field(cast, episode_input, overrides, field):
    data = episode_input(**overrides)
    assert set(episode_errors(data)) == {field}
    with pytest.raises(ValidationError) as refusal:
        services.episode_create(by=cast.data_admin, data=data)
    assert set(refusal.value.message_dict) == {field}
    assert not Episode.objects.exists()


def test_it_records_an_episode_with_its_first_grading(cast, episode_input):
    episode = services.episode_create(
        by=cast.data_admin, data=episode_input(police_reference=" SC-1 ", indicators=("county_lines", "cse"))
    )
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING
    assert episode.police_reference == "SC-1"
    assert episode.indicators == ["cse", "county_lines"]
    assert episode.recorded_by == cast.data_admin
    grading = episode.gradings.get()
    assert (grading.risk, grading.previous, grading.by) == (Risk.MEDIUM, "", cast.data_admin)
    assert grading.rationale == "Fourteen, phone off, seen with older males."


def test_it_refuses_a_police_reference_already_recorded(cast, episode_input):
    services.episode_create(by=cast.data_admin, data=episode_input(police_reference="SC-1"))
    with pytest.raises(ValidationError) as refusal:
        services.episode_create(by=cast.data_admin, data=episode_input(police_reference="SC-1"))
    assert "police_reference" in refusal.value.message_dict
    assert Episode.objects.count() == 1


@pytest.mark.parametrize("who", ["triage", "police_researcher", "health_researcher", "outsider", "manager"])
def test_only_a_police_data_administrator_records_an_episode(cast, episode_input, who):
    with pytest.raises(ValidationError, match="data administrators"):
        services.episode_create(by=getattr(cast, who), data=episode_input())
    assert not Episode.objects.exists()


def test_a_child_by_date_of_birth(cast, episode_input):
    # Their age on the day of the report (an hour ago: yesterday, in the first hour after midnight).
    reported_at = episode_input().reported_at
    day = timezone.localdate(reported_at)
    # The day before their 18th birthday they are still a child; on it, an adult.
    almost = PersonFactory(date_of_birth=date(day.year - 18, day.month, day.day) + timedelta(days=1))
    eighteen = PersonFactory(date_of_birth=date(day.year - 18, day.month, day.day))
    for person, child in ((almost, True), (eighteen, False)):
        data = episode_input(person=person, reported_at=reported_at)
        assert services.episode_create(by=cast.data_admin, data=data).is_child is child


def test_a_child_by_approximate_age(cast, episode_input):
    sixteen = PersonFactory(date_of_birth=None, approximate_age=16)
    thirty = PersonFactory(date_of_birth=None, approximate_age=30)
    unknown = PersonFactory(date_of_birth=None)
    assert services.episode_create(by=cast.data_admin, data=episode_input(person=sixteen)).is_child
    assert not services.episode_create(by=cast.data_admin, data=episode_input(person=thirty)).is_child
    assert not services.episode_create(by=cast.data_admin, data=episode_input(person=unknown)).is_child


# Re-grading


def test_regrading_without_a_rationale_is_refused(cast, episode):
    with pytest.raises(ValidationError) as refusal:
        services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.HIGH, rationale="  ")
    assert set(refusal.value.message_dict) == {"rationale"}
    episode.refresh_from_db()
    assert episode.risk == Risk.MEDIUM and episode.gradings.count() == 1


def test_regrading_to_the_same_grade_is_refused(cast, episode):
    with pytest.raises(ValidationError) as refusal:
        services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.MEDIUM, rationale="Still.")
    assert set(refusal.value.message_dict) == {"risk"}
    assert episode.gradings.count() == 1


def test_regrading_to_an_unknown_grade_is_refused(cast, episode):
    with pytest.raises(ValidationError) as refusal:
        services.episode_regrade(episode=episode, by=cast.data_admin, risk="extreme", rationale="Why.")
    assert set(refusal.value.message_dict) == {"risk"}


def test_regrading_keeps_the_history(cast, episode):
    services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.HIGH, rationale="County lines.")
    services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.LOW, rationale="Seen safe.")
    episode.refresh_from_db()
    assert episode.risk == Risk.LOW
    assert episode.version == 3
    assert [(g.previous, g.risk, g.rationale) for g in RiskGrading.objects.filter(episode=episode)] == [
        ("", Risk.MEDIUM, "Fourteen, phone off, seen with older males."),
        (Risk.MEDIUM, Risk.HIGH, "County lines."),
        (Risk.HIGH, Risk.LOW, "Seen safe."),
    ]


def test_regrading_is_only_while_missing(cast, episode):
    returned(episode, cast.data_admin)
    with pytest.raises(ValidationError, match="while the person is missing"):
        services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.HIGH, rationale="Late.")
    assert episode.gradings.count() == 1


@pytest.mark.parametrize("who", ["triage", "police_researcher", "health_researcher"])
def test_only_a_data_administrator_regrades(cast, episode, who):
    with pytest.raises(ValidationError, match="data administrators"):
        services.episode_regrade(episode=episode, by=getattr(cast, who), risk=Risk.HIGH, rationale="x")
    assert episode.gradings.count() == 1


def test_a_stale_version_changes_nothing(cast, episode):
    services.episode_regrade(episode=episode, by=cast.data_admin, risk=Risk.HIGH, rationale="County lines.")
    with pytest.raises(ValidationError) as refusal:
        services.episode_regrade(
            episode=episode, by=cast.data_admin, risk=Risk.LOW, rationale="Seen safe.", expected_version=1
        )
    assert refusal.value.code == "stale"
    with pytest.raises(ValidationError) as refusal:
        returned(episode, cast.data_admin, expected_version=1)
    assert refusal.value.code == "stale"
    episode.refresh_from_db()
    assert (episode.risk, episode.version, episode.status) == (Risk.HIGH, 2, EpisodeStatus.MISSING)
    assert episode.gradings.count() == 2
    # The current version is accepted.
    services.episode_regrade(
        episode=episode, by=cast.data_admin, risk=Risk.LOW, rationale="Seen safe.", expected_version=2
    )


# The return


def test_a_return_needs_wellbeing_confirmed(cast, episode):
    with pytest.raises(ValidationError) as refusal:
        returned(episode, cast.data_admin, wellbeing_confirmed=False)
    assert set(refusal.value.message_dict) == {"wellbeing_confirmed"}
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING and episode.found_at is None
    assert not ReturnInterview.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"found_at": timezone.now() + timedelta(hours=1)}, "found_at"),
        ({"found_at": timezone.now() - timedelta(hours=5)}, "found_at"),  # before last seen
        ({"found_place": " "}, "found_place"),
        ({"found_by": ""}, "found_by"),
    ],
)
def test_a_return_refuses_bad_details(cast, episode, overrides, field):
    with pytest.raises(ValidationError) as refusal:
        returned(episode, cast.data_admin, **overrides)
    assert set(refusal.value.message_dict) == {field}
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_a_childs_return_starts_the_72_hour_interview_clock(cast, episode):
    found_at = timezone.now() - timedelta(minutes=30)
    returned(episode, cast.data_admin, found_at=found_at)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED
    assert episode.found_at == found_at and episode.wellbeing_confirmed
    clock = episode.interview.clock
    assert (clock.basis, clock.amount) == ("calendar_hours", 72)
    assert clock.started_at == found_at
    # Calendar hours: nights and weekends count.
    assert clock.due_at == found_at + timedelta(hours=72)
    assert clock.stopped_at is None


def test_an_adults_return_has_no_interview(cast, episode_input):
    adult = PersonFactory(date_of_birth=date(1990, 1, 1))
    episode = services.episode_create(by=cast.data_admin, data=episode_input(person=adult))
    returned(episode, cast.data_admin)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED
    assert not ReturnInterview.objects.filter(episode=episode).exists()


def test_a_return_is_recorded_once(cast, episode):
    returned(episode, cast.data_admin)
    with pytest.raises(ValidationError, match="not open as missing"):
        returned(episode, cast.data_admin)
    assert ReturnInterview.objects.count() == 1


def test_only_a_data_administrator_records_a_return(cast, episode):
    with pytest.raises(ValidationError, match="data administrators"):
        returned(episode, cast.triage)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


# Closure


def test_closing_needs_the_return(cast, episode):
    with pytest.raises(ValidationError, match="once the person has returned"):
        services.episode_close(episode=episode, by=cast.data_admin)


def test_closing_needs_the_interview_done_or_declined(cast, episode):
    returned(episode, cast.data_admin)
    with pytest.raises(ValidationError, match="still to be done or declined"):
        services.episode_close(episode=episode, by=cast.data_admin)
    interview = ReturnInterview.objects.get(episode=episode)
    services.interview_record(interview=interview, by=cast.data_admin, status="offered", agency=cast.lead)
    with pytest.raises(ValidationError, match="still to be done or declined"):
        services.episode_close(episode=episode, by=cast.data_admin)
    services.interview_record(interview=interview, by=cast.data_admin, status="declined")
    services.episode_close(episode=episode, by=cast.data_admin)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED and episode.closed_at is not None


def test_an_adults_episode_closes_after_the_return(cast, episode_input):
    adult = PersonFactory(date_of_birth=date(1990, 1, 1))
    episode = services.episode_create(by=cast.data_admin, data=episode_input(person=adult))
    returned(episode, cast.data_admin)
    services.episode_close(episode=episode, by=cast.data_admin)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED


def test_a_return_before_the_report_names_the_time_of_the_report(cast, episode):
    # Found after they were last seen (four hours ago) but before the report (an hour ago).
    with pytest.raises(ValidationError) as refusal:
        returned(episode, cast.data_admin, found_at=episode.reported_at - timedelta(hours=2))
    assert refusal.value.message_dict == {
        "found_at": [f"The return cannot be before they were reported missing ({when(episode.reported_at)})."]
    }
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.MISSING


def test_a_person_born_in_the_future_is_refused_and_no_episode_recorded(cast, episode_input):
    born = PersonChoice(
        given_name="Noah", family_name="Baxter", date_of_birth=date.today() + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refusal:
        services.episode_create(by=cast.data_admin, data=episode_input(person=born))
    assert refusal.value.message_dict == {"date_of_birth": ["Date of birth must be today or in the past."]}
    assert not Episode.objects.exists()
