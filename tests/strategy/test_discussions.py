"""Convening, re-scheduling and cancelling strategy discussions; who is invited; what is considered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.agencies.roles import Role
from mash.common.ordering import when
from mash.notifications.models import Channel, Notification
from referrals import services as referral_services
from referrals.models import EventKind, State, TimelineEvent
from strategy import services
from strategy.models import Attendance, DiscussionStatus, Invitation, Mode, StrategyDiscussion
from tests.factories import member
from tests.information_requests.support import BOTH_CHANNELS, answer, ask, channels_of, referral_in

pytestmark = pytest.mark.django_db

INVITATION = "strategy_discussion.invitation"
CANCELLED = "strategy_discussion.cancelled"


def invited(discussion) -> set[tuple[int, int | None]]:
    return set(discussion.invitations.values_list("agency_id", "user_id"))


def assert_nothing_convened(referral) -> None:
    assert not StrategyDiscussion.objects.filter(referral=referral).exists()
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(event=INVITATION).exists()
    assert not TimelineEvent.objects.filter(referral=referral, kind=EventKind.STRATEGY).exists()


# Convening: refusals


@pytest.mark.parametrize("who", ["triage", "police_decision_maker", "health_researcher", "outsider"])
def test_only_a_lead_decision_maker_may_convene(cast, required, convene, who):
    with pytest.raises(ValidationError, match="decision makers may convene"):
        convene(by=getattr(cast, who))

    assert_nothing_convened(required.referral)


def test_a_manager_may_convene(cast, convene):
    discussion = convene(by=cast.manager)

    assert discussion.convened_by == cast.manager


@pytest.mark.parametrize("state", ["information_gathering", State.AWAITING_THRESHOLD_DECISION])
def test_a_referral_not_sent_to_strategy_cannot_have_a_discussion(cast, convene, state):
    referral = referral_in(cast, state="information_gathering")
    if state == State.AWAITING_THRESHOLD_DECISION:
        referral_services.referral_transition(
            referral=referral, by=cast.triage, to_state=state, note="Decide on the account."
        )

    with pytest.raises(ValidationError, match="after a threshold decision"):
        convene(referral=referral)

    assert_nothing_convened(referral)


def test_a_decided_referral_cannot_have_a_discussion(cast, collated):
    services.threshold_decide(
        referral=collated, by=cast.decision_maker, required=False, rationale="Low risk.", outcome="early_help"
    )

    with pytest.raises(ValidationError, match="after a threshold decision"):
        services.discussion_convene(
            referral=collated,
            by=cast.decision_maker,
            scheduled_at=timezone.now(),
            mode=Mode.CALL,
            chair=cast.decision_maker,
            invitees=[services.Invitee(agency=cast.health)],
        )


def test_a_second_open_discussion_is_refused(cast, discussion, convene):
    with pytest.raises(ValidationError, match="already scheduled"):
        convene(scheduled_at=timezone.now() + timedelta(days=1))

    assert StrategyDiscussion.objects.filter(referral=discussion.referral).count() == 1


@pytest.mark.parametrize("who", ["triage", "police_researcher", "manager"])
def test_the_chair_must_be_a_decision_maker(cast, required, convene, who):
    with pytest.raises(ValidationError) as refused:
        convene(chair=getattr(cast, who))

    assert "chair" in refused.value.message_dict
    assert_nothing_convened(required.referral)


def test_a_police_decision_maker_may_chair_and_is_invited_once(cast, convene):
    discussion = convene(chair=cast.police_decision_maker)

    assert discussion.chair == cast.police_decision_maker
    assert discussion.invitations.filter(user=cast.police_decision_maker).count() == 1
    assert invited(discussion) == {(cast.police.pk, cast.police_decision_maker.pk), (cast.health.pk, None)}


@pytest.mark.parametrize("invitees", ["nobody", "lead only"])
def test_at_least_one_partner_agency_must_be_invited(cast, required, convene, invitees):
    chosen = [] if invitees == "nobody" else [services.Invitee(agency=cast.lead)]

    with pytest.raises(ValidationError) as refused:
        convene(invitees=chosen)

    assert "invitees" in refused.value.message_dict
    assert_nothing_convened(required.referral)


def test_an_invited_person_must_work_for_the_agency_they_are_invited_for(cast, required, convene):
    with pytest.raises(ValidationError) as refused:
        convene(invitees=[services.Invitee(agency=cast.health, user=cast.police_decision_maker)])

    assert "invitees" in refused.value.message_dict
    assert "does not work for" in str(refused.value)
    assert_nothing_convened(required.referral)


def test_an_agency_cannot_be_invited_twice(cast, required, convene):
    with pytest.raises(ValidationError) as refused:
        convene(invitees=[services.Invitee(agency=cast.health), services.Invitee(agency=cast.health)])

    assert "invitees" in refused.value.message_dict
    assert_nothing_convened(required.referral)


@pytest.mark.parametrize("mode", ["", "carrier pigeon", "MEETING"])
def test_a_mode_must_be_a_meeting_a_call_or_a_video_call(cast, required, convene, mode):
    with pytest.raises(ValidationError) as refused:
        convene(mode=mode)

    assert "mode" in refused.value.message_dict
    assert_nothing_convened(required.referral)


@pytest.mark.parametrize(
    "offset",
    [timedelta(days=91), timedelta(days=-8), timedelta(hours=-2)],
    ids=["more than 90 days ahead", "more than a week ago", "before the threshold decision"],
)
def test_a_discussion_time_out_of_range_is_refused(cast, required, convene, offset):
    with pytest.raises(ValidationError) as refused:
        convene(scheduled_at=timezone.now() + offset)

    assert "scheduled_at" in refused.value.message_dict
    assert_nothing_convened(required.referral)


def test_a_time_without_a_zone_is_refused(cast, required, convene):
    naive = timezone.localtime().replace(tzinfo=None) + timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        convene(scheduled_at=naive)

    assert "scheduled_at" in refused.value.message_dict


@pytest.mark.parametrize("minutes", [0, 4, 481])
def test_a_duration_out_of_range_is_refused(cast, required, convene, minutes):
    with pytest.raises(ValidationError) as refused:
        convene(duration_minutes=minutes)

    assert "duration_minutes" in refused.value.message_dict


def test_an_answer_of_another_referral_cannot_be_considered(cast, required, convene):
    other = referral_in(cast, state="information_gathering")
    (elsewhere,) = ask(other, cast.triage, cast.police)
    answer(elsewhere, cast.police_researcher)

    with pytest.raises(ValidationError) as refused:
        convene(considered=[elsewhere])

    assert "considered" in refused.value.message_dict
    assert_nothing_convened(required.referral)


# Convening: what it does


def test_convening_records_the_discussion_and_invites_the_chair(cast, required, discussion):
    assert discussion.status == DiscussionStatus.SCHEDULED
    assert discussion.threshold_decision == required
    assert discussion.chair == cast.decision_maker
    assert (discussion.sequence, discussion.version) == (0, 1)
    assert invited(discussion) == {
        (cast.police.pk, cast.police_decision_maker.pk),
        (cast.health.pk, None),
        (cast.lead.pk, cast.decision_maker.pk),
    }
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {Attendance.NOT_RECORDED}
    event = TimelineEvent.objects.get(referral=required.referral, kind=EventKind.STRATEGY)
    assert "convened" in event.note
    assert "Constabulary" in event.note and "Integrated Care Board" in event.note
    required.referral.refresh_from_db()
    assert required.referral.state == State.STRATEGY_DISCUSSION


def test_the_answers_considered_default_to_those_answered(cast, collated, required, convene):
    discussion = convene()

    assert set(discussion.considered.all()) == {collated.police_answer, collated.health_answer}


def test_an_unanswered_request_is_not_considered_by_default(cast):
    referral = referral_in(cast, state="information_gathering")
    police_request, _unanswered = ask(referral, cast.triage, cast.police, cast.health)
    answer(police_request, cast.police_researcher)
    referral_services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note="Cannot wait."
    )
    referral.refresh_from_db()
    services.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Risk.")

    discussion = services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now(),
        mode=Mode.CALL,
        chair=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.health)],
    )

    assert list(discussion.considered.all()) == [police_request]


def test_the_answers_considered_can_be_chosen(cast, collated, convene):
    discussion = convene(considered=[collated.police_answer])

    assert list(discussion.considered.all()) == [collated.police_answer]


def test_each_invitee_and_the_chair_is_invited_once_on_each_channel(cast, discussion):
    for user in (cast.police_decision_maker, cast.health_researcher, cast.decision_maker):
        assert channels_of(user, INVITATION) == BOTH_CHANNELS, user
    for user in (cast.police_researcher, cast.triage, cast.outsider, cast.manager):
        assert channels_of(user, INVITATION) == [], user
    email = Notification.objects.get(
        recipient=cast.health_researcher, event=INVITATION, channel=Channel.EMAIL
    )
    assert [a["filename"] for a in email.attachments] == ["strategy-discussion.ics"]


def test_an_invited_agency_hears_through_its_decision_makers_rather_than_its_researchers(cast, convene):
    health_lead = member(cast.health, Role.DECISION_MAKER, username="health.decision")

    convene()

    assert channels_of(health_lead, INVITATION) == BOTH_CHANNELS
    assert channels_of(cast.health_researcher, INVITATION) == []


# Re-scheduling


def test_rescheduling_moves_the_discussion_and_bumps_sequence_and_version(cast, discussion):
    later = timezone.now() + timedelta(days=2)

    moved = services.discussion_reschedule(
        discussion=discussion,
        by=cast.decision_maker,
        scheduled_at=later,
        reason="The police decision maker is in court.",
        mode=Mode.MEETING,
        location="Room 4",
    )

    moved.refresh_from_db()
    assert moved.scheduled_at == later
    assert (moved.sequence, moved.version) == (1, discussion.version + 1)
    assert (moved.mode, moved.location) == (Mode.MEETING, "Room 4")
    event = TimelineEvent.objects.filter(referral=discussion.referral, kind=EventKind.STRATEGY).last()
    assert "re-scheduled" in event.note and "in court" in event.note
    for user in (cast.police_decision_maker, cast.health_researcher, cast.decision_maker):
        assert sorted(
            Notification.objects.filter(recipient=user, event=INVITATION).values_list("channel", flat=True)
        ) == sorted(BOTH_CHANNELS * 2)


@pytest.mark.parametrize("reason", ["", "  "])
def test_rescheduling_needs_a_reason(cast, discussion, reason):
    with pytest.raises(ValidationError) as refused:
        services.discussion_reschedule(
            discussion=discussion, by=cast.decision_maker, scheduled_at=timezone.now(), reason=reason
        )

    assert "reason" in refused.value.message_dict
    discussion.refresh_from_db()
    assert (discussion.sequence, discussion.version) == (0, 1)


def test_rescheduling_is_for_the_chair_or_a_lead_decision_maker(cast, discussion):
    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.discussion_reschedule(
            discussion=discussion, by=cast.police_decision_maker, scheduled_at=timezone.now(), reason="Clash."
        )


def test_the_chair_from_the_police_may_reschedule(cast, convene):
    discussion = convene(chair=cast.police_decision_maker)

    moved = services.discussion_reschedule(
        discussion=discussion,
        by=cast.police_decision_maker,
        scheduled_at=timezone.now() + timedelta(hours=3),
        reason="Clash.",
    )

    assert moved.sequence == 1


def test_rescheduling_out_of_range_is_refused(cast, discussion):
    with pytest.raises(ValidationError) as refused:
        services.discussion_reschedule(
            discussion=discussion,
            by=cast.decision_maker,
            scheduled_at=timezone.now() + timedelta(days=91),
            reason="Holidays.",
        )

    assert "scheduled_at" in refused.value.message_dict
    discussion.refresh_from_db()
    assert discussion.sequence == 0


# Cancelling


@pytest.mark.parametrize("reason", ["", " \n"])
def test_cancelling_needs_a_reason(cast, discussion, reason):
    with pytest.raises(ValidationError) as refused:
        services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason=reason)

    assert "reason" in refused.value.message_dict
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.SCHEDULED


def test_cancelling_closes_the_discussion_and_tells_everyone(cast, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Family moved away.")

    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.CANCELLED
    assert discussion.cancelled_by == cast.decision_maker
    assert discussion.cancelled_at is not None
    assert discussion.cancellation_reason == "Family moved away."
    assert discussion.sequence == 1
    for user in (cast.police_decision_maker, cast.health_researcher, cast.decision_maker):
        assert channels_of(user, CANCELLED) == BOTH_CHANNELS, user
    email = Notification.objects.get(recipient=cast.police_decision_maker, event=CANCELLED, channel="email")
    assert "METHOD:CANCEL" in email.attachments[0]["content"]
    event = TimelineEvent.objects.filter(referral=discussion.referral, kind=EventKind.STRATEGY).last()
    assert "cancelled" in event.note and "moved away" in event.note


def test_a_cancelled_discussion_cannot_be_changed_and_another_may_be_convened(cast, discussion, convene):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    with pytest.raises(ValidationError, match="cancelled"):
        services.discussion_reschedule(
            discussion=discussion, by=cast.decision_maker, scheduled_at=timezone.now(), reason="Again."
        )
    with pytest.raises(ValidationError, match="cancelled"):
        services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Twice.")

    second = convene()
    assert second.pk != discussion.pk
    assert second.threshold_decision == discussion.threshold_decision


# Optimistic locking


def test_a_stale_version_is_refused_and_changes_nothing(cast, discussion):
    stale = discussion.version
    services.discussion_reschedule(
        discussion=discussion,
        by=cast.decision_maker,
        scheduled_at=timezone.now() + timedelta(days=1),
        reason="Moved by a colleague.",
    )
    discussion.refresh_from_db()
    before = (discussion.scheduled_at, discussion.sequence, discussion.version, discussion.status)

    with pytest.raises(ValidationError) as rescheduled:
        services.discussion_reschedule(
            discussion=discussion,
            by=cast.decision_maker,
            scheduled_at=timezone.now() + timedelta(days=3),
            reason="My change.",
            expected_version=stale,
        )
    with pytest.raises(ValidationError) as cancelled:
        services.discussion_cancel(
            discussion=discussion, by=cast.decision_maker, reason="My change.", expected_version=stale
        )
    with pytest.raises(ValidationError) as added:
        services.invitations_add(
            discussion=discussion,
            by=cast.decision_maker,
            invitees=[services.Invitee(agency=cast.outsider_agency)],
            expected_version=stale,
        )

    for refused in (rescheduled, cancelled, added):
        assert refused.value.code == "stale"
    discussion.refresh_from_db()
    assert (discussion.scheduled_at, discussion.sequence, discussion.version, discussion.status) == before
    assert not discussion.invitations.filter(agency=cast.outsider_agency).exists()


def test_the_current_version_is_accepted(cast, discussion):
    services.discussion_cancel(
        discussion=discussion, by=cast.decision_maker, reason="Resolved.", expected_version=discussion.version
    )

    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.CANCELLED


# Invitations added and removed


def test_an_agency_invited_later_is_invited_alone(cast, discussion, education):
    services.invitations_add(
        discussion=discussion, by=cast.decision_maker, invitees=[services.Invitee(agency=education["agency"])]
    )

    assert (education["agency"].pk, None) in invited(discussion)
    assert channels_of(education["decision_maker"], INVITATION) == BOTH_CHANNELS
    assert channels_of(education["researcher"], INVITATION) == []
    # The others were invited already and hear nothing more.
    assert len(channels_of(cast.police_decision_maker, INVITATION)) == 2
    discussion.refresh_from_db()
    assert discussion.version == 2


def test_inviting_someone_already_invited_is_refused(cast, discussion):
    with pytest.raises(ValidationError) as refused:
        services.invitations_add(
            discussion=discussion, by=cast.decision_maker, invitees=[services.Invitee(agency=cast.health)]
        )

    assert "invitees" in refused.value.message_dict


def test_inviting_nobody_is_refused(cast, discussion):
    with pytest.raises(ValidationError) as refused:
        services.invitations_add(discussion=discussion, by=cast.decision_maker, invitees=[])

    assert "invitees" in refused.value.message_dict


def test_an_invitation_can_be_removed(cast, discussion):
    health = discussion.invitations.get(agency=cast.health)

    services.invitation_remove(invitation=health, by=cast.decision_maker)

    assert (cast.health.pk, None) not in invited(discussion)
    discussion.refresh_from_db()
    assert discussion.version == 2


def test_the_chair_cannot_be_uninvited(cast, discussion):
    chair = discussion.invitations.get(user=cast.decision_maker)

    with pytest.raises(ValidationError, match="chair cannot be uninvited"):
        services.invitation_remove(invitation=chair, by=cast.decision_maker)

    assert Invitation.objects.filter(pk=chair.pk).exists()


def test_an_invitee_whose_attendance_is_recorded_cannot_be_uninvited(cast, discussion):
    police = discussion.invitations.get(agency=cast.police)
    services.attendance_record(
        discussion=discussion, by=cast.decision_maker, attendance={police.pk: Attendance.ABSENT}
    )
    police.refresh_from_db()

    with pytest.raises(ValidationError, match="record them absent"):
        services.invitation_remove(invitation=police, by=cast.decision_maker)

    assert Invitation.objects.filter(pk=police.pk).exists()


def test_only_the_chair_or_a_lead_decision_maker_may_uninvite(cast, discussion):
    health = discussion.invitations.get(agency=cast.health)

    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.invitation_remove(invitation=health, by=cast.police_decision_maker)

    assert Invitation.objects.filter(pk=health.pk).exists()


def test_an_invitee_whose_attendance_was_recorded_since_the_page_loaded_cannot_be_uninvited(cast, discussion):
    """The service reads the invitation under the lock, not the caller's (older) copy."""
    health = discussion.invitations.get(agency=cast.health)
    services.attendance_record(
        discussion=discussion, by=cast.decision_maker, attendance={health.pk: Attendance.ATTENDED}
    )

    with pytest.raises(ValidationError, match="record them absent"):
        services.invitation_remove(invitation=health, by=cast.decision_maker)

    assert Invitation.objects.get(pk=health.pk).attendance == Attendance.ATTENDED


def test_a_discussion_before_the_referral_was_received_is_refused_naming_the_time(cast, required, convene):
    received = required.referral.received_at
    message = f"The discussion cannot be before the referral was received ({when(received)})."

    with pytest.raises(ValidationError) as refused:
        convene(scheduled_at=received - timedelta(minutes=30))
    assert refused.value.message_dict == {"scheduled_at": [message]}
    assert_nothing_convened(required.referral)

    discussion = convene()
    with pytest.raises(ValidationError) as refused:
        services.discussion_reschedule(
            discussion=discussion,
            by=cast.decision_maker,
            scheduled_at=received - timedelta(minutes=30),
            reason="It was held by phone.",
        )
    assert refused.value.message_dict == {"scheduled_at": [message]}
    discussion.refresh_from_db()
    assert discussion.scheduled_at >= received.replace(second=0, microsecond=0)
