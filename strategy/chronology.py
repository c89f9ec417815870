"""A person's chronology, from strategy: the threshold decisions on the referrals they are in, the
strategy discussions about them, the decision made for them, its section 47 finding and the actions
agreed (mash/people/chronology.py).

With a viewer, the records are the ones the sharing policy lists for them (``policy.visible``) and each
event shows what their audience shows: an invited agency sees the discussion, who came, the decisions
and the actions, never the lead agency's threshold decision or the chair's notes and rationale.
"""

from django.db.models import Count
from django.urls import reverse

from mash.common.dates import format_date
from mash.people.chronology import OTHER_PEOPLE, SERIOUS_HARM, Event
from mash.sharing import policy
from referrals.models import Referral, ReferralSubject
from strategy.models import (
    Action,
    Attendance,
    Decision,
    DiscussionStatus,
    Invitation,
    StrategyDiscussion,
    SubjectDecision,
    ThresholdDecision,
)

THRESHOLD = "Threshold decision"
STRATEGY = "Strategy discussion"

# A decision that tells of a police investigation: released to its subject only after a decision
# (telling them may prejudice the investigation and put the child at risk).
HARMFUL_TO_TELL = (Decision.POLICE_INVESTIGATION,)


def _visible(viewer, queryset):
    return queryset if viewer is None else policy.visible(viewer, queryset)


def _audience(viewer, model):
    return policy.Audience.FULL if viewer is None else policy.list_audience(viewer, model)


def _referrals_of(person):
    return ReferralSubject.objects.filter(person=person).values("referral_id")


def threshold_chronology(viewer, person):
    """Chronology source: the Strategy Threshold Decisions on the referrals naming ``person``."""
    decisions = list(
        _visible(viewer, ThresholdDecision.objects.filter(referral_id__in=_referrals_of(person)))
        .select_related("referral")
        .annotate(named=Count("referral__subjects"))
        .order_by("decided_at", "pk")
    )
    if not decisions:
        return
    # The decision is read on its referral's page: linked for whoever may open the referral.
    referral_ids = {decision.referral_id for decision in decisions}
    openable = set(
        _visible(viewer, Referral.objects.filter(pk__in=referral_ids)).values_list("pk", flat=True)
    )
    for decision in decisions:
        outcome = "Strategy discussion required" if decision.required else "Strategy discussion not required"
        yield Event(
            at=decision.decided_at,
            kind="Threshold decision",
            title=decision.referral.reference,
            summary=f"{outcome}: {decision.rationale}",
            url=reverse("referrals:detail", args=[decision.referral_id])
            if decision.referral_id in openable
            else "",
            record=decision,
            release_flags=(OTHER_PEOPLE,) if decision.named > 1 else (),
            category=THRESHOLD,
        )


def strategy_chronology(viewer, person):
    """Chronology source: the strategy discussions about ``person`` and what they decided for them."""
    discussions = list(
        _visible(viewer, StrategyDiscussion.objects.filter(referral_id__in=_referrals_of(person)))
        .select_related("referral")
        .order_by("scheduled_at", "pk")
    )
    if not discussions:
        return []
    audience = _audience(viewer, StrategyDiscussion)
    shows = lambda name: policy.shows(audience, StrategyDiscussion, name)  # noqa: E731
    by_id = {discussion.pk: discussion for discussion in discussions}
    attended = {}
    if shows("invitations"):
        rows = Invitation.objects.filter(discussion_id__in=by_id, attendance=Attendance.ATTENDED)
        for discussion_id, agency in rows.values_list("discussion_id", "agency__name").order_by(
            "agency__name"
        ):
            attended.setdefault(discussion_id, []).append(agency)
    events = [_discussion_event(d, attended.get(d.pk)) for d in discussions]
    if shows("decisions"):
        rows = SubjectDecision.objects.filter(discussion_id__in=by_id, person=person).order_by("pk")
        for decision in rows:
            events.extend(_decision_events(decision, by_id[decision.discussion_id]))
    if shows("actions"):
        rows = Action.objects.filter(discussion_id__in=by_id).select_related("owner_agency").order_by("pk")
        for action in rows:
            events.extend(_action_events(action, by_id[action.discussion_id]))
    return events


def _url(discussion) -> str:
    return reverse("strategy:discussion", args=[discussion.pk])


def _discussion_event(discussion, attended) -> Event:
    common = {"title": discussion.referral.reference, "url": _url(discussion), "record": discussion}
    if discussion.status == DiscussionStatus.CANCELLED:
        return Event(
            at=discussion.cancelled_at, kind="Strategy discussion cancelled", category=STRATEGY, **common
        )
    mode = discussion.get_mode_display().lower()
    if discussion.status == DiscussionStatus.SIGNED_OFF:
        summary = (
            f"{mode.capitalize()}. Attended by {', '.join(attended)}." if attended else mode.capitalize()
        )
        return Event(
            at=discussion.scheduled_at,
            kind="Strategy discussion held",
            summary=summary,
            category=STRATEGY,
            **common,
        )
    return Event(
        at=discussion.scheduled_at,
        kind="Strategy discussion scheduled",
        summary=mode.capitalize(),
        category=STRATEGY,
        **common,
    )


def _decision_events(decision, discussion):
    common = {"title": discussion.referral.reference, "url": _url(discussion), "record": discussion}
    if discussion.status == DiscussionStatus.SIGNED_OFF:
        flags = (SERIOUS_HARM,) if decision.decision in HARMFUL_TO_TELL else ()
        summary = decision.get_decision_display() + (f": {decision.rationale}" if decision.rationale else "")
        yield Event(
            at=discussion.signed_off_at,
            kind="Strategy decision",
            summary=summary,
            release_flags=flags,
            category=STRATEGY,
            **common,
        )
    if decision.finding and decision.finding_at:
        yield Event(
            at=decision.finding_at,
            kind="Section 47 enquiry finding",
            summary=decision.get_finding_display(),
            category=STRATEGY,
            **common,
        )


def _action_events(action, discussion):
    common = {
        "title": discussion.referral.reference,
        "url": _url(discussion),
        "record": discussion,
        "agency": action.owner_agency,
        "category": STRATEGY,
    }
    yield Event(
        at=action.created_at,
        kind=f"Action for {action.owner_agency.name}",
        summary=f"{action.description} (due {format_date(action.due_on)})",
        **common,
    )
    if action.completed_at:
        yield Event(
            at=action.completed_at,
            kind=f"Action done by {action.owner_agency.name}",
            summary=action.description + (f": {action.completion_note}" if action.completion_note else ""),
            **common,
        )
