"""Reads of threshold decisions, strategy discussions and actions, for an acting user."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import clock_columns
from mash.people.history import HistoryItem, newest_of_each
from mash.sharing import policy
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write, record_get
from referrals import selectors as referral_selectors
from referrals.models import InformationRequest, Referral, ReferralSubject, ResponseEntry, State
from strategy.models import (
    SECTION_47,
    Action,
    ActionStatus,
    AnswerRating,
    DiscussionStatus,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)


def threshold_queue(user):
    """Referrals awaiting a threshold decision, most urgent first (the decision maker's queue)."""
    referrals = Referral.objects.filter(state=State.AWAITING_THRESHOLD_DECISION)
    subjects = ReferralSubject.objects.select_related("person").only(*referral_selectors.SUBJECT_NAMES)
    return (
        policy.visible(user, referrals)
        .select_related("decision_clock", "assigned_to")
        # A row's columns (the page's, the tray's and the API's rows): not the long texts.
        .only(*referral_selectors.ROW)
        .prefetch_related(Prefetch("subjects", queryset=subjects.order_by("pk")))
        # The decision clock's due time, as the referral carries it (the triage queue's index).
        .order_by("decision_due_at", "pk")
    )


def awaiting_discussion(user):
    """Referrals a threshold decision sent to strategy, by the discussion's due time."""
    decisions = ThresholdDecision.objects.filter(required=True, referral__state=State.STRATEGY_DISCUSSION)
    return (
        policy.visible(user, decisions)
        .select_related("referral", "strategy_clock", "decided_by")
        .prefetch_related(
            Prefetch(
                "discussions",
                queryset=StrategyDiscussion.objects.filter(status=DiscussionStatus.SCHEDULED),
                to_attr="open_discussions",
            )
        )
        .order_by("strategy_clock__due_at", "pk")
    )


# What a row of a list of discussions shows (strategy/_discussion_table.html): when, the referral's
# reference, how, the chair and the status; the API's row (StrategyDiscussionRowSerializer) adds the
# version and the strategy clock (DISCUSSION_API_ROW). Not the notes, the rationale, nor the referral's
# long texts: a list reads these columns only.
DISCUSSION_ROW = (
    "status",
    "scheduled_at",
    "mode",
    "referral",
    "referral__reference",
    "chair",
    "chair__first_name",
    "chair__last_name",
    "chair__username",
)
DISCUSSION_API_ROW = (
    *DISCUSSION_ROW,
    "version",
    "threshold_decision",
    *clock_columns("threshold_decision__strategy_clock"),
)


def discussions_for(user, *, status: str | None = None):
    """The discussions this user may see (the lead agency: all; others: those they are invited to)."""
    discussions = StrategyDiscussion.objects.all()
    if status:
        discussions = discussions.filter(status=status)
    # The latest first, from the index (strategy_discussion_latest).
    return (
        policy.visible(user, discussions).select_related("referral", "chair").order_by("-scheduled_at", "-pk")
    )


def discussions_of_referral(user, referral: Referral):
    return discussions_for(user).filter(referral=referral)


_RATINGS = Prefetch("ratings", queryset=AnswerRating.objects.select_related("request__agency", "rated_by"))

# A threshold decision in the list (ThresholdDecisionSerializer): its own columns, the referral's
# reference (not its long texts), who decided and the strategy clock.
THRESHOLD_ROW = (
    "referral",
    "referral__reference",
    "required",
    "rationale",
    "information_relied_on",
    "decided_by",
    "decided_by__first_name",
    "decided_by__last_name",
    "decided_by__username",
    "decided_at",
    *clock_columns("strategy_clock"),
)
# A rating in the list (AnswerRatingSerializer): of the answer rated, its agency only (not the
# questions and the request's other columns).
_RATING_ROW = (
    "threshold_decision",
    "request",
    "request__agency",
    "request__agency__name",
    "request__agency__kind",
    "request__agency__is_lead",
    "request__agency__is_active",
    "sufficient",
    "reason",
    "rated_by",
    "rated_by__first_name",
    "rated_by__last_name",
    "rated_by__username",
    "rated_at",
)


def threshold_decisions_for(user, *, referral_id: int | None = None):
    """The threshold decisions this user may see (the lead agency's case workers only), latest first:
    a list's rows, their columns only (THRESHOLD_ROW)."""
    decisions = ThresholdDecision.objects.all()
    if referral_id is not None:
        decisions = decisions.filter(referral_id=referral_id)
    ratings = AnswerRating.objects.select_related("request__agency", "rated_by").only(*_RATING_ROW)
    return (
        policy.visible(user, decisions)
        .select_related("referral", "decided_by", "strategy_clock")
        .only(*THRESHOLD_ROW)
        .prefetch_related(
            Prefetch("answers_relied_on", queryset=InformationRequest.objects.only("pk")),
            Prefetch("ratings", queryset=ratings),
        )
        # The latest first, from the index (strategy_threshold_latest).
        .order_by("-decided_at", "-pk")
    )


def answer_ratings_for(user):
    """The ratings of answers this user may read, reason included (strategy/policy.py): every rating
    for the lead agency's case workers, their own agency's answers' ratings for an agency's MASH
    managers, none for anyone else."""
    requests = policy.visible(user, InformationRequest.objects.all())
    if not policy.shows(policy.list_audience(user, InformationRequest), InformationRequest, "ratings"):
        return AnswerRating.objects.none()
    return policy.parts_shown(user, AnswerRating.objects.filter(request__in=requests)).select_related(
        "request__agency", "request__referral", "threshold_decision"
    )


def threshold_get_for(user, pk: int, *, request=None) -> ThresholdDecision:
    decision = record_get(
        user=user,
        queryset=ThresholdDecision.objects.select_related(
            "referral", "decided_by", "strategy_clock"
        ).prefetch_related(_RATINGS),
        pk=pk,
        request=request,
    )
    return decision


def discussion_get_for(user, pk: int, *, request=None) -> StrategyDiscussion:
    """One discussion; the read is logged, a refusal is a logged 404."""
    discussion = record_get(
        user=user,
        queryset=StrategyDiscussion.objects.select_related(
            "referral", "chair", "threshold_decision__strategy_clock", "signed_off_by", "cancelled_by"
        ),
        pk=pk,
        request=request,
    )
    return discussion


def discussion_parts(discussion: StrategyDiscussion) -> dict:
    return {
        "invitations": list(discussion.invitations.select_related("agency", "user")),
        "decisions": list(discussion.decisions.select_related("person", "conference_clock")),
        "actions": list(discussion.actions.select_related("owner_agency", "owner", "completed_by")),
        "addenda": list(discussion.addenda.select_related("by")),
        "subjects": list(discussion.referral.subjects.select_related("person").order_by("pk")),
    }


def considered_answers(user, discussion: StrategyDiscussion, *, request=None) -> list:
    """The answers the discussion considers that this user may see, each read logged (an answer is a
    case record: docs/design.md). Answers the user may not see are left out, not refused."""
    answers = list(
        discussion.considered.select_related("agency", "answered_by").prefetch_related(
            Prefetch(
                "entries",
                queryset=ResponseEntry.objects.select_related("person").order_by(
                    "person_id", "created_at", "pk"
                ),
            )
        )
    )
    shown = []
    for answer in answers:
        if policy.can_view(user, answer):
            access_log_write(user=user, obj=answer, action=AccessAction.VIEW, request=request)
            shown.append(answer)
    return shown


# What a row of 'my actions' shows (strategy/actions.html): the action, its owner, the discussion's
# referral's reference; the API's row (StrategyActionRowSerializer) adds the owner agency's other columns
# and who completed it (ACTION_API_ROW). Not the referral's and the discussion's long texts.
ACTION_ROW = (
    "description",
    "due_on",
    "status",
    "completed_at",
    "completion_note",
    "discussion",
    "discussion__referral",
    "discussion__referral__reference",
    "owner_agency",
    "owner_agency__name",
    "owner",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)
ACTION_API_ROW = (
    *ACTION_ROW,
    "owner_agency__kind",
    "owner_agency__is_lead",
    "owner_agency__is_active",
    "completed_by",
    "completed_by__first_name",
    "completed_by__last_name",
    "completed_by__username",
)


def actions_for(user, *, include_done: bool = False, everyone: bool = False):
    """'My actions': those named for the user, and their agency's actions named for no one, of the
    discussions the user may see. A lead case worker may ask for every action (``everyone``)."""
    actor = actor_for(user)
    actions = Action.objects.exclude(discussion__status=DiscussionStatus.CANCELLED)
    if not (everyone and is_lead_case_worker(actor)):
        mine = Q(owner_id=actor.user_id)
        if actor.agency is not None:
            mine |= Q(owner__isnull=True, owner_agency_id=actor.agency_id)
        # An action is part of its discussion: shown only to those the policy lets see the discussion
        # (a lead agency member who is not a case worker, information governance, sees none).
        actions = actions.filter(mine, discussion__in=policy.visible(user, StrategyDiscussion.objects.all()))
    if not include_done:
        actions = actions.filter(status=ActionStatus.OPEN)
    return actions.select_related("discussion__referral", "owner_agency", "owner").order_by(
        "status", "due_on", "pk"
    )


def action_get_for(user, pk: int) -> Action:
    """An action the user may see: theirs, their agency's, or one of a discussion they may see."""
    action = get_object_or_404(Action.objects.select_related("discussion", "owner_agency", "owner"), pk=pk)
    actor = actor_for(user)
    if (
        action.owner_id == actor.user_id
        or (action.owner_id is None and action.owner_agency_id == actor.agency_id)
        or policy.can_view(user, action.discussion)
    ):
        return action
    access_log_write(user=user, obj=action.discussion, action=AccessAction.DENIED)
    raise Http404("No such action, or you may not see it.")


def people_strategy_history(user, people) -> dict[int, list[HistoryItem]]:
    """History source for people: the strategy discussions about each that this user may see, with the
    decision made for them."""
    ids = [person.pk for person in people]
    discussions = StrategyDiscussion.objects.filter(referral__subjects__person__in=ids).exclude(
        status=DiscussionStatus.CANCELLED
    )
    discussions = policy.visible(user, discussions).select_related("referral")
    newest = newest_of_each(
        discussions.only("scheduled_at", "status", "referral__reference"),
        "referral__subjects__person_id",
        ids,
        "-scheduled_at",
        "-pk",
    )
    decisions = {}
    if newest:
        shown = {d.pk for found in newest.values() for d in found}
        found = SubjectDecision.objects.filter(discussion__in=shown, person__in=ids)
        found = found.only("discussion", "person", "decision")
        decisions = {(d.discussion_id, d.person_id): d for d in found}
    history: dict[int, list[HistoryItem]] = {}
    for person_id, found in newest.items():
        for discussion in found:
            decision = decisions.get((discussion.pk, person_id))
            history.setdefault(person_id, []).append(
                HistoryItem(
                    kind="Strategy discussion",
                    at=discussion.scheduled_at,
                    title=discussion.referral.reference,
                    summary=decision.get_decision_display() if decision else discussion.get_status_display(),
                    url=reverse("strategy:discussion", args=[discussion.pk]),
                )
            )
    return history


def section_47_enquiries_for(user, *, start, end):
    """Each child's section 47 enquiry decided by a signed-off strategy discussion held in ``[start, end)``
    that the user may see: one ``SubjectDecision`` per child per discussion, oldest first (the
    inspection lists)."""
    period = {"status": DiscussionStatus.SIGNED_OFF, "scheduled_at__gte": start, "scheduled_at__lt": end}
    discussions = StrategyDiscussion.objects.filter(**period)
    visible = policy.visible(user, discussions)
    decisions = SubjectDecision.objects.filter(
        decision__in=SECTION_47, **{f"discussion__{k}": v for k, v in period.items()}
    )
    if visible is not discussions:  # not one who sees every discussion: only the ones they may see
        decisions = decisions.filter(discussion__in=visible)
    return decisions.select_related(
        "person", "conference_clock", "discussion__referral__assigned_to"
    ).order_by("discussion__scheduled_at", "discussion_id", "pk")


def section_47_history(user, person_ids, *, since, until) -> tuple[dict[int, list], dict[int, list]]:
    """For each person, the times of their section 47 enquiries' strategy discussions, and of their
    initial child protection conferences held, in ``[since, until)``, of the discussions the user may
    see: two queries for a whole batch of rows."""
    discussions = policy.visible(user, StrategyDiscussion.objects.filter(status=DiscussionStatus.SIGNED_OFF))
    decisions = SubjectDecision.objects.filter(
        discussion__in=discussions, decision__in=SECTION_47, person_id__in=list(person_ids)
    )
    enquiries: dict[int, list] = {}
    for person_id, at in decisions.filter(
        discussion__scheduled_at__gte=since, discussion__scheduled_at__lt=until
    ).values_list("person_id", "discussion__scheduled_at"):
        enquiries.setdefault(person_id, []).append(at)
    conferences: dict[int, list] = {}
    for person_id, at in decisions.filter(
        conference_clock__stopped_at__gte=since, conference_clock__stopped_at__lt=until
    ).values_list("person_id", "conference_clock__stopped_at"):
        conferences.setdefault(person_id, []).append(at)
    return enquiries, conferences
