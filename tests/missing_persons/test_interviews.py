"""Return home interviews: offered, done or declined, who may record them, the clock and the reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.ordering import when
from mash.notifications.models import Notification
from missing_persons import services
from missing_persons.models import InterviewStatus, ReturnInterview
from tests.information_requests.support import BOTH_CHANNELS, channels_of

pytestmark = pytest.mark.django_db

REMINDER = "missing_person.interview_reminder"


def return_child(cast, episode_input, *, found_ago: timedelta):
    """A child's episode, returned ``found_ago``: its interview (the clock started at the return)."""
    now = timezone.now()
    episode = services.episode_create(
        by=cast.data_admin,
        data=episode_input(
            reported_at=now - found_ago - timedelta(hours=2),
            last_seen_at=now - found_ago - timedelta(hours=4),
        ),
    )
    services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=now - found_ago,
        found_place="Home",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )
    return ReturnInterview.objects.select_related("clock", "episode").get(episode=episode)


@pytest.fixture
def interview(cast, episode_input):
    return return_child(cast, episode_input, found_ago=timedelta(minutes=30))


def done(interview, by, **overrides):
    fields = {
        "status": InterviewStatus.DONE,
        "where_they_were": "A flat in Ipswich",
        "with_whom": "Two older males",
        "push_factors": "Arguments at home",
    }
    fields.update(overrides)
    return services.interview_record(interview=interview, by=by, **fields)


# Offered, done, declined


def test_it_records_an_offer(cast, interview):
    at = timezone.now() - timedelta(minutes=5)
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.lead, at=at
    )
    interview.refresh_from_db()
    assert (interview.status, interview.agency, interview.offered_at) == ("offered", cast.lead, at)
    assert interview.interviewer == cast.data_admin
    interview.clock.refresh_from_db()
    assert interview.clock.stopped_at is None  # an offer does not stop the clock


def test_an_agency_is_required(cast, interview):
    with pytest.raises(ValidationError) as refusal:
        services.interview_record(interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED)
    assert set(refusal.value.message_dict) == {"agency"}
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DUE


def test_an_unknown_status_is_refused(cast, interview):
    with pytest.raises(ValidationError) as refusal:
        services.interview_record(interview=interview, by=cast.data_admin, status="due", agency=cast.lead)
    assert set(refusal.value.message_dict) == {"status"}


def test_done_needs_where_they_were(cast, interview):
    with pytest.raises(ValidationError) as refusal:
        done(interview, cast.data_admin, agency=cast.lead, where_they_were=" ")
    assert set(refusal.value.message_dict) == {"where_they_were"}
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DUE


def test_done_needs_push_or_pull_factors(cast, interview):
    with pytest.raises(ValidationError) as refusal:
        done(interview, cast.data_admin, agency=cast.lead, push_factors="", pull_factors="")
    assert set(refusal.value.message_dict) == {"push_factors"}
    done(interview, cast.data_admin, agency=cast.lead, push_factors="", pull_factors="Friends, money")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE and interview.pull_factors == "Friends, money"


@pytest.mark.parametrize("delta", [timedelta(hours=1), timedelta(hours=-1)])
def test_the_time_must_be_after_the_return_and_not_in_the_future(cast, interview, delta):
    # +1 hour is in the future; -1 hour is before the return (30 minutes ago).
    with pytest.raises(ValidationError) as refusal:
        done(interview, cast.data_admin, agency=cast.lead, at=timezone.now() + delta)
    assert set(refusal.value.message_dict) == {"at"}


def test_done_stops_the_clock_met(cast, interview):
    at = timezone.now() - timedelta(minutes=1)
    done(interview, cast.data_admin, agency=cast.lead, at=at)
    interview.refresh_from_db()
    assert (interview.status, interview.done_at, interview.offered_at) == ("done", at, at)
    assert interview.where_they_were == "A flat in Ipswich"
    clock = interview.clock
    clock.refresh_from_db()
    assert clock.stopped_at == at and clock.met is True and clock.breached_at is None


def test_declined_after_72_hours_stops_the_clock_breached(cast, episode_input):
    interview = return_child(cast, episode_input, found_ago=timedelta(hours=80))
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.DECLINED, agency=cast.lead
    )
    interview.refresh_from_db()
    clock = interview.clock
    clock.refresh_from_db()
    assert interview.status == InterviewStatus.DECLINED
    assert clock.stopped_at is not None and clock.met is False
    assert clock.breached_at == clock.stopped_at


