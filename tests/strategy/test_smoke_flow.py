import pytest

from referrals.models import State
from strategy import services
from strategy.models import Attendance, Decision
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db


def test_the_whole_flow(cast, discussion, person):
    invitations = {i.agency_id: i for i in discussion.invitations.all()}
    services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={
            i.pk: Attendance.ATTENDED if i.agency_id != cast.health.pk else Attendance.APOLOGIES
            for i in invitations.values()
        },
    )
    services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Risk."
    )
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT, "Injury."),
    )
    signed = services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    assert signed.status == "signed_off"
    discussion.referral.refresh_from_db()
    assert discussion.referral.state == State.DECIDED
