"""A strategy discussion decides for every child of the referral, not only its subject: the subjects,
their siblings and a household member under 18 each get a decision, asked in one form and checked
all at once, and the record is signed off (the referral moving on) only when each has one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals import services as referral_services
from referrals.models import Outcome, State
from referrals.services import SubjectInput
from strategy import services
from strategy.models import Attendance, Decision, Mode, SubjectDecision
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def born(years_ago: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years_ago, day=min(today.day, 28))


@pytest.fixture
def family(cast):
    """A discussion of a child referral about a household: a subject, a sibling, a child and an adult of
    the household, a mother and an alleged perpetrator."""
    people = {
        "subject": PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=born(9)),
        "sibling": PersonFactory(given_name="Amelia", family_name="Smith", date_of_birth=born(4)),
        "child": PersonFactory(given_name="Tyler", family_name="Jones", date_of_birth=born(15)),
        "lodger": PersonFactory(given_name="Dean", family_name="Jones", date_of_birth=born(40)),
        "mother": PersonFactory(given_name="Kayleigh", family_name="Smith", date_of_birth=born(30)),
        "partner": PersonFactory(given_name="Ryan", family_name="Cole", date_of_birth=born(35)),
    }
    roles = {
        "sibling": "sibling",
        "child": "household_member",
        "lodger": "household_member",
        "mother": "parent_carer",
        "partner": "alleged_perpetrator",
    }
    referral = referral_services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mrs Price",
        account="Bruising seen at school.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(person=p, role=roles.get(key, "subject")) for key, p in people.items()],
    )
    referral_services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    referral_services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury.")
    referral_services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note="Clear enough."
    )
    services.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Harm.")
    discussion = services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.CALL,
        chair=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.police)],
    )
    return discussion, people


def test_the_discussion_decides_for_every_child_of_the_referral(family):
    discussion, people = family

    assert services.subjects_of(discussion) == [people["subject"], people["sibling"], people["child"]]


def test_a_child_left_without_a_decision_is_refused_and_every_one_is_named_at_once(cast, family):
    discussion, people = family

    with pytest.raises(ValidationError) as refused:
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=[services.DecisionInput(person=people["subject"], decision=Decision.S47_JOINT)],
        )

    assert refused.value.message_dict == {
        f"decision-{people['sibling'].pk}": ["Choose the decision for Amelia Smith."],
        f"decision-{people['child'].pk}": ["Choose the decision for Tyler Jones."],
    }
    assert not SubjectDecision.objects.exists()


def test_the_referral_moves_on_only_when_every_child_has_a_decision(cast, family):
    discussion, people = family
    services.attendance_record(
        discussion=discussion,
        by=cast.decision_maker,
        attendance={i.pk: Attendance.ATTENDED for i in discussion.invitations.all()},
    )
    services.record_update(discussion=discussion, by=cast.decision_maker, notes="", rationale="Harm.")
    assert services.sign_off_problems(discussion)["decisions"] == (
        "Record the decision for Jayden Smith, Amelia Smith, Tyler Jones."
    )
    with pytest.raises(ValidationError, match="Record the decision for Jayden Smith, Amelia Smith"):
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    discussion.referral.refresh_from_db()
    assert discussion.referral.state == State.STRATEGY_DISCUSSION

    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=[
            services.DecisionInput(person=people["subject"], decision=Decision.EARLY_HELP),
            services.DecisionInput(person=people["sibling"], decision=Decision.S47_JOINT, rationale="Too."),
            services.DecisionInput(person=people["child"], decision=Decision.NO_FURTHER_ACTION),
        ],
    )
    services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)

    discussion.referral.refresh_from_db()
    # The referral's outcome is the most serious of the children's decisions: the sibling's enquiry.
    assert (discussion.referral.state, discussion.referral.outcome) == (
        State.DECIDED,
        Outcome.STRATEGY_DISCUSSION,
    )
    assert sorted(discussion.decisions.values_list("person__given_name", "decision")) == [
        ("Amelia", Decision.S47_JOINT),
        ("Jayden", Decision.EARLY_HELP),
        ("Tyler", Decision.NO_FURTHER_ACTION),
    ]
