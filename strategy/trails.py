"""The strategy records under a referral and under a discussion, for information governance's trail
of a record (mash/sharing/trails/children.py): a query for each kind of child."""

from mash.sharing.trails import ids_of, register_children
from referrals.models import Referral
from strategy import models


def referral_children(referral):
    yield ids_of(models.ThresholdDecision.objects.filter(referral=referral))
    yield ids_of(models.AnswerRating.objects.filter(threshold_decision__referral=referral))
    yield ids_of(models.StrategyDiscussion.objects.filter(referral=referral))
    yield from _under_discussions(discussion__referral=referral)
    yield ids_of(
        models.StrategyDiscussionGroupObjectPermission.objects.filter(content_object__referral=referral)
    )


def discussion_children(discussion):
    yield from _under_discussions(discussion=discussion)
    yield ids_of(models.StrategyDiscussionGroupObjectPermission.objects.filter(content_object=discussion))


def _under_discussions(**match):
    for model in (models.Invitation, models.SubjectDecision, models.Action, models.Addendum):
        yield ids_of(model.objects.filter(**match))


def register() -> None:
    register_children(Referral, referral_children)
    register_children(models.StrategyDiscussion, discussion_children)
