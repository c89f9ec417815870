"""Who sees a strategy discussion and the answers it considers, through the sharing policy.

While a discussion is open the invited agencies see it and each other's considered answers; once it is
signed off the agencies that attended keep both, an agency owning an action keeps the discussion, the
others lose what the discussion gave them (never their own answer). A cancelled discussion leaves no
grant. An agency never invited, and the outsider, never see any of it: refused with a 404, logged.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone

from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.policy import can_view, visible
from mash.sharing.services import record_read
from referrals import services as referral_services
from strategy import services
from strategy.models import Attendance, Decision, StrategyDiscussion
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db


def _denials(user, obj) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=AccessAction.DENIED,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


def assert_sees(user, *objects) -> None:
    for obj in objects:
        assert can_view(user, obj), f"{user} should see {obj!r}"
        assert visible(user, type(obj).objects.filter(pk=obj.pk)).exists(), f"{obj!r} not in {user}'s list"
        record_read(user=user, obj=obj)  # no refusal
        assert AccessLog.objects.filter(
            user=user, action=AccessAction.VIEW, object_id=str(obj.pk), object_repr=str(obj)[:200]
        ).exists()


def assert_blind(user, *objects) -> None:
    """Not viewable, in no list, and a read is a 404 with the refusal in the access log."""
    for obj in objects:
        assert not can_view(user, obj), f"{user} should not see {obj!r}"
        assert not visible(user, type(obj).objects.all()).filter(pk=obj.pk).exists(), (
            f"{obj!r} is in {user}'s list"
        )
        before = _denials(user, obj)
        with pytest.raises(Http404):
            record_read(user=user, obj=obj)
        assert _denials(user, obj) == before + 1, f"the refusal of {obj!r} to {user} was not logged"


def invitation(discussion, agency):
    return discussion.invitations.get(agency=agency)


def sign_off(cast, discussion, person, *, health=Attendance.APOLOGIES, police=Attendance.ATTENDED):
    """Police attend and health sends apologies (by default), then the chair signs the record off."""
    services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={
            invitation(discussion, cast.police).pk: police,
            invitation(discussion, cast.health).pk: health,
            invitation(discussion, cast.lead).pk: Attendance.ATTENDED,
        },
    )
    services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Injury and history."
    )
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT),
    )
    return services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)


@pytest.fixture
def answers(collated):
    return collated.police_answer, collated.health_answer


# Before and while the discussion is open


def test_before_a_discussion_each_agency_sees_only_its_own_answer(cast, required, answers):
    police_answer, health_answer = answers

    assert_sees(cast.health_researcher, health_answer)
    assert_blind(cast.health_researcher, police_answer)
    assert_sees(cast.police_researcher, police_answer)
    assert_blind(cast.police_researcher, health_answer)


def test_while_open_the_invited_agencies_see_the_discussion_and_each_others_answers(
    cast, discussion, answers
):
    police_answer, health_answer = answers

    # Health is invited as an agency: its researcher sees the police answer only through the discussion.
    assert_sees(cast.health_researcher, discussion, police_answer, health_answer)
    # The police are invited through a named decision maker; the grant is to the agency.
    assert_sees(cast.police_decision_maker, discussion, police_answer, health_answer)
    assert_sees(cast.police_researcher, discussion, health_answer)


def test_the_lead_agency_sees_everything(cast, discussion, answers):
    for user in (cast.decision_maker, cast.triage, cast.manager):
        assert_sees(user, discussion, *answers)


@pytest.mark.parametrize("who", ["researcher", "decision_maker"])
def test_an_agency_never_invited_sees_nothing(cast, discussion, answers, education, who):
    assert_blind(education[who], discussion, *answers)
    assert not visible(education[who], StrategyDiscussion.objects.all()).exists()


def test_the_outsider_sees_nothing(cast, discussion, answers):
    assert_blind(cast.outsider, discussion, *answers)
    assert not visible(cast.outsider, StrategyDiscussion.objects.all()).exists()


def test_the_threshold_decision_stays_with_the_lead_agency(cast, discussion, required):
    assert_sees(cast.decision_maker, required)
    for user in (cast.police_decision_maker, cast.health_researcher, cast.outsider):
        assert_blind(user, required)


# Sign-off


def test_on_sign_off_the_agency_that_attended_keeps_sight(cast, discussion, person, answers):
    police_answer, health_answer = answers

    sign_off(cast, discussion, person)

    assert_sees(cast.police_decision_maker, discussion, police_answer, health_answer)
    assert_sees(cast.police_researcher, discussion, health_answer)


def test_on_sign_off_the_agency_that_sent_apologies_loses_sight_but_keeps_its_own_answer(
    cast, discussion, person, answers
):
    police_answer, health_answer = answers

    sign_off(cast, discussion, person)

    assert_blind(cast.health_researcher, discussion, police_answer)
    assert_sees(cast.health_researcher, health_answer)


def test_on_sign_off_an_absent_agency_loses_sight_too(cast, discussion, person, answers):
    police_answer, health_answer = answers

    sign_off(cast, discussion, person, police=Attendance.ABSENT, health=Attendance.ATTENDED)

    assert_blind(cast.police_decision_maker, discussion, health_answer)
    assert_sees(cast.police_decision_maker, police_answer)
    assert_sees(cast.health_researcher, discussion, police_answer, health_answer)


def test_an_agency_owning_an_action_keeps_sight_of_the_discussion_but_not_the_answers(
    cast, discussion, person, answers
):
    police_answer, health_answer = answers
    services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Check the GP record for earlier injuries.",
        owner_agency=cast.health,
        due_on=timezone.localdate() + timedelta(days=3),
    )

    sign_off(cast, discussion, person)

    assert_sees(cast.health_researcher, discussion, health_answer)
    assert_blind(cast.health_researcher, police_answer)


def test_the_uninvited_stay_blind_after_sign_off(cast, discussion, person, answers, education):
    sign_off(cast, discussion, person)

    assert_blind(education["researcher"], discussion, *answers)
    assert_blind(cast.outsider, discussion, *answers)


def test_an_action_given_to_an_agency_not_invited_lets_it_see_the_discussion(
    cast, discussion, person, answers, education
):
    """action_add: 'the owner agency sees the discussion from now on'."""
    services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Ask the school about attendance.",
        owner_agency=education["agency"],
        due_on=timezone.localdate() + timedelta(days=3),
    )

    assert_sees(education["researcher"], discussion)
    assert_blind(education["researcher"], *answers)


def test_an_action_given_to_an_agency_not_invited_shows_it_the_signed_off_discussion(
    cast, discussion, person, answers, education
):
    services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Ask the school about attendance.",
        owner_agency=education["agency"],
        due_on=timezone.localdate() + timedelta(days=3),
    )

    sign_off(cast, discussion, person)

    assert_sees(education["researcher"], discussion)
    assert_blind(education["researcher"], *answers)


# Cancelling


def test_on_cancel_every_partner_loses_the_discussion_and_the_others_answers(cast, discussion, answers):
    police_answer, health_answer = answers

    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Family moved away.")

    assert_blind(cast.police_decision_maker, discussion, health_answer)
    assert_blind(cast.police_researcher, discussion, health_answer)
    assert_blind(cast.health_researcher, discussion, police_answer)
    assert_sees(cast.police_researcher, police_answer)
    assert_sees(cast.health_researcher, health_answer)
    assert_sees(cast.decision_maker, discussion, police_answer, health_answer)


def test_a_discussion_convened_after_a_cancelled_one_grants_sight_again(cast, discussion, convene, answers):
    police_answer, _ = answers
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Chair ill.")

    second = convene()

    assert_sees(cast.health_researcher, second, police_answer)
    assert_blind(cast.health_researcher, discussion)


# What is considered, and who is invited


def test_an_answer_no_longer_considered_is_revoked_from_the_invitees(cast, discussion, answers):
    police_answer, health_answer = answers

    services.considered_set(discussion=discussion, by=cast.decision_maker, requests=[health_answer])

    assert_blind(cast.health_researcher, police_answer)
    assert_sees(cast.health_researcher, discussion, health_answer)
    # The police keep their own answer: that grant belongs to their request.
    assert_sees(cast.police_researcher, discussion, police_answer, health_answer)


def test_an_answer_considered_again_is_granted_again(cast, discussion, answers):
    police_answer, health_answer = answers
    services.considered_set(discussion=discussion, by=cast.decision_maker, requests=[health_answer])

    services.considered_set(
        discussion=discussion, by=cast.decision_maker, requests=[health_answer, police_answer]
    )

    assert_sees(cast.health_researcher, police_answer)


def test_an_agency_uninvited_loses_sight(cast, discussion, answers):
    police_answer, health_answer = answers

    services.invitation_remove(invitation=invitation(discussion, cast.health), by=cast.decision_maker)

    assert_blind(cast.health_researcher, discussion, police_answer)
    assert_sees(cast.health_researcher, health_answer)
    assert_sees(cast.police_researcher, discussion, health_answer)


def test_an_agency_invited_later_sees_the_discussion_and_what_it_considers(
    cast, discussion, answers, education
):
    services.invitations_add(
        discussion=discussion, by=cast.decision_maker, invitees=[services.Invitee(agency=education["agency"])]
    )

    assert_sees(education["researcher"], discussion, *answers)
    assert_blind(cast.outsider, discussion, *answers)


def test_removing_the_only_action_of_an_agency_not_invited_takes_the_discussion_away(
    cast, discussion, education
):
    action = services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Ask the school about attendance.",
        owner_agency=education["agency"],
        due_on=timezone.localdate() + timedelta(days=3),
    )

    services.action_remove(action=action, by=cast.decision_maker)

    assert_blind(education["researcher"], discussion)


def test_an_answer_dropped_stays_with_an_agency_that_saw_it_at_an_earlier_discussion(
    cast, discussion, convene, person, answers
):
    """The referral comes back (closed, reopened, sent to strategy again): health attended the first
    discussion, so dropping the police answer from the second does not take it away."""
    police_answer, health_answer = answers
    sign_off(cast, discussion, person, health=Attendance.ATTENDED)
    referral = discussion.referral
    referral_services.referral_close(referral=referral, by=cast.triage)
    referral_services.referral_reopen(referral=referral, by=cast.triage, reason="New incident reported.")
    referral_services.referral_transition(
        referral=referral, by=cast.triage, to_state="awaiting_threshold_decision", note="Known family."
    )
    services.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Again.")
    second = convene()

    services.considered_set(discussion=second, by=cast.decision_maker, requests=[health_answer])

    assert_sees(cast.health_researcher, second, discussion, police_answer)
