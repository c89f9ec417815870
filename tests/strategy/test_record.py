"""The discussion's record: attendance, decisions, sign-off (and the lock it puts on the record),
addenda, section 47 findings and the initial child protection conference clock."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.calendar import Calendar
from mash.clocks.models import Clock, ClockBasis
from referrals import services as referral_services
from referrals.models import EventKind, Outcome, State, TimelineEvent
from referrals.services import SubjectInput
from strategy import services
from strategy.models import (
    Addendum,
    Attendance,
    Decision,
    DiscussionStatus,
    Mode,
    Section47Finding,
    SubjectDecision,
)
from strategy.services.record import CONFERENCE_CLOCK
from tests.factories import PersonFactory
from tests.information_requests.support import notifications
from tests.strategy.support import every_child

pytestmark = pytest.mark.django_db


def everyone(discussion, value=Attendance.ATTENDED) -> dict[int, str]:
    return {pk: value for pk in discussion.invitations.values_list("pk", flat=True)}


def record(cast, discussion, person, decision=Decision.S47_JOINT):
    services.attendance_record(discussion=discussion, by=cast.decision_maker, attendance=everyone(discussion))
    services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Injury and history."
    )
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, decision, "Agreed."),
    )


def signed(cast, discussion, person, decision=Decision.S47_JOINT):
    record(cast, discussion, person, decision)
    return services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)


def fresh(discussion):
    discussion.refresh_from_db()
    return discussion


@pytest.fixture
def adult(cast):
    """An adult referral at a strategy discussion (convened, health invited), and its subject."""
    person = PersonFactory(given_name="Margaret", family_name="Hale", date_of_birth="1941-03-02")
    referral = referral_services.referral_create(
        by=cast.triage,
        kind="adult",
        channel="phone",
        referrer_name="District nurse",
        account="Unexplained bruising; carer refuses entry.",
        concerns=["physical", "self_neglect"],
        consent="given",
        adult_wishes="Wants to stay in her own home.",
        subjects=[SubjectInput(person=person)],
    )
    referral_services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    referral_services.referral_rate(referral=referral, by=cast.triage, rating="amber", rationale="Injury.")
    referral_services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note="Clear enough."
    )
    services.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Abuse.")
    discussion = services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode=Mode.CALL,
        chair=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.health)],
    )
    return discussion, person


# Attendance


@pytest.mark.parametrize("value", ["maybe", "ATTENDED", None])
def test_an_attendance_not_in_the_list_is_refused(cast, discussion, value):
    police = discussion.invitations.get(agency=cast.police)

    with pytest.raises(ValidationError) as refused:
        services.attendance_record(
            discussion=discussion,
            by=cast.decision_maker,
            attendance={discussion.invitations.get(agency=cast.health).pk: "attended", police.pk: value},
        )

    assert f"attendance-{police.pk}" in refused.value.message_dict
    # Nothing written, not even the valid half.
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {""}
    assert fresh(discussion).version == 1


def test_attendance_of_someone_not_invited_is_refused(cast, discussion, convene):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Re-convened.")
    second = convene()
    old = discussion.invitations.first()

    with pytest.raises(ValidationError) as refused:
        services.attendance_record(
            discussion=second, by=cast.decision_maker, attendance={old.pk: Attendance.ATTENDED}
        )

    assert "attendance" in refused.value.message_dict
    old.refresh_from_db()
    assert old.attendance == ""


def test_attendance_is_recorded_and_bumps_the_version(cast, discussion):
    values = {
        discussion.invitations.get(agency=cast.police).pk: Attendance.ATTENDED,
        discussion.invitations.get(agency=cast.health).pk: Attendance.APOLOGIES,
        discussion.invitations.get(agency=cast.lead).pk: Attendance.ABSENT,
    }

    services.attendance_record(discussion=discussion, by=cast.decision_maker, attendance=values)

    assert dict(discussion.invitations.values_list("pk", "attendance")) == values
    assert fresh(discussion).version == 2


def test_only_the_chair_or_a_lead_decision_maker_records(cast, discussion):
    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.attendance_record(
            discussion=discussion, by=cast.police_decision_maker, attendance=everyone(discussion)
        )
    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.record_update(discussion=discussion, by=cast.triage, notes="x", rationale="y")


# Decisions


def test_a_decision_for_someone_the_discussion_does_not_decide_about_is_refused(cast, discussion):
    stranger = PersonFactory()

    with pytest.raises(ValidationError) as refused:
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=[
                *every_child(discussion, Decision.EARLY_HELP),
                services.DecisionInput(person=stranger, decision=Decision.EARLY_HELP),
            ],
        )

    assert refused.value.message_dict["decisions"] == [
        f"{stranger} is not a child this discussion decides about."
    ]
    assert not SubjectDecision.objects.exists()


@pytest.mark.parametrize("decision", [Decision.SECTION_42_ENQUIRY, Decision.OTHER_ENQUIRY, "bogus"])
def test_a_child_gets_only_a_decision_for_a_child(cast, discussion, person, decision):
    with pytest.raises(ValidationError) as refused:
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=every_child(discussion, decision),
        )

    assert f"decision-{person.pk}" in refused.value.message_dict
    assert not SubjectDecision.objects.exists()


@pytest.mark.parametrize(
    "decision", [Decision.S47_SINGLE, Decision.S47_JOINT, Decision.CHILD_AND_FAMILY_ASSESSMENT, "bogus"]
)
def test_an_adult_gets_only_a_decision_for_an_adult(cast, adult, decision):
    discussion, person = adult

    with pytest.raises(ValidationError) as refused:
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=every_child(discussion, decision),
        )

    assert f"decision-{person.pk}" in refused.value.message_dict


def test_a_decision_recorded_again_replaces_the_first(cast, discussion, person):
    for decision in (Decision.EARLY_HELP, Decision.S47_SINGLE):
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=every_child(discussion, decision, " Why. "),
        )

    row, sibling = SubjectDecision.objects.filter(discussion=discussion)
    assert (row.person, row.decision, row.rationale) == (person, Decision.S47_SINGLE, "Why.")
    assert (sibling.decision, sibling.rationale) == (Decision.NO_FURTHER_ACTION, "Why.")


# Sign-off refused


def test_sign_off_lists_what_is_missing_and_changes_nothing(cast, discussion, person):
    referral = discussion.referral
    events = TimelineEvent.objects.filter(referral=referral).count()
    version = fresh(discussion).version

    with pytest.raises(ValidationError) as refused:
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)

    problems = refused.value.message_dict
    assert set(problems) == {"attendance", "decisions", "rationale"}
    assert person.full_name in problems["decisions"][0]
    discussion = fresh(discussion)
    assert (discussion.status, discussion.version, discussion.signed_off_at) == (
        DiscussionStatus.SCHEDULED,
        version,
        None,
    )
    assert discussion.threshold_decision.strategy_clock.stopped_at is None
    referral.refresh_from_db()
    assert (referral.state, referral.outcome) == (State.STRATEGY_DISCUSSION, "")
    assert TimelineEvent.objects.filter(referral=referral).count() == events


def test_sign_off_names_each_problem_alone(cast, discussion, person):
    services.attendance_record(discussion=discussion, by=cast.decision_maker, attendance=everyone(discussion))
    services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, Decision.S47_JOINT),
    )
    services.record_update(discussion=discussion, by=cast.decision_maker, notes="Notes only.", rationale=" ")

    with pytest.raises(ValidationError) as refused:
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)

    assert set(refused.value.message_dict) == {"rationale"}


def test_one_invitee_without_attendance_blocks_sign_off(cast, discussion, person):
    record(cast, discussion, person)
    services.invitations_add(
        discussion=discussion,
        by=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.outsider_agency)],
    )

    assert set(services.sign_off_problems(fresh(discussion))) == {"attendance"}


def test_a_discussion_not_yet_held_cannot_be_signed_off(cast, convene, person):
    discussion = convene(scheduled_at=timezone.now() + timedelta(hours=2))
    record(cast, discussion, person)

    with pytest.raises(ValidationError) as refused:
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)

    assert set(refused.value.message_dict) == {"scheduled_at"}
    assert fresh(discussion).status == DiscussionStatus.SCHEDULED


def test_only_the_chair_or_a_lead_decision_maker_signs_off(cast, discussion, person):
    record(cast, discussion, person)

    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.discussion_sign_off(discussion=discussion, by=cast.police_decision_maker)

    assert fresh(discussion).status == DiscussionStatus.SCHEDULED


def test_a_stale_sign_off_is_refused(cast, discussion, person):
    record(cast, discussion, person)

    with pytest.raises(ValidationError) as refused:
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker, expected_version=1)

    assert refused.value.code == "stale"
    assert fresh(discussion).status == DiscussionStatus.SCHEDULED


# Sign-off


def test_sign_off_stops_the_strategy_clock_when_the_discussion_was_held(cast, discussion, person):
    clock = discussion.threshold_decision.strategy_clock

    signed(cast, discussion, person)

    clock.refresh_from_db()
    assert clock.stopped_at == max(discussion.scheduled_at, clock.started_at)
    assert clock.met is True


def test_sign_off_moves_the_referral_to_its_outcome_and_writes_the_timeline(cast, discussion, person):
    signed(cast, discussion, person)

    discussion = fresh(discussion)
    assert discussion.status == DiscussionStatus.SIGNED_OFF
    assert (discussion.signed_off_by, discussion.signed_off_at is not None) == (cast.decision_maker, True)
    referral = discussion.referral
    referral.refresh_from_db()
    assert referral.state == State.DECIDED
    assert referral.outcome == Outcome.STRATEGY_DISCUSSION
    assert referral.outcome_by == cast.decision_maker
    assert "Injury and history." in referral.outcome_rationale
    strategy = TimelineEvent.objects.filter(referral=referral, kind=EventKind.STRATEGY).last()
    assert "signed off" in strategy.note
    assert f"{person.full_name}: Section 47 enquiry (joint with police)" in strategy.note
    outcome = TimelineEvent.objects.get(referral=referral, kind=EventKind.OUTCOME)
    assert (outcome.from_state, outcome.to_state) == (State.STRATEGY_DISCUSSION, State.DECIDED)


def test_sign_off_tells_the_named_attendees(cast, discussion, person):
    signed(cast, discussion, person)

    for user in (cast.police_decision_maker, cast.decision_maker):
        assert list(
            notifications(user, "strategy_discussion.signed_off").values_list("channel", flat=True)
        ) == ["in_app"]


@pytest.mark.parametrize(
    ("decision", "outcome"),
    [
        (Decision.S47_SINGLE, Outcome.STRATEGY_DISCUSSION),
        (Decision.POLICE_INVESTIGATION, Outcome.STRATEGY_DISCUSSION),
        (Decision.CHILD_AND_FAMILY_ASSESSMENT, Outcome.CHILD_AND_FAMILY_ASSESSMENT),
        (Decision.EARLY_HELP, Outcome.EARLY_HELP),
        (Decision.NO_FURTHER_ACTION, Outcome.NO_FURTHER_ACTION),
    ],
)
def test_a_childs_outcome_follows_the_decision(cast, discussion, person, decision, outcome):
    signed(cast, discussion, person, decision)

    discussion.referral.refresh_from_db()
    assert discussion.referral.outcome == outcome


@pytest.mark.parametrize(
    ("decision", "outcome"),
    [
        (Decision.SECTION_42_ENQUIRY, Outcome.SECTION_42_ENQUIRY),
        (Decision.OTHER_ENQUIRY, Outcome.OTHER_ENQUIRY),
        (Decision.INFORMATION_AND_ADVICE, Outcome.INFORMATION_AND_ADVICE),
        (Decision.NO_FURTHER_ACTION, Outcome.NO_FURTHER_ACTION),
    ],
)
def test_an_adults_outcome_follows_the_decision(cast, adult, decision, outcome):
    discussion, person = adult

    signed(cast, discussion, person, decision)

    referral = discussion.referral
    referral.refresh_from_db()
    assert (referral.state, referral.outcome) == (State.DECIDED, outcome)


def test_a_signed_off_record_is_locked(cast, discussion, person):
    signed(cast, discussion, person)
    version = fresh(discussion).version
    tomorrow = timezone.localdate() + timedelta(days=1)

    attempts = {
        "attendance": lambda: services.attendance_record(
            discussion=discussion, by=cast.decision_maker, attendance=everyone(discussion, Attendance.ABSENT)
        ),
        "record": lambda: services.record_update(
            discussion=discussion, by=cast.decision_maker, notes="Rewritten.", rationale="Rewritten."
        ),
        "decisions": lambda: services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=every_child(discussion, Decision.NO_FURTHER_ACTION),
        ),
        "action": lambda: services.action_add(
            discussion=discussion,
            by=cast.decision_maker,
            description="Late action.",
            owner_agency=cast.police,
            due_on=tomorrow,
        ),
        "reschedule": lambda: services.discussion_reschedule(
            discussion=discussion, by=cast.decision_maker, scheduled_at=timezone.now(), reason="Again."
        ),
        "cancel": lambda: services.discussion_cancel(
            discussion=discussion, by=cast.decision_maker, reason="Too late."
        ),
        "sign-off": lambda: services.discussion_sign_off(discussion=discussion, by=cast.decision_maker),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationError, match="signed off: add an addendum"):
            attempt()
        assert fresh(discussion).version == version, name

    discussion = fresh(discussion)
    assert (discussion.notes, discussion.rationale) == ("Discussed.", "Injury and history.")
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {Attendance.ATTENDED}
    assert discussion.decisions.get(person=person).decision == Decision.S47_JOINT
    assert not discussion.actions.exists()


# Addenda


def test_an_open_record_takes_no_addendum(cast, discussion):
    with pytest.raises(ValidationError, match="Only a signed-off record takes addenda"):
        services.addendum_add(discussion=discussion, by=cast.decision_maker, text="Later news.")

    assert not Addendum.objects.exists()


def test_a_cancelled_discussion_takes_no_addendum(cast, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    with pytest.raises(ValidationError, match="Only a signed-off record takes addenda"):
        services.addendum_add(discussion=discussion, by=cast.decision_maker, text="Later news.")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_addendum_needs_text(cast, discussion, person, text):
    signed(cast, discussion, person)

    with pytest.raises(ValidationError) as refused:
        services.addendum_add(discussion=discussion, by=cast.decision_maker, text=text)

    assert "text" in refused.value.message_dict
    assert not Addendum.objects.exists()


def test_an_addendum_follows_the_signed_record(cast, discussion, person):
    signed(cast, discussion, person)
    version = fresh(discussion).version

    addendum = services.addendum_add(
        discussion=discussion, by=cast.decision_maker, text=" Police confirmed the arrest. "
    )

    assert (addendum.text, addendum.by) == ("Police confirmed the arrest.", cast.decision_maker)
    discussion = fresh(discussion)
    assert discussion.version == version + 1
    assert discussion.rationale == "Injury and history."
    event = TimelineEvent.objects.filter(referral=discussion.referral, kind=EventKind.STRATEGY).last()
    assert "Addendum" in event.note and "Police confirmed the arrest." in event.note


def test_only_the_chair_or_a_lead_decision_maker_adds_an_addendum(cast, discussion, person):
    signed(cast, discussion, person)

    with pytest.raises(ValidationError, match="chair or a lead decision maker"):
        services.addendum_add(discussion=discussion, by=cast.police_decision_maker, text="Mine.")


# Section 47 findings and the conference clock


def test_a_finding_waits_for_sign_off(cast, discussion, person):
    record(cast, discussion, person)
    decision = discussion.decisions.get(person=person)

    with pytest.raises(ValidationError, match="once the record is signed off"):
        services.finding_record(
            decision=decision, by=cast.decision_maker, finding=Section47Finding.CONTINUING_RISK
        )

    decision.refresh_from_db()
    assert decision.finding == ""


@pytest.mark.parametrize("outcome", [Decision.EARLY_HELP, Decision.POLICE_INVESTIGATION])
def test_a_finding_is_for_a_section_47_enquiry_only(cast, discussion, person, outcome):
    signed(cast, discussion, person, outcome)
    decision = discussion.decisions.get(person=person)

    with pytest.raises(ValidationError) as refused:
        services.finding_record(
            decision=decision, by=cast.decision_maker, finding=Section47Finding.NOT_SUBSTANTIATED
        )

    assert "finding" in refused.value.message_dict


def test_a_finding_must_be_one_of_the_list(cast, discussion, person):
    signed(cast, discussion, person)

    with pytest.raises(ValidationError) as refused:
        services.finding_record(
            decision=discussion.decisions.get(person=person), by=cast.decision_maker, finding="maybe"
        )

    assert "finding" in refused.value.message_dict


def test_a_finding_is_recorded_once(cast, discussion, person):
    signed(cast, discussion, person)
    decision = discussion.decisions.get(person=person)
    services.finding_record(
        decision=decision, by=cast.decision_maker, finding=Section47Finding.NOT_SUBSTANTIATED
    )

    with pytest.raises(ValidationError) as refused:
        services.finding_record(
            decision=decision, by=cast.decision_maker, finding=Section47Finding.CONTINUING_RISK
        )

    assert "finding" in refused.value.message_dict
    decision.refresh_from_db()
    assert decision.finding == Section47Finding.NOT_SUBSTANTIATED
    assert decision.conference_clock is None


def test_continuing_risk_starts_the_conference_clock_15_working_days_from_the_discussion(
    cast, discussion, person
):
    signed(cast, discussion, person, Decision.S47_SINGLE)

    decision = services.finding_record(
        decision=discussion.decisions.get(person=person),
        by=cast.decision_maker,
        finding=Section47Finding.CONTINUING_RISK,
    )

    decision.refresh_from_db()
    assert (decision.finding, decision.finding_by) == (Section47Finding.CONTINUING_RISK, cast.decision_maker)
    clock = decision.conference_clock
    assert clock.kind == CONFERENCE_CLOCK == "initial child protection conference"
    assert (clock.basis, clock.amount) == (ClockBasis.WORKING_DAYS, 15)
    assert clock.started_at == discussion.scheduled_at
    assert clock.due_at == Calendar().add_working_days(discussion.scheduled_at, 15)
    assert clock.stopped_at is None
    event = TimelineEvent.objects.filter(referral=discussion.referral, kind=EventKind.STRATEGY).last()
    assert "continuing risk" in event.note and "conference due by" in event.note


@pytest.mark.parametrize("finding", [Section47Finding.NOT_SUBSTANTIATED, Section47Finding.NO_CONTINUING_RISK])
def test_other_findings_start_no_clock(cast, discussion, person, finding):
    signed(cast, discussion, person)

    decision = services.finding_record(
        decision=discussion.decisions.get(person=person), by=cast.decision_maker, finding=finding
    )

    assert decision.conference_clock is None
    assert not Clock.objects.filter(kind=CONFERENCE_CLOCK).exists()


def test_the_conference_held_stops_its_clock(cast, discussion, person):
    signed(cast, discussion, person)
    decision = services.finding_record(
        decision=discussion.decisions.get(person=person),
        by=cast.decision_maker,
        finding=Section47Finding.CONTINUING_RISK,
    )

    services.conference_held(decision=decision, by=cast.decision_maker)

    clock = Clock.objects.get(kind=CONFERENCE_CLOCK)
    assert clock.stopped_at is not None
    assert clock.met is True


def test_a_conference_cannot_be_held_in_the_future_or_before_the_discussion(cast, discussion, person):
    signed(cast, discussion, person)
    decision = services.finding_record(
        decision=discussion.decisions.get(person=person),
        by=cast.decision_maker,
        finding=Section47Finding.CONTINUING_RISK,
    )

    for held_at in (timezone.now() + timedelta(hours=1), discussion.scheduled_at - timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.conference_held(decision=decision, by=cast.decision_maker, held_at=held_at)
        assert "held_at" in refused.value.message_dict

    assert Clock.objects.get(kind=CONFERENCE_CLOCK).stopped_at is None


def test_no_conference_is_due_without_continuing_risk(cast, discussion, person):
    signed(cast, discussion, person)
    decision = services.finding_record(
        decision=discussion.decisions.get(person=person),
        by=cast.decision_maker,
        finding=Section47Finding.NO_CONTINUING_RISK,
    )

    with pytest.raises(ValidationError, match="No conference is due"):
        services.conference_held(decision=decision, by=cast.decision_maker)
