"""Moving a referral along (TRANSITIONS), RAG-rating it and assigning it."""

from itertools import product

import pytest
from django.core.exceptions import ValidationError

from referrals import services
from referrals.models import EventKind, Rag, State
from tests.referrals.helpers import (
    LEAD_BUT_NOT_TRIAGE,
    OUTSIDE_THE_LEAD_AGENCY,
    error_fields,
    snapshot,
)

pytestmark = pytest.mark.django_db


def perform(referral, to_state, cast):
    """Make one of the TRANSITIONS through the service that owns it; returns who made it."""
    move = (referral.state, to_state)
    if move in services.SIMPLE_TRANSITIONS:
        services.referral_transition(referral=referral, by=cast.triage, to_state=to_state, note="Ready.")
        return cast.triage
    if to_state == State.STRATEGY_DISCUSSION:
        services.referral_refer_to_strategy(
            referral=referral, by=cast.decision_maker, note="Significant harm."
        )
        return cast.decision_maker
    if to_state == State.DECIDED:
        services.referral_record_outcome(
            referral=referral,
            by=cast.decision_maker,
            outcome="early_help",
            rationale="Support at home.",
            from_strategy=referral.state == State.STRATEGY_DISCUSSION,
        )
        return cast.decision_maker
    if to_state == State.CLOSED:
        services.referral_close(referral=referral, by=cast.triage)
        return cast.triage
    if move == (State.CLOSED, State.SCREENING):
        services.referral_reopen(referral=referral, by=cast.triage, reason="New concerns from school.")
        return cast.triage
    raise AssertionError(f"no service known for {move}: add it here")


@pytest.mark.parametrize(("from_state", "to_state"), sorted(services.TRANSITIONS))
def test_it_makes_every_allowed_transition_through_its_service(cast, referral_in, from_state, to_state):
    referral = referral_in(from_state)
    if to_state == State.INFORMATION_GATHERING:
        services.referral_rate(referral=referral, by=cast.triage, rating=Rag.AMBER, rationale="Bruising.")
        referral.refresh_from_db()
    version = referral.version
    who = perform(referral, to_state, cast)
    referral.refresh_from_db()
    assert referral.state == to_state
    assert referral.version == version + 1
    event = referral.timeline.get(from_state=from_state, to_state=to_state)
    assert event.by == who


def test_the_refused_moves_are_every_pair_of_states_but_the_simple_transitions():
    refused = set(product(State.values, State.values)) - services.SIMPLE_TRANSITIONS
    assert len(refused) == len(State.values) ** 2 - 4 == 45
    assert set(services.TRANSITIONS) > services.SIMPLE_TRANSITIONS, "the simple moves are some of TRANSITIONS"


@pytest.mark.parametrize("from_state", State.values)
def test_it_refuses_every_move_that_is_not_a_simple_transition(cast, referral_in, subtests, from_state):
    referral = referral_in(from_state)
    before = snapshot(referral)
    for to_state in State.values:
        if (from_state, to_state) in services.SIMPLE_TRANSITIONS:
            continue
        with subtests.test(to_state=to_state):
            with pytest.raises(ValidationError) as excinfo:
                services.referral_transition(
                    referral=referral, by=cast.triage, to_state=to_state, note="Why not."
                )
            assert error_fields(excinfo) == {"to_state"}
            [message] = excinfo.value.message_dict["to_state"]
            assert message.startswith(f"A referral cannot move from {State(from_state).label.lower()} to ")
            assert State(to_state).label.lower() in message
            referral.refresh_from_db()
            assert referral.state == from_state
            assert snapshot(referral) == before


def test_the_refusal_names_the_target_state_in_plain_words(cast, referral_in):
    referral = referral_in(State.DECIDED)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)
    assert excinfo.value.message_dict == {"to_state": ["A referral cannot move from decided to screening."]}


def test_it_refuses_a_state_that_does_not_exist(cast, referral_in):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_transition(referral=referral, by=cast.triage, to_state="archived")
    assert excinfo.value.message_dict == {
        "to_state": ["A referral cannot move from screening to 'archived'."]
    }
    assert snapshot(referral) == before


