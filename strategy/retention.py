"""A referral's threshold decisions and strategy discussions are erased with the referral
(mash/retention/registry.py's parts; docs/retention.md): their rationales, notes, locations, the
subjects' decisions, the actions, the addenda and the reasons an answer was not sufficient. Outcomes,
findings, dates, clocks and whether each answer was sufficient stay (the quality dashboard counts them)."""

from mash.retention.registry import register_part
from referrals.models import Referral
from strategy.models import (
    Action,
    Addendum,
    AnswerRating,
    Invitation,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)


def erase_strategy_of(referral: Referral, scrub) -> None:
    scrub.rows(ThresholdDecision.objects.filter(referral=referral))
    scrub.rows(AnswerRating.objects.filter(threshold_decision__referral=referral))
    scrub.rows(StrategyDiscussion.objects.filter(referral=referral))
    scrub.rows(Invitation.objects.filter(discussion__referral=referral))
    decisions = SubjectDecision.objects.filter(discussion__referral=referral)
    scrub.rows(decisions)
    scrub.rows(Action.objects.filter(discussion__referral=referral))
    scrub.rows(Addendum.objects.filter(discussion__referral=referral))
    scrub.link_people(decisions.values_list("person_id", flat=True))


def register() -> None:
    register_part(Referral, erase_strategy_of)
