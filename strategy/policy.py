"""Who may see and do what with threshold decisions and strategy discussions (the sharing policy)."""

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy
from referrals import policy as referral_policy
from strategy.models import (
    Action,
    StrategyDiscussion,
    StrategyDiscussionGroupObjectPermission,
    StrategyDiscussionUserObjectPermission,
    ThresholdDecision,
    ThresholdDecisionGroupObjectPermission,
    ThresholdDecisionUserObjectPermission,
)


def may_decide_threshold(actor: Actor) -> bool:
    """The lead agency's decision makers (and MASH managers) make Strategy Threshold Decisions."""
    return referral_policy.may_decide_outcome(actor)


def may_convene(actor: Actor) -> bool:
    return referral_policy.may_decide_outcome(actor)


def may_chair(actor: Actor) -> bool:
    """Decision makers of the lead agency or of the police chair strategy discussions."""
    return actor.has(Role.DECISION_MAKER) and (actor.is_lead or actor.agency_kind == AgencyKind.POLICE)


def may_manage(actor: Actor, discussion: StrategyDiscussion) -> bool:
    """Record, re-schedule, cancel and sign off: the chair, or the lead agency's decision makers."""
    return actor.user_id == discussion.chair_id or referral_policy.may_decide_outcome(actor)


def may_complete(actor: Actor, action: Action) -> bool:
    """The action's owner; anyone of the owner agency when no one is named; whoever manages the record."""
    if action.owner_id is not None:
        return actor.user_id == action.owner_id or may_manage(actor, action.discussion)
    return actor.agency_id == action.owner_agency_id or may_manage(actor, action.discussion)


policy.register(
    policy.Rule(
        model=StrategyDiscussion,
        group_grant_model=StrategyDiscussionGroupObjectPermission,
        user_grant_model=StrategyDiscussionUserObjectPermission,
        sees_all=referral_policy.is_lead_case_worker,
        # Invited agencies see a discussion (and what it considers) through a grant to their group.
        uses_grants=referral_policy.uses_referral_grants,
    )
)
policy.register(
    policy.Rule(
        model=ThresholdDecision,
        group_grant_model=ThresholdDecisionGroupObjectPermission,
        user_grant_model=ThresholdDecisionUserObjectPermission,
        sees_all=referral_policy.is_lead_case_worker,
        uses_grants=lambda actor: False,  # the lead agency's own reasoning: never granted out
    )
)
