"""Repeat missing: the trigger at its boundary, the flag, and the one-click referral with the episodes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.notifications.models import Notification
from mash.sharing.policy import can_view
from missing_persons import services
from missing_persons.models import Episode, FlagStatus, RepeatFlag, RepeatTrigger
from referrals import services as referral_services
from tests.factories import PersonFactory
from tests.information_requests.support import BOTH_CHANNELS, ask, channels_of

pytestmark = pytest.mark.django_db

REPEAT = "missing_person.repeat"


@pytest.fixture
def report(cast, episode_input):
    """``report(days_ago, **overrides)``: an episode of the child reported ``days_ago`` days ago."""

    def make(days_ago: float = 0, **overrides):
        reported_at = timezone.now() - timedelta(days=days_ago, minutes=5)
        fields = {"reported_at": reported_at, "last_seen_at": reported_at - timedelta(hours=3)}
        fields.update(overrides)
        return services.episode_create(by=cast.data_admin, data=episode_input(**fields))

    return make


def test_the_default_trigger_is_3_in_30_days():
    assert services.trigger() == (3, 30)
    assert RepeatTrigger.objects.get().episodes == 3


def test_two_episodes_do_not_flag_the_third_does(cast, child, report):
    report(10)
    report(5)
    assert not RepeatFlag.objects.exists()
    third = report(0)
    flag = RepeatFlag.objects.get()
    assert (flag.person, flag.status) == (child, FlagStatus.OPEN)
    assert flag.episodes.count() == 3 and third in flag.episodes.all()


def test_episodes_outside_the_window_do_not_count(child, report):
    outside = report(31)
    report(5)
    report(0)
    assert not RepeatFlag.objects.exists()
    report(29)
    flag = RepeatFlag.objects.get()
    assert flag.episodes.count() == 3 and outside not in flag.episodes.all()


def test_another_persons_episodes_do_not_count(report):
    report(10)
    report(5, person=PersonFactory())
    report(0)
    assert not RepeatFlag.objects.exists()


def test_changing_the_trigger_changes_the_result(report):
    RepeatTrigger.objects.update(episodes=2)
    report(10)
    assert not RepeatFlag.objects.exists()
    report(0)
    assert RepeatFlag.objects.get().episodes.count() == 2


def test_a_longer_window_counts_older_episodes(report):
    RepeatTrigger.objects.update(days=45)
    report(40)
    report(31)
    report(0)
    assert RepeatFlag.objects.get().episodes.count() == 3


def test_one_open_flag_takes_later_episodes_and_notifies_once(
    cast, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        for days_ago in (10, 5, 2):
            report(days_ago)
        assert channels_of(cast.data_admin, REPEAT) == BOTH_CHANNELS
        fourth = report(0)
    flag = RepeatFlag.objects.get()
    assert flag.episodes.count() == 4 and fourth in flag.episodes.all()
    # The data administrators only, once.
    assert channels_of(cast.data_admin, REPEAT) == BOTH_CHANNELS
    assert Notification.objects.filter(event=REPEAT).count() == len(BOTH_CHANNELS)


@pytest.fixture
def flag(report):
    for days_ago in (10, 5, 0):
        report(days_ago, last_seen_place=f"Place {days_ago}")
    return RepeatFlag.objects.get()


def test_flag_refer_opens_a_police_notification_with_the_episodes(cast, child, flag):
    referral = services.flag_refer(flag=flag, by=cast.data_admin, note="Seen with older males each time.")
    referral.refresh_from_db()
    assert referral.channel == "police_notification"
    assert referral.recorded_by == cast.data_admin
    assert referral.kind == "child"
    assert [link.person for link in referral.subjects.all()] == [child]
    assert "Repeat missing: 3 episodes" in referral.account
    for days_ago in (10, 5, 0):
        assert f"missing from Place {days_ago}" in referral.account
    assert "Seen with older males each time." in referral.account
    assert set(Episode.objects.filter(referral=referral)) == set(flag.episodes.all())
    flag.refresh_from_db()
    assert (flag.status, flag.referral, flag.resolved_by) == (FlagStatus.REFERRED, referral, cast.data_admin)


def test_flag_refer_is_refused_twice(cast, flag):
    referral = services.flag_refer(flag=flag, by=cast.data_admin)
    with pytest.raises(ValidationError, match="already been acted on"):
        services.flag_refer(flag=flag, by=cast.data_admin)
    assert Episode.objects.filter(referral=referral).count() == 3
    assert type(referral).objects.count() == 1


@pytest.mark.parametrize("who", ["triage", "police_researcher", "health_researcher", "outsider"])
def test_only_a_data_administrator_acts_on_a_flag(cast, flag, who):
    with pytest.raises(ValidationError, match="data administrators"):
        services.flag_refer(flag=flag, by=getattr(cast, who))
    with pytest.raises(ValidationError, match="data administrators"):
        services.flag_dismiss(flag=flag, by=getattr(cast, who), reason="Known to services.")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert not Episode.objects.filter(referral__isnull=False).exists()


def test_flag_dismiss_needs_a_reason(cast, flag):
    with pytest.raises(ValidationError) as refusal:
        services.flag_dismiss(flag=flag, by=cast.data_admin, reason="  ")
    assert set(refusal.value.message_dict) == {"reason"}
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    services.flag_dismiss(flag=flag, by=cast.data_admin, reason="Already open to children's services.")
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.DISMISSED, cast.data_admin)
    assert flag.resolution_note == "Already open to children's services."
    with pytest.raises(ValidationError, match="already been acted on"):
        services.flag_refer(flag=flag, by=cast.data_admin)


def test_an_agency_asked_about_the_referral_sees_the_episodes(cast, flag):
    referral = services.flag_refer(flag=flag, by=cast.data_admin)
    episodes = list(flag.episodes.all())
    assert not any(can_view(cast.health_researcher, e) for e in episodes)

    referral_services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    referral_services.referral_rate(
        referral=referral, by=cast.triage, rating="red", rationale="Repeat missing."
    )
    referral_services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    ask(referral, cast.triage, cast.health)

    assert all(can_view(cast.health_researcher, e) for e in episodes)
    assert not any(can_view(cast.outsider, e) for e in episodes)
