"""Who may see and do what with threshold decisions and strategy discussions (the sharing policy)."""

from django.db.models import Q

from mash.agencies.policy import is_lead_case_worker, is_police
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.sharing import policy
from referrals import policy as referral_policy
from strategy.models import (
    Action,
    Addendum,
    AnswerRating,
    Invitation,
    StrategyDiscussion,
    StrategyDiscussionGroupObjectPermission,
    StrategyDiscussionUserObjectPermission,
    SubjectDecision,
    ThresholdDecision,
    ThresholdDecisionGroupObjectPermission,
    ThresholdDecisionUserObjectPermission,
)


def may_list_discussions(actor: Actor) -> bool:
    """The discussions list and 'my actions': every discussion for the lead agency's case workers, the
    ones an agency is invited to for its researchers, decision makers and managers (the rule below)."""
    return policy.may_list(actor, StrategyDiscussion)


def may_decide_threshold(actor: Actor) -> bool:
    """The lead agency's decision makers (and MASH managers) make Strategy Threshold Decisions."""
    return referral_policy.may_decide_outcome(actor)


def may_convene(actor: Actor) -> bool:
    return referral_policy.may_decide_outcome(actor)


def may_chair(actor: Actor) -> bool:
    """Decision makers of the lead agency or of the police chair strategy discussions."""
    return actor.has(Role.DECISION_MAKER) and (actor.is_lead or is_police(actor))


def may_manage(actor: Actor, discussion: StrategyDiscussion) -> bool:
    """Record, re-schedule, cancel and sign off: the chair, or the lead agency's decision makers."""
    return actor.user_id == discussion.chair_id or referral_policy.may_decide_outcome(actor)


def may_complete(actor: Actor, action: Action) -> bool:
    """The action's owner; anyone of the owner agency when no one is named; whoever manages the record."""
    if action.owner_id is not None:
        return actor.user_id == action.owner_id or may_manage(actor, action.discussion)
    return actor.agency_id == action.owner_agency_id or may_manage(actor, action.discussion)


# What an invited agency sees of a discussion (docs/design.md: attendees see what the discussion considered):
# the meeting (when, how, where, who chairs, whether it was held or called off), who was invited and who
# came, the answers it considers (each read through its own rule: an answer is its agency's until
# submitted), the decision for each subject and the actions agreed, which they may own. Not the chair's
# notes and rationale (written during the meeting, they quote what any agency said, considered or not),
# the addenda, a cancellation's reason, the threshold decision and its clock (the lead agency's own
# reasoning, never granted out) or what is still missing before sign-off.
DISCUSSION_PARTNER_FIELDS = frozenset(
    {
        "id",
        "referral",
        "status",
        "scheduled_at",
        "duration_minutes",
        "mode",
        "location",
        "chair",
        "convened_at",
        "signed_off_at",
        "signed_off_by",
        "cancelled_at",
        "invitations",
        "considered",
        "decisions",
        "actions",
    }
)

policy.register(
    policy.Rule(
        model=StrategyDiscussion,
        group_grant_model=StrategyDiscussionGroupObjectPermission,
        user_grant_model=StrategyDiscussionUserObjectPermission,
        sees_all=is_lead_case_worker,
        # Invited agencies see a discussion (and what it considers) through a grant to their group.
        uses_grants=referral_policy.uses_referral_grants,
        partner_fields=DISCUSSION_PARTNER_FIELDS,
    )
)
# The parts of a discussion's record, read only on the discussion (its page, its endpoint, 'my actions').
policy.register_part(policy.Part(model=Invitation, parent="discussion", name="invitations"))
policy.register_part(policy.Part(model=SubjectDecision, parent="discussion", name="decisions"))
policy.register_part(policy.Part(model=Action, parent="discussion", name="actions"))
policy.register_part(policy.Part(model=Addendum, parent="discussion", name="addenda"))
policy.register(
    policy.Rule(
        model=ThresholdDecision,
        group_grant_model=ThresholdDecisionGroupObjectPermission,
        user_grant_model=ThresholdDecisionUserObjectPermission,
        sees_all=is_lead_case_worker,
        uses_grants=lambda actor: False,  # the lead agency's own reasoning: never granted out
        partner_fields=frozenset(),
    )
)


# A rating of an answer (was it sufficient to decide on, and why not) is about another agency's work, so
# it is read as a part of the answer's request, not of the threshold decision (the lead agency's own
# reasoning): in full by the lead agency's case workers, and by the rated agency's MASH managers, as
# feedback on their own agency's answers. Not by that agency's researchers or decision makers (the
# dashboards show them nothing either), nor by any other agency. The form's hint tells the decision maker
# so: the reason says what was missing from the answer, not what the family said.
def rating_shown(actor: Actor, rating: AnswerRating) -> bool:
    return is_lead_case_worker(actor) or (
        actor.has(Role.MASH_MANAGER) and actor.agency_id == rating.request.agency_id
    )


def rating_shown_filter(actor: Actor) -> Q:
    if is_lead_case_worker(actor):
        return Q()
    if actor.has(Role.MASH_MANAGER) and actor.agency_id is not None:
        return Q(request__agency_id=actor.agency_id)
    return Q(pk__in=[])


policy.register_part(
    policy.Part(
        model=AnswerRating,
        parent="request",
        name="ratings",
        shown=rating_shown,
        shown_filter=rating_shown_filter,
    )
)
