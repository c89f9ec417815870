"""The Strategy Threshold Decision: is a strategy discussion required?"""

from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start
from mash.common.errors import require, require_role
from mash.common.versioning import lock_for_change
from referrals import services as referral_services
from referrals.models import EventKind, InformationRequest, Outcome, Referral, RequestStatus, State
from strategy import policy
from strategy.models import StrategyTimescale, ThresholdDecision
from strategy.services.ratings import rating_problems, ratings_record

STRATEGY_CLOCK = "strategy discussion"
# docs/domain.md: the same working day for Red, one working day otherwise; StrategyTimescale overrides.
DEFAULT_TIMESCALES = {
    "red": (ClockBasis.END_OF_WORKING_DAY, 0),
    "amber": (ClockBasis.WORKING_DAYS, 1),
    "green": (ClockBasis.WORKING_DAYS, 1),
    "blue": (ClockBasis.WORKING_DAYS, 1),
}


def timescale_for(rag: str) -> tuple[str, int]:
    row = StrategyTimescale.objects.filter(rag=rag).first()
    if row is not None:
        return row.basis, row.amount
    return DEFAULT_TIMESCALES.get(rag, (ClockBasis.WORKING_DAYS, 1))


@transaction.atomic
def threshold_decide(
    *,
    referral: Referral,
    by,
    required: bool,
    rationale: str,
    information_relied_on: str = "",
    answers=(),
    outcome: str = "",
    outcome_rationale: str = "",
    expected_version: int | None = None,
    ratings=(),
) -> ThresholdDecision:
    """Record the decision. Not required: the referral gets its outcome now. Required: it waits for a
    strategy discussion, due by a clock that starts now (its length by the referral's RAG rating).
    ``ratings`` (optional, ``RatingInput``): whether each answer relied on was sufficient, and why not."""
    referral = lock_for_change(referral, expected_version, stale=lambda r: r.stale(then="Reload the page."))
    require_role(
        policy.may_decide_threshold(actor_for(by)),
        "Only the lead agency's decision makers may make the threshold decision.",
    )
    require(
        referral.state == State.AWAITING_THRESHOLD_DECISION,
        f"A {State(referral.state).label.lower()} referral is not awaiting a threshold decision.",
    )
    require(bool(rationale.strip()), {"rationale": "Give the rationale for the threshold decision."})
    answers = list(InformationRequest.objects.filter(pk__in=[a.pk for a in answers]).select_related("agency"))
    for answer in answers:
        require(
            answer.referral_id == referral.pk and answer.status == RequestStatus.ANSWERED,
            {"answers": f"{answer.agency}'s request is not an answer about this referral."},
        )
    problems = rating_problems(ratings, answers)
    require(not problems, {"ratings": [message for _, _, message in problems]})
    if not required:
        require(
            outcome in referral_services.outcomes_for(referral.kind)
            and outcome != Outcome.STRATEGY_DISCUSSION,
            {"outcome": "Choose the outcome: no strategy discussion is required."},
        )
    now = timezone.now()
    clock = None
    if required:
        basis, amount = timescale_for(referral.rag)
        clock = clock_start(kind=STRATEGY_CLOCK, basis=basis, amount=amount, started_at=now)
    decision = ThresholdDecision(
        referral=referral,
        required=required,
        rationale=rationale.strip(),
        information_relied_on=information_relied_on.strip(),
        decided_by=by,
        decided_at=now,
        strategy_clock=clock,
    )
    decision.full_clean()
    decision.save()
    decision.answers_relied_on.set(answers)
    ratings_record(decision=decision, ratings=ratings, by=by, at=now)
    if required:
        referral_services.referral_refer_to_strategy(
            referral=referral, by=by, note=f"Strategy discussion required: {rationale.strip()}"
        )
    else:
        referral_services.timeline_add(
            referral,
            by=by,
            kind=EventKind.THRESHOLD,
            note=f"Strategy discussion not required: {rationale.strip()}",
        )
        referral_services.referral_record_outcome(
            referral=referral,
            by=by,
            outcome=outcome,
            rationale=outcome_rationale.strip() or rationale.strip(),
        )
    return decision


def latest_required(referral: Referral) -> ThresholdDecision | None:
    return referral.threshold_decisions.filter(required=True).select_related("strategy_clock").first()
