"""A police decision maker may chair a discussion: they record it and sign it off, and the referral
takes its outcome from their signed record."""

import pytest
from django.core.exceptions import ValidationError

from referrals.models import State
from strategy import services
from strategy.models import Attendance, Decision
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db


def test_a_police_chair_records_and_signs_off(cast, convene, person):
    discussion = convene(chair=cast.police_decision_maker)
    chair_invitation = discussion.invitations.get(user=cast.police_decision_maker)
    assert chair_invitation.agency == cast.police
    services.attendance_record(
        discussion=discussion,
        by=cast.police_decision_maker,
        attendance={i.pk: Attendance.ATTENDED for i in discussion.invitations.all()},
    )
    services.record_update(
        discussion=discussion, by=cast.police_decision_maker, notes="Joint visit today.", rationale="Injury."
    )
    services.decisions_record(
        discussion=discussion,
        by=cast.police_decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT),
    )
    services.discussion_sign_off(discussion=discussion, by=cast.police_decision_maker)
    discussion.referral.refresh_from_db()
    assert discussion.referral.state == State.DECIDED
    assert discussion.referral.outcome == "strategy_discussion"
    assert discussion.referral.outcome_by == cast.police_decision_maker


def test_a_police_decision_maker_who_is_not_the_chair_may_not_record(cast, discussion):
    with pytest.raises(ValidationError, match="Only the chair or a lead decision maker"):
        services.record_update(discussion=discussion, by=cast.police_decision_maker, notes="x", rationale="y")
    discussion.refresh_from_db()
    assert discussion.notes == ""
