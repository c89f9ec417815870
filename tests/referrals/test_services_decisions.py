"""The MASH decision (referral_record_outcome), closing with feedback to the referrer, reopening."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.models import Clock
from mash.notifications.delivery import deliver
from mash.notifications.models import Channel, Notification, Status
from referrals import services
from referrals.models import ADULT_OUTCOMES, CHILD_OUTCOMES, EventKind, State
from tests.referrals.factories import REFERRER_EMAIL, move_to, working_days_ago
from tests.referrals.helpers import (
    LEAD_BUT_NOT_DECISION,
    LEAD_BUT_NOT_TRIAGE,
    OUTSIDE_THE_LEAD_AGENCY,
    error_fields,
    snapshot,
)

pytestmark = pytest.mark.django_db


def decide(referral, by, outcome="nfa", rationale="No concerns remain."):
    return services.referral_record_outcome(referral=referral, by=by, outcome=outcome, rationale=rationale)


# referral_record_outcome -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["decision_maker", "manager"])
def test_decision_makers_and_managers_record_the_outcome(cast, referral_in, role):
    user = getattr(cast, role)
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION)
    decide(referral, user, outcome="early_help", rationale="  Family want support. ")
    referral.refresh_from_db()
    assert referral.state == State.DECIDED
    assert (referral.outcome, referral.outcome_rationale, referral.outcome_by) == (
        "early_help",
        "Family want support.",
        user,
    )
    assert referral.outcome_at is not None
    event = referral.timeline.latest("at", "pk")
    assert (event.kind, event.from_state, event.to_state, event.by, event.note) == (
        EventKind.OUTCOME,
        State.AWAITING_THRESHOLD_DECISION,
        State.DECIDED,
        user,
        "Early help: Family want support.",
    )


def test_nobody_else_records_the_outcome(cast, referral_in, subtests):
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION)
    before = snapshot(referral)
    for role in [*LEAD_BUT_NOT_DECISION, *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's decision makers may record"),
        ):
            decide(referral, getattr(cast, role))
    assert snapshot(referral) == before


@pytest.mark.parametrize("outcome", CHILD_OUTCOMES)
def test_it_records_each_child_outcome_on_a_child_referral(cast, referral_in, outcome):
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION, kind="child")
    decide(referral, cast.decision_maker, outcome=outcome)
    referral.refresh_from_db()
    assert referral.outcome == outcome


@pytest.mark.parametrize("outcome", ADULT_OUTCOMES)
def test_it_records_each_adult_outcome_on_an_adult_referral(cast, referral_in, outcome):
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION, kind="adult", adult_wishes="To stay at home.")
    decide(referral, cast.decision_maker, outcome=outcome)
    referral.refresh_from_db()
    assert referral.outcome == outcome


@pytest.mark.parametrize(
    ("kind", "refused"),
    [
        ("child", ["s42_enquiry", "other_enquiry", "made_up"]),
        ("adult", ["early_help", "s17_assessment", "strategy_discussion", "immediate_protection", "made_up"]),
    ],
)
def test_it_refuses_an_outcome_of_the_wrong_kind(cast, referral_in, subtests, kind, refused):
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION, kind=kind)
    before = snapshot(referral)
    expected = "an adult" if kind == "adult" else "a child"
    for outcome in refused:
        with subtests.test(outcome=outcome):
            with pytest.raises(ValidationError) as excinfo:
                decide(referral, cast.decision_maker, outcome=outcome)
            assert excinfo.value.message_dict == {
                "outcome": [f"Choose one of the outcomes for {expected} referral."]
            }
    assert snapshot(referral) == before


@pytest.mark.parametrize("rationale", ["", "   "])
def test_an_outcome_needs_a_rationale(cast, referral_in, rationale):
    referral = referral_in(State.AWAITING_THRESHOLD_DECISION)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        decide(referral, cast.decision_maker, rationale=rationale)
    assert error_fields(excinfo) == {"rationale"}
    assert snapshot(referral) == before


@pytest.mark.parametrize("state", [State.SCREENING, State.AWAITING_THRESHOLD_DECISION])
def test_an_outcome_is_recorded_from_screening_or_awaiting_a_decision(cast, referral_in, state):
    referral = referral_in(state)
    decide(referral, cast.decision_maker)
    referral.refresh_from_db()
    assert referral.state == State.DECIDED
    assert referral.timeline.latest("at", "pk").from_state == state


@pytest.mark.parametrize("state", [State.RECEIVED, State.INFORMATION_GATHERING, State.DECIDED, State.CLOSED])
def test_an_outcome_is_refused_in_any_other_state(cast, referral_in, state):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(
        ValidationError, match=f"An outcome cannot be recorded on a {State(state).label.lower()} referral"
    ):
        decide(referral, cast.decision_maker)
    assert snapshot(referral) == before


def test_an_outcome_in_time_stops_the_decision_clock_as_met(cast, new_referral):
    referral = move_to(
        new_referral(received_at=timezone.now() - timedelta(minutes=5)),
        State.AWAITING_THRESHOLD_DECISION,
        cast=cast,
    )
    decide(referral, cast.decision_maker)
    referral.refresh_from_db()
    clock = Clock.objects.get(pk=referral.decision_clock_id)
    assert clock.stopped_at == referral.outcome_at
    assert clock.met is True
    assert clock.breached_at is None


def test_an_outcome_three_working_days_after_receipt_is_a_breach(cast, new_referral):
    referral = move_to(
        new_referral(received_at=working_days_ago(3)), State.AWAITING_THRESHOLD_DECISION, cast=cast
    )
    decide(referral, cast.decision_maker)
    referral.refresh_from_db()
    clock = Clock.objects.get(pk=referral.decision_clock_id)
    assert clock.stopped_at == referral.outcome_at
    assert clock.met is False
    assert clock.breached_at == clock.stopped_at


# referral_close ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [("child", "early_help"), ("child", "nfa"), ("child", "strategy_discussion"), ("adult", "s42_enquiry")],
)
def test_closing_sends_the_referrer_feedback_through_the_outbox(
    cast, person, new_referral, django_capture_on_commit_callbacks, kind, outcome
):
    referral = move_to(new_referral(person=person, kind=kind), State.AWAITING_THRESHOLD_DECISION, cast=cast)
    decide(referral, cast.decision_maker, outcome=outcome, rationale="Jayden Smith is safe at home.")
    with django_capture_on_commit_callbacks() as callbacks:
        services.referral_close(referral=referral, by=cast.triage)
    referral.refresh_from_db()
    assert referral.state == State.CLOSED
    assert referral.closed_at is not None

    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.address) == (None, REFERRER_EMAIL)
    assert (notification.channel, notification.status, notification.event) == (
        Channel.EMAIL,
        Status.PENDING,
        "referral.feedback",
    )
    assert notification.subject == referral
    assert len(callbacks) == 1, "delivery is enqueued after commit"

    assert deliver(notification.pk) is True
    [email] = mail.outbox
    assert email.to == [REFERRER_EMAIL]
    assert email.subject == f"Your referral {referral.reference}"
    explanation = services.FEEDBACK_EXPLANATIONS[outcome]
    assert explanation in email.body
    assert not any(
        text in email.body for text in services.FEEDBACK_EXPLANATIONS.values() if text != explanation
    ), "the body is composed from this outcome only"
    assert referral.reference in email.body and "Dear Mrs Joan Price" in email.body
    for secret in ("Jayden", "Smith", "bruising", "safe at home"):
        assert secret not in email.body, f"the e-mail gives away {secret!r}: e-mail is not secure"
        assert secret not in email.subject

    feedback = referral.timeline.get(kind=EventKind.FEEDBACK)
    assert feedback.by == cast.triage
    assert feedback.note == f"E-mailed to {REFERRER_EMAIL}:\n\n{notification.body}"
    closed = referral.timeline.latest("at", "pk")
    assert (closed.kind, closed.from_state, closed.to_state, closed.by) == (
        EventKind.TRANSITION,
        State.DECIDED,
        State.CLOSED,
        cast.triage,
    )


def test_without_an_email_address_a_feedback_note_is_required(cast, referral_in, subtests):
    referral = referral_in(State.DECIDED, referrer_email="")
    before = snapshot(referral)
    for note in ("", "  "):
        with subtests.test(note=note):
            with pytest.raises(ValidationError) as excinfo:
                services.referral_close(referral=referral, by=cast.triage, feedback_note=note)
            assert error_fields(excinfo) == {"feedback_note"}
    assert snapshot(referral) == before

    services.referral_close(referral=referral, by=cast.triage, feedback_note=" Told Mrs Price by phone. ")
    referral.refresh_from_db()
    assert referral.state == State.CLOSED
    assert referral.timeline.get(kind=EventKind.FEEDBACK).note == "Told Mrs Price by phone."
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("state", [s for s in State.values if s != State.DECIDED])
def test_only_a_decided_referral_closes(cast, referral_in, state):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="Only a decided referral can be closed"):
        services.referral_close(referral=referral, by=cast.triage, feedback_note="Told by phone.")
    assert snapshot(referral) == before


@pytest.mark.parametrize("role", ["triage", "decision_maker", "manager"])
def test_the_lead_triage_team_closes_a_referral(cast, referral_in, role):
    referral = referral_in(State.DECIDED)
    services.referral_close(referral=referral, by=getattr(cast, role))
    referral.refresh_from_db()
    assert referral.state == State.CLOSED


def test_nobody_else_closes_a_referral(cast, referral_in, subtests):
    referral = referral_in(State.DECIDED)
    before = snapshot(referral)
    for role in ["governance", *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage team may close"),
        ):
            services.referral_close(referral=referral, by=getattr(cast, role))
    assert snapshot(referral) == before


def test_a_referral_closed_again_after_reopening_sends_new_feedback(cast, referral_in):
    referral = referral_in(State.CLOSED)
    services.referral_reopen(referral=referral, by=cast.triage, reason="New concerns.")
    decide(referral, cast.decision_maker, outcome="s17_assessment", rationale="New concerns.")
    services.referral_close(referral=referral, by=cast.triage)
    bodies = list(Notification.objects.order_by("pk").values_list("body", flat=True))
    assert len(bodies) == 2
    assert services.FEEDBACK_EXPLANATIONS["s17_assessment"] in bodies[1]


# referral_reopen ---------------------------------------------------------------------------------


def test_reopening_returns_a_closed_referral_to_screening_and_clears_the_outcome(cast, referral_in):
    referral = referral_in(State.CLOSED)
    services.referral_reopen(referral=referral, by=cast.triage, reason="  The school rang again.  ")
    referral.refresh_from_db()
    assert referral.state == State.SCREENING
    assert (referral.outcome, referral.outcome_rationale, referral.outcome_at, referral.outcome_by) == (
        "",
        "",
        None,
        None,
    )
    assert referral.closed_at is None
    event = referral.timeline.latest("at", "pk")
    assert (event.kind, event.from_state, event.to_state, event.by, event.note) == (
        EventKind.REOPENED,
        State.CLOSED,
        State.SCREENING,
        cast.triage,
        "The school rang again.",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(cast, referral_in, reason):
    referral = referral_in(State.CLOSED)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_reopen(referral=referral, by=cast.triage, reason=reason)
    assert error_fields(excinfo) == {"reason"}
    assert snapshot(referral) == before


@pytest.mark.parametrize("state", [s for s in State.values if s != State.CLOSED])
def test_only_a_closed_referral_reopens(cast, referral_in, state):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="Only a closed referral can be reopened"):
        services.referral_reopen(referral=referral, by=cast.triage, reason="New concerns.")
    assert snapshot(referral) == before


def test_only_triage_practitioners_and_managers_reopen(cast, referral_in, subtests):
    referral = referral_in(State.CLOSED)
    before = snapshot(referral)
    for role in [*LEAD_BUT_NOT_TRIAGE, *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage practitioners may reopen"),
        ):
            services.referral_reopen(referral=referral, by=getattr(cast, role), reason="New concerns.")
    assert snapshot(referral) == before
    services.referral_reopen(referral=referral, by=cast.manager, reason="New concerns.")
    referral.refresh_from_db()
    assert referral.state == State.SCREENING


def test_the_queue_order_key_is_the_decision_clock_due_time_and_moves_with_a_reopening(cast, referral_in):
    referral = referral_in(State.CLOSED)
    first_clock = referral.decision_clock
    assert referral.decision_due_at == first_clock.due_at
    services.referral_reopen(referral=referral, by=cast.triage, reason="The school rang again.")
    referral.refresh_from_db()
    assert referral.decision_clock_id != first_clock.pk
    assert referral.decision_due_at == referral.decision_clock.due_at
    assert Clock.objects.get(pk=referral.decision_clock_id).due_at == referral.decision_due_at
