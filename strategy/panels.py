"""The strategy panel of the referral page (registered with referrals.extensions)."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from referrals.models import State
from strategy import policy
from strategy.models import AnswerRating
from strategy.selectors import discussions_of_referral

# What the panel shows of a decision's ratings: whether each answer sufficed, and the agency's name.
_RATINGS = Prefetch(
    "ratings",
    queryset=AnswerRating.objects.select_related("request__agency").only(
        "threshold_decision", "sufficient", "reason", "request__agency__name"
    ),
)
_NAME = ("first_name", "last_name", "username")


def referral_strategy_panel(request, referral) -> str:
    actor = actor_for(request.user)
    if not is_lead_case_worker(actor):
        return ""
    decisions = list(
        referral.threshold_decisions.select_related("decided_by", "strategy_clock")
        .only(
            "referral",
            "required",
            "rationale",
            "decided_at",
            *(f"decided_by__{name}" for name in _NAME),
            "strategy_clock__due_at",
            "strategy_clock__stopped_at",
        )
        .prefetch_related(_RATINGS)
    )
    if not decisions and referral.state != State.AWAITING_THRESHOLD_DECISION:
        # A discussion is convened on a threshold decision of its referral (strategy/services/
        # discussions.py): without a decision there is none to look for, and nothing to show.
        return ""
    discussions = []
    if decisions:
        discussions = list(
            discussions_of_referral(request.user, referral).only(
                "scheduled_at", "mode", "status", "referral__reference", *(f"chair__{n}" for n in _NAME)
            )
        )
    return render_to_string(
        "strategy/_referral_panel.html",
        {
            "referral": referral,
            "threshold_decisions": decisions,
            "discussions": discussions,
            "may_decide": policy.may_decide_threshold(actor),
            "may_convene": policy.may_convene(actor)
            and referral.state == State.STRATEGY_DISCUSSION
            and not any(d.is_open for d in discussions),
        },
        request=request,
    )
