"""The strategy panel of the referral page (registered with referrals.extensions)."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from referrals.models import State
from strategy import policy
from strategy.models import AnswerRating
from strategy.selectors import discussions_of_referral


def referral_strategy_panel(request, referral) -> str:
    actor = actor_for(request.user)
    if not is_lead_case_worker(actor):
        return ""
    decisions = list(
        referral.threshold_decisions.select_related("decided_by", "strategy_clock").prefetch_related(
            Prefetch("ratings", queryset=AnswerRating.objects.select_related("request__agency"))
        )
    )
    discussions = list(discussions_of_referral(request.user, referral))
    if not decisions and not discussions and referral.state != State.AWAITING_THRESHOLD_DECISION:
        return ""
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