def test_only_triage_practitioners_and_managers_move_a_referral(cast, new_referral, subtests):
    referral = new_referral()
    before = snapshot(referral)
    for role in [*LEAD_BUT_NOT_TRIAGE, *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage practitioners may move"),
        ):
            services.referral_transition(referral=referral, by=getattr(cast, role), to_state=State.SCREENING)
    assert snapshot(referral) == before
    services.referral_transition(referral=referral, by=cast.manager, to_state=State.SCREENING)
    referral.refresh_from_db()
    assert referral.state == State.SCREENING


def test_information_gathering_needs_a_rag_rating_first(cast, referral_in):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_transition(referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING)
    assert excinfo.value.message_dict == {
        "to_state": ["RAG-rate the referral before asking partners for information."]
    }
    assert snapshot(referral) == before

    services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING)
    referral.refresh_from_db()
    assert referral.state == State.INFORMATION_GATHERING


@pytest.mark.parametrize("note", ["", "   "])
def test_going_to_the_decision_without_partner_information_needs_a_note(cast, referral_in, note):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_transition(
            referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note=note
        )
    assert error_fields(excinfo) == {"note"}
    assert snapshot(referral) == before


def test_a_move_writes_a_timeline_event_with_the_states_the_note_and_who(cast, referral_in):
    referral = referral_in(State.SCREENING)
    services.referral_transition(
        referral=referral,
        by=cast.manager,
        to_state=State.AWAITING_THRESHOLD_DECISION,
        note="  Known family; the school's account is enough.  ",
    )
    event = referral.timeline.latest("at", "pk")
    assert (event.kind, event.from_state, event.to_state, event.by, event.note) == (
        EventKind.TRANSITION,
        State.SCREENING,
        State.AWAITING_THRESHOLD_DECISION,
        cast.manager,
        "Known family; the school's account is enough.",
    )


def test_starting_screening_assigns_the_practitioner_when_unassigned(cast, new_referral):
    referral = new_referral()
    services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)
    referral.refresh_from_db()
    assert referral.assigned_to == cast.triage
    event = referral.timeline.latest("at", "pk")
    assert (event.from_state, event.to_state, event.by, event.note) == (
        State.RECEIVED,
        State.SCREENING,
        cast.triage,
        "Screening started",  # the move's meaning from TRANSITIONS, when no note is given
    )


def test_starting_screening_keeps_an_existing_assignee(cast, new_referral):
    referral = new_referral(assigned_to=cast.manager)
    services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)
    referral.refresh_from_db()
    assert referral.assigned_to == cast.manager


# referral_rate -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rationale", ["", "  \n "])
def test_it_refuses_a_rating_without_rationale(cast, referral_in, rationale):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale=rationale)
    assert error_fields(excinfo) == {"rationale"}
    assert snapshot(referral) == before


def test_it_rates_a_referral_with_its_rationale(cast, referral_in):
    referral = referral_in(State.SCREENING)
    services.referral_rate(
        referral=referral, by=cast.triage, rating=Rag.RED, rationale=" Injury to a child. "
    )
    referral.refresh_from_db()
    assert (referral.rag, referral.rag_rationale) == (Rag.RED, "Injury to a child.")
    [rating] = referral.rag_history.all()
    assert (rating.rating, rating.previous, rating.rationale, rating.by) == (
        Rag.RED,
        "",
        "Injury to a child.",
        cast.triage,
    )
    event = referral.timeline.latest("at", "pk")
    assert (event.kind, event.by, event.note) == (EventKind.RAG, cast.triage, "Rated Red: Injury to a child.")


def test_a_rerating_keeps_the_old_rating_in_the_history_and_the_timeline(cast, referral_in):
    referral = referral_in(State.SCREENING)
    services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Injury to a child.")
    services.referral_rate(
        referral=referral, by=cast.manager, rating=Rag.AMBER, rationale="GP explains the bruising."
    )
    referral.refresh_from_db()
    assert (referral.rag, referral.rag_rationale) == (Rag.AMBER, "GP explains the bruising.")
    assert list(referral.rag_history.values_list("rating", "previous", "rationale", "by")) == [
        (Rag.RED, "", "Injury to a child.", cast.triage.pk),
        (Rag.AMBER, Rag.RED, "GP explains the bruising.", cast.manager.pk),
    ]
    assert list(referral.timeline.filter(kind=EventKind.RAG).values_list("note", flat=True)) == [
        "Rated Red: Injury to a child.",
        "Re-rated Red to Amber: GP explains the bruising.",
    ]