def test_a_recorded_interview_is_not_recorded_again(cast, interview):
    done(interview, cast.data_admin, agency=cast.lead)
    with pytest.raises(ValidationError, match="already recorded"):
        services.interview_record(interview=interview, by=cast.data_admin, status=InterviewStatus.DECLINED)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE


# Who may record


@pytest.mark.parametrize("who", ["data_admin", "triage", "decision_maker", "manager"])
def test_data_administrators_and_lead_case_workers_record(cast, interview, who):
    done(interview, getattr(cast, who), agency=cast.health)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE and interview.interviewer == getattr(cast, who)


def test_the_interviews_agency_records(cast, interview):
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.health
    )
    done(interview, cast.health_researcher)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE and interview.interviewer == cast.health_researcher


@pytest.mark.parametrize("who", ["outsider", "police_researcher", "health_researcher"])
def test_another_agency_may_not_record(cast, interview, who):
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.lead
    )
    with pytest.raises(ValidationError, match="may not record"):
        done(interview, getattr(cast, who))
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.OFFERED and interview.agency == cast.lead


def test_another_agency_may_not_take_the_interview_over_by_naming_itself(cast, interview):
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.health
    )
    with pytest.raises(ValidationError, match="may not record"):
        done(interview, cast.outsider, agency=cast.outsider_agency)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.OFFERED and interview.agency == cast.health


# Reminders


def test_it_reminds_once_when_due_within_24_hours(cast, interview, django_capture_on_commit_callbacks):
    due_at = interview.clock.due_at
    assert services.send_interview_reminders(now=due_at - timedelta(hours=25)) == 0
    assert not Notification.objects.filter(event=REMINDER).exists()

    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_interview_reminders(now=due_at - timedelta(hours=23)) == 1
        assert services.send_interview_reminders(now=due_at - timedelta(hours=22)) == 0
    # No interviewer yet: the police data administrators are reminded, once per channel.
    assert channels_of(cast.data_admin, REMINDER) == BOTH_CHANNELS
    assert Notification.objects.filter(event=REMINDER).count() == len(BOTH_CHANNELS)
    interview.refresh_from_db()
    assert interview.reminded_at == due_at - timedelta(hours=23)


def test_the_reminder_goes_to_the_interviewer(cast, interview, django_capture_on_commit_callbacks):
    services.interview_record(
        interview=interview,
        by=cast.data_admin,
        status=InterviewStatus.OFFERED,
        agency=cast.health,
        interviewer=cast.health_researcher,
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_interview_reminders(now=interview.clock.due_at - timedelta(hours=1)) == 1
    assert channels_of(cast.health_researcher, REMINDER) == BOTH_CHANNELS
    assert channels_of(cast.data_admin, REMINDER) == []


def test_an_overdue_interview_is_reminded(cast, episode_input, django_capture_on_commit_callbacks):
    interview = return_child(cast, episode_input, found_ago=timedelta(hours=80))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_interview_reminders() == 1
    assert channels_of(cast.data_admin, REMINDER) == BOTH_CHANNELS
    interview.refresh_from_db()
    assert interview.reminded_at is not None


@pytest.mark.parametrize("status", [InterviewStatus.DONE, InterviewStatus.DECLINED])
def test_nothing_for_a_recorded_interview(cast, interview, status):
    if status == InterviewStatus.DONE:
        done(interview, cast.data_admin, agency=cast.lead)
    else:
        services.interview_record(interview=interview, by=cast.data_admin, status=status, agency=cast.lead)
    assert services.send_interview_reminders(now=interview.clock.due_at + timedelta(hours=1)) == 0
    assert not Notification.objects.filter(event=REMINDER).exists()


def test_another_agency_cannot_take_the_interview_over_by_naming_itself(cast, interview):
    services.interview_record(
        interview=interview, by=cast.data_admin, status=InterviewStatus.OFFERED, agency=cast.health
    )
    with pytest.raises(ValidationError):
        services.interview_record(
            interview=interview, by=cast.outsider, status=InterviewStatus.DONE, agency=cast.outsider_agency
        )
    interview.refresh_from_db()
    assert (interview.agency, interview.status) == (cast.health, InterviewStatus.OFFERED)


def test_an_interview_before_the_return_names_the_time_of_the_return(cast, interview):
    found = interview.episode.found_at
    with pytest.raises(ValidationError) as refusal:
        done(interview, cast.data_admin, agency=cast.lead, at=found - timedelta(hours=1))
    assert refusal.value.message_dict == {
        "at": [f"The interview cannot be before the return ({when(found)})."]
    }
