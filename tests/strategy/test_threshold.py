"""The Strategy Threshold Decision: who may make it, what it needs, and where it sends the referral."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.calendar import Calendar
from mash.clocks.models import Clock, ClockBasis
from referrals import services as referral_services
from referrals.models import EventKind, Outcome, Referral, State, TimelineEvent
from strategy import services
from strategy.models import StrategyTimescale, ThresholdDecision
from strategy.services.threshold import STRATEGY_CLOCK
from tests.information_requests.support import answer, ask, referral_in

pytestmark = pytest.mark.django_db

RATIONALE = "Injury to a child and police intelligence of violence in the household."


def decide(referral, by, **fields):
    values = {"referral": referral, "by": by, "required": True, "rationale": RATIONALE}
    values.update(fields)
    return services.threshold_decide(**values)


def awaiting(cast, *, rag: str) -> Referral:
    """A referral of the given rating sent straight from screening to the threshold decision."""
    referral = referral_in(cast, state="screening", rag=rag)
    referral_services.referral_transition(
        referral=referral,
        by=cast.triage,
        to_state=State.AWAITING_THRESHOLD_DECISION,
        note="The account is enough to decide on.",
    )
    referral.refresh_from_db()
    return referral


def assert_untouched(referral: Referral, *, state: str = State.AWAITING_THRESHOLD_DECISION) -> None:
    version = referral.version
    referral.refresh_from_db()
    assert referral.state == state
    assert referral.version == version
    assert not ThresholdDecision.objects.filter(referral=referral).exists()
    assert not Clock.objects.filter(kind=STRATEGY_CLOCK).exists()


# Who may decide


@pytest.mark.parametrize("who", ["decision_maker", "manager"])
def test_a_lead_decision_maker_or_manager_may_decide(cast, collated, who):
    decision = decide(collated, getattr(cast, who))

    assert decision.decided_by == getattr(cast, who)
    collated.refresh_from_db()
    assert collated.state == State.STRATEGY_DISCUSSION


@pytest.mark.parametrize("who", ["triage", "police_decision_maker", "police_researcher", "outsider"])
def test_anyone_else_is_refused_and_nothing_is_saved(cast, collated, who):
    with pytest.raises(ValidationError, match="decision makers"):
        decide(collated, getattr(cast, who))

    assert_untouched(collated)


# What a decision needs


@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_a_decision_without_rationale_is_refused_and_nothing_is_saved(cast, collated, rationale):
    events = TimelineEvent.objects.filter(referral=collated).count()

    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, rationale=rationale)

    assert "rationale" in refused.value.message_dict
    assert_untouched(collated)
    assert TimelineEvent.objects.filter(referral=collated).count() == events
    assert collated.decision_clock.stopped_at is None


@pytest.mark.parametrize("required", [True, False])
def test_a_decision_without_rationale_is_refused_either_way(cast, collated, required):
    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, required=required, rationale="", outcome=Outcome.EARLY_HELP)

    assert "rationale" in refused.value.message_dict
    assert_untouched(collated)


def test_a_referral_still_gathering_information_is_not_awaiting_a_decision(cast, gathering):
    with pytest.raises(ValidationError, match="not awaiting a threshold decision"):
        decide(gathering, cast.decision_maker)

    assert_untouched(gathering, state=State.INFORMATION_GATHERING)


def test_a_second_decision_on_a_referral_already_at_strategy_is_refused(cast, required):
    referral = required.referral
    referral.refresh_from_db()

    with pytest.raises(ValidationError, match="not awaiting a threshold decision"):
        decide(referral, cast.decision_maker, required=False, outcome=Outcome.EARLY_HELP)

    referral.refresh_from_db()
    assert referral.state == State.STRATEGY_DISCUSSION
    assert ThresholdDecision.objects.filter(referral=referral).count() == 1


def test_a_stale_version_is_refused(cast, collated):
    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, expected_version=collated.version - 1)

    assert refused.value.code == "stale"
    assert_untouched(collated)


def test_an_answer_about_another_referral_cannot_be_relied_on(cast, collated):
    other = referral_in(cast, state="information_gathering")
    (elsewhere,) = ask(other, cast.triage, cast.police)
    answer(elsewhere, cast.police_researcher)

    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, answers=[collated.police_answer, elsewhere])

    assert "answers" in refused.value.message_dict
    assert_untouched(collated)


def test_the_answers_relied_on_are_kept_with_the_decision(cast, collated):
    decision = decide(collated, cast.decision_maker, answers=[collated.police_answer])

    assert list(decision.answers_relied_on.all()) == [collated.police_answer]


# Not required: the referral takes its outcome


@pytest.mark.parametrize("outcome", ["", Outcome.STRATEGY_DISCUSSION, Outcome.SECTION_42_ENQUIRY, "bogus"])
def test_not_required_needs_an_outcome_other_than_a_strategy_discussion(cast, collated, outcome):
    with pytest.raises(ValidationError) as refused:
        decide(collated, cast.decision_maker, required=False, outcome=outcome)

    assert "outcome" in refused.value.message_dict
    assert_untouched(collated)


def test_not_required_records_the_outcome_and_stops_the_decision_clock(cast, collated):
    decision = decide(
        collated,
        cast.decision_maker,
        required=False,
        rationale="Bruising explained; no harm threshold met.",
        outcome=Outcome.EARLY_HELP,
        outcome_rationale="Family support worker offered.",
    )

    collated.refresh_from_db()
    assert decision.required is False
    assert decision.strategy_clock is None
    assert collated.state == State.DECIDED
    assert collated.outcome == Outcome.EARLY_HELP
    assert collated.outcome_rationale == "Family support worker offered."
    assert collated.outcome_by == cast.decision_maker
    assert collated.decision_clock.stopped_at is not None
    threshold = TimelineEvent.objects.get(referral=collated, kind=EventKind.THRESHOLD)
    assert "not required" in threshold.note
    assert "Bruising explained" in threshold.note
    outcome = TimelineEvent.objects.get(referral=collated, kind=EventKind.OUTCOME)
    assert outcome.to_state == State.DECIDED
    assert not Clock.objects.filter(kind=STRATEGY_CLOCK).exists()


def test_not_required_without_an_outcome_rationale_uses_the_decision_rationale(cast, collated):
    decide(collated, cast.decision_maker, required=False, outcome=Outcome.NO_FURTHER_ACTION)

    collated.refresh_from_db()
    assert collated.outcome_rationale == RATIONALE


# Required: the referral waits for a discussion, due by the strategy clock


def test_required_moves_the_referral_to_strategy_and_swaps_the_clocks(cast, collated):
    decision = decide(collated, cast.decision_maker)

    collated.refresh_from_db()
    assert collated.state == State.STRATEGY_DISCUSSION
    assert collated.outcome == ""
    # Stopped by the same call (referral_refer_to_strategy reads its own clock, a moment later).
    stopped = collated.decision_clock.stopped_at
    assert decision.decided_at <= stopped < decision.decided_at + timedelta(seconds=5)
    clock = decision.strategy_clock
    assert clock.kind == STRATEGY_CLOCK
    assert clock.started_at == decision.decided_at
    assert clock.stopped_at is None
    moved = TimelineEvent.objects.get(referral=collated, to_state=State.STRATEGY_DISCUSSION)
    assert moved.from_state == State.AWAITING_THRESHOLD_DECISION
    assert RATIONALE in moved.note


def test_a_red_referral_is_due_a_discussion_by_the_close_of_the_same_working_day(cast, collated):
    assert collated.rag == "red"

    decision = decide(collated, cast.decision_maker)

    clock = decision.strategy_clock
    calendar = Calendar()
    assert (clock.basis, clock.amount) == (ClockBasis.END_OF_WORKING_DAY, 0)
    assert clock.due_at == calendar.end_of_working_day(decision.decided_at)
    due = timezone.localtime(clock.due_at)
    assert due.time() == time(17, 0)
    # The same working day, or the next one when decided after hours.
    assert due.date() == timezone.localtime(calendar.working_start(decision.decided_at)).date()


def test_an_amber_referral_is_due_a_discussion_within_one_working_day(cast):
    referral = awaiting(cast, rag="amber")

    decision = decide(referral, cast.decision_maker)

    clock = decision.strategy_clock
    assert (clock.basis, clock.amount) == (ClockBasis.WORKING_DAYS, 1)
    assert clock.due_at == Calendar().add_working_days(decision.decided_at, 1)


def test_the_timescale_reference_data_decides_the_due_time(cast, collated):
    StrategyTimescale.objects.update_or_create(
        rag="red", defaults={"basis": ClockBasis.WORKING_HOURS, "amount": 2}
    )

    decision = decide(collated, cast.decision_maker)

    clock = decision.strategy_clock
    assert (clock.basis, clock.amount) == (ClockBasis.WORKING_HOURS, 2)
    assert clock.due_at == Calendar().add_working_hours(decision.decided_at, 2)


def test_the_timescale_for_amber_can_be_the_close_of_the_next_working_day(cast):
    StrategyTimescale.objects.update_or_create(
        rag="amber", defaults={"basis": ClockBasis.END_OF_WORKING_DAY, "amount": 1}
    )
    referral = awaiting(cast, rag="amber")

    decision = decide(referral, cast.decision_maker)

    assert decision.strategy_clock.due_at == Calendar().end_of_working_day(decision.decided_at, 1)


# The outcome of a referral at strategy comes from the discussion only


def test_an_outcome_cannot_be_recorded_by_hand_at_a_strategy_discussion(cast, required):
    referral = required.referral
    referral.refresh_from_db()

    with pytest.raises(ValidationError, match="strategy discussion"):
        referral_services.referral_record_outcome(
            referral=referral, by=cast.decision_maker, outcome=Outcome.EARLY_HELP, rationale="Changed mind."
        )

    referral.refresh_from_db()
    assert referral.state == State.STRATEGY_DISCUSSION
    assert referral.outcome == ""
    assert required.strategy_clock.stopped_at is None