def test_it_refuses_the_same_rating_twice(cast, referral_in):
    referral = referral_in(State.SCREENING)
    services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Injury to a child.")
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_rate(referral=referral, by=cast.triage, rating=Rag.RED, rationale="Still red.")
    assert excinfo.value.message_dict == {"rating": ["The referral is already rated Red."]}
    assert snapshot(referral) == before


def test_it_refuses_a_rating_that_does_not_exist(cast, referral_in):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_rate(referral=referral, by=cast.triage, rating="purple", rationale="Unsure.")
    assert error_fields(excinfo) == {"rag"}
    assert snapshot(referral) == before


@pytest.mark.parametrize("state", [State.RECEIVED, State.DECIDED, State.CLOSED])
def test_it_refuses_to_rate_a_received_decided_or_closed_referral(cast, referral_in, state):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match=f"A {State(state).label.lower()} referral cannot be RAG-rated"):
        services.referral_rate(referral=referral, by=cast.triage, rating=Rag.GREEN, rationale="Low risk.")
    assert snapshot(referral) == before


@pytest.mark.parametrize(
    "state", [State.SCREENING, State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION]
)
def test_it_rates_a_referral_being_worked_on(cast, referral_in, state):
    referral = referral_in(state)
    services.referral_rate(referral=referral, by=cast.triage, rating=Rag.GREEN, rationale="Low risk.")
    referral.refresh_from_db()
    assert referral.rag == Rag.GREEN


def test_only_triage_practitioners_and_managers_rate(cast, referral_in, subtests):
    referral = referral_in(State.SCREENING)
    before = snapshot(referral)
    for role in [*LEAD_BUT_NOT_TRIAGE, *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage practitioners may RAG-rate"),
        ):
            services.referral_rate(
                referral=referral, by=getattr(cast, role), rating=Rag.RED, rationale="Risk."
            )
    assert snapshot(referral) == before
    services.referral_rate(referral=referral, by=cast.manager, rating=Rag.RED, rationale="Risk.")
    referral.refresh_from_db()
    assert referral.rag == Rag.RED


# referral_assign ---------------------------------------------------------------------------------


@pytest.mark.parametrize("assignee", ["triage", "manager"])
def test_it_assigns_to_a_triage_practitioner_or_manager(cast, new_referral, assignee):
    referral = new_referral()
    user = getattr(cast, assignee)
    services.referral_assign(referral=referral, by=cast.triage, assignee=user)
    referral.refresh_from_db()
    assert referral.assigned_to == user
    event = referral.timeline.latest("at", "pk")
    assert (event.kind, event.by, event.note) == (
        EventKind.ASSIGNED,
        cast.triage,
        f"Assigned to {user.get_full_name()}",
    )


def test_it_unassigns(cast, new_referral):
    referral = new_referral(assigned_to=cast.triage)
    services.referral_assign(referral=referral, by=cast.manager, assignee=None)
    referral.refresh_from_db()
    assert referral.assigned_to is None
    assert referral.timeline.latest("at", "pk").note == "Unassigned"


def test_it_refuses_to_assign_outside_the_lead_triage_team(cast, new_referral, subtests):
    referral = new_referral()
    before = snapshot(referral)
    for assignee in [*LEAD_BUT_NOT_TRIAGE, *OUTSIDE_THE_LEAD_AGENCY]:
        with subtests.test(assignee=assignee):
            with pytest.raises(ValidationError) as excinfo:
                services.referral_assign(referral=referral, by=cast.triage, assignee=getattr(cast, assignee))
            assert error_fields(excinfo) == {"assignee"}
    assert snapshot(referral) == before


def test_only_triage_practitioners_and_managers_assign(cast, new_referral, subtests):
    referral = new_referral()
    before = snapshot(referral)
    for role in [*LEAD_BUT_NOT_TRIAGE, *OUTSIDE_THE_LEAD_AGENCY]:
        with (
            subtests.test(role=role),
            pytest.raises(ValidationError, match="Only the lead agency's triage practitioners may assign"),
        ):
            services.referral_assign(referral=referral, by=getattr(cast, role), assignee=cast.triage)
    assert snapshot(referral) == before
