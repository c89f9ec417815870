"""Moving a referral along (TRANSITIONS), RAG-rating it and assigning it."""

import ast
import os
from itertools import product
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from referrals import services
from referrals.models import EventKind, InformationRequest, Rag, RequestStatus, State
from referrals.requests import services as request_services
from referrals.requests.services import RequestInput
from referrals.services.transitions import make_move
from tests.referrals.helpers import (
    LEAD_BUT_NOT_TRIAGE,
    OUTSIDE_THE_LEAD_AGENCY,
    error_fields,
    snapshot,
)

pytestmark = pytest.mark.django_db


# Every (move, service) pair TRANSITIONS names: the test below makes each through its service.
MOVES_AND_SERVICES = sorted(
    (from_state, to_state, service)
    for (from_state, to_state), row in services.TRANSITIONS.items()
    for service in row.services
)


def prepare(referral, to_state, service, cast):
    """What the move needs first: a RAG rating to ask partners; an answered request for the system's move."""
    if to_state == State.INFORMATION_GATHERING:
        services.referral_rate(referral=referral, by=cast.triage, rating=Rag.AMBER, rationale="Bruising.")
    if service == "referral_all_partners_answered":
        (request,) = request_services.information_requests_send(
            referral=referral, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Known?")]
        )
        InformationRequest.objects.filter(pk=request.pk).update(status=RequestStatus.ANSWERED)
    referral.refresh_from_db()


def perform(referral, to_state, service, cast):
    """Make one of the TRANSITIONS through the named service; returns who made it (None: the system)."""
    if service == "referral_transition":
        services.referral_transition(referral=referral, by=cast.triage, to_state=to_state, note="Ready.")
        return cast.triage
    if service == "referral_all_partners_answered":
        services.referral_all_partners_answered(referral=referral)
        return None
    if service == "referral_refer_to_strategy":
        services.referral_refer_to_strategy(
            referral=referral, by=cast.decision_maker, note="Significant harm."
        )
        return cast.decision_maker
    if service in ("referral_record_outcome", "referral_record_strategy_outcome"):
        getattr(services, service)(
            referral=referral, by=cast.decision_maker, outcome="early_help", rationale="Support at home."
        )
        return cast.decision_maker
    if service == "referral_close":
        services.referral_close(referral=referral, by=cast.triage, feedback_note="Told by phone.")
        return cast.triage
    if service == "referral_reopen":
        services.referral_reopen(referral=referral, by=cast.triage, reason="New concerns from school.")
        return cast.triage
    raise AssertionError(f"no test knows how to call {service}: add it here")


def test_every_row_of_transitions_names_the_services_that_exist():
    for move, row in services.TRANSITIONS.items():
        assert row.note and row.services, move
        for service in row.services:
            assert callable(getattr(services, service, None)), f"{move} names {service}, which does not exist"


@pytest.mark.parametrize(("from_state", "to_state", "service"), MOVES_AND_SERVICES)
def test_it_makes_every_allowed_transition_through_its_service(
    cast, referral_in, from_state, to_state, service
):
    referral = referral_in(from_state)
    prepare(referral, to_state, service, cast)
    version = referral.version
    who = perform(referral, to_state, service, cast)
    referral.refresh_from_db()
    assert referral.state == to_state
    assert referral.version == version + 1
    event = referral.timeline.get(from_state=from_state, to_state=to_state)
    assert event.by == who


@pytest.mark.parametrize("state", [s for s in State.values if s != State.STRATEGY_DISCUSSION])
def test_a_strategy_outcome_needs_a_referral_at_a_strategy_discussion(cast, referral_in, state):
    referral = referral_in(state)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="referral is not at a strategy discussion"):
        services.referral_record_strategy_outcome(
            referral=referral, by=cast.decision_maker, outcome="early_help", rationale="Support at home."
        )
    assert snapshot(referral) == before


def test_a_referral_at_a_strategy_discussion_takes_no_outcome_by_hand(cast, referral_in):
    referral = referral_in(State.STRATEGY_DISCUSSION)
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="its outcome is recorded when the discussion's record"):
        services.referral_record_outcome(
            referral=referral, by=cast.decision_maker, outcome="early_help", rationale="Support at home."
        )
    assert snapshot(referral) == before


def test_the_system_moves_a_referral_on_only_once_every_partner_has_answered(cast, referral_in):
    referral = referral_in(State.INFORMATION_GATHERING)
    with pytest.raises(ValidationError, match="not waiting for partner agencies"):
        services.referral_all_partners_answered(referral=referral)  # nobody asked
    request_services.information_requests_send(
        referral=referral, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Known?")]
    )
    before = snapshot(referral)
    with pytest.raises(ValidationError, match="not waiting for partner agencies"):
        services.referral_all_partners_answered(referral=referral)  # still open
    assert snapshot(referral) == before


def test_the_move_step_refuses_a_service_its_row_does_not_name(cast, referral_in):
    referral = referral_in(State.SCREENING)
    with pytest.raises(
        ValidationError, match="referral_close cannot move a referral from screening to closed"
    ):
        make_move(referral, State.CLOSED, by=cast.triage, service="referral_close")
    with pytest.raises(
        ValidationError, match="referral_reopen cannot move a referral from screening to decided"
    ):
        make_move(referral, State.DECIDED, by=cast.triage, service="referral_reopen")
    referral.refresh_from_db()
    assert referral.state == State.SCREENING


def state_writes(path: Path) -> list[tuple[str, int]]:
    """Where a module writes a ``state``, with the function it is in: an assignment to ``<x>.state``,
    ``setattr(<x>, "state", ...)``, or ``state=`` given to a queryset's update, a create or Referral()."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr == "state":
                    found.append((function, node.lineno))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in {"update", "create", "update_or_create", "get_or_create", "Referral"} and any(
                keyword.arg == "state" for keyword in node.keywords
            ):
                found.append((function, node.lineno))
            if (
                name == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "state"
            ):
                found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_no_code_changes_a_referrals_state_but_the_move_step():
    """Static: outside the tests and migrations, the one place that writes a ``state`` is make_move().

    The domain apps are read: the core never imports one (tests/test_architecture.py), so it cannot
    write a referral's state, and its own records with a state (a dissemination request, a subject
    access request) are not referrals."""
    root = Path(__file__).resolve().parents[2]
    skipped = {"node_modules", "static", "tests", "migrations", "__pycache__"}
    paths = []
    apps = ("referrals", "strategy", "disclosures", "missing_persons")
    for folder, folders, files in (step for app in apps for step in os.walk(root / app)):
        folders[:] = [f for f in folders if f not in skipped and not f.startswith(".")]
        paths += [Path(folder, name) for name in files if name.endswith(".py")]
    writes = {
        (str(path.relative_to(root)), function, line)
        for path in paths
        for function, line in state_writes(path)
    }
    assert {(path, function) for path, function, _ in writes} == {
        ("referrals/services/transitions.py", "make_move")
    }, writes


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
