"""Convening, re-scheduling and cancelling strategy discussions; who is invited; what is considered.

Every invitation, re-scheduling and cancellation is written to the outbox in the same transaction,
in-app and by e-mail with an iCalendar attachment, once per invitee (idempotency keys).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency, Membership
from mash.agencies.selectors import actor_for
from mash.common.dates import format_datetime
from mash.common.errors import require, require_role
from mash.common.ordering import order_error, when
from mash.common.versioning import save_change
from mash.notifications.services import notify
from referrals import services as referral_services
from referrals.models import EventKind, InformationRequest, Referral, RequestStatus, State
from strategy import policy
from strategy.ics import ics_attachment
from strategy.models import DiscussionStatus, Invitation, Mode, StrategyDiscussion
from strategy.services.access import sync_access
from strategy.services.common import discussion_url, invitation_recipients, locked_open
from strategy.services.threshold import latest_required

MAX_BACKDATING = timedelta(days=7)  # a discussion held at short notice may be recorded afterwards
MAX_AHEAD = timedelta(days=90)
# A discussion called by phone may start just before the decision that called it is recorded.
DECISION_TOLERANCE = timedelta(hours=1)


@dataclass(frozen=True)
class Invitee:
    """An agency, or a named person of it."""

    agency: Agency
    user: object | None = None


def _fresh(requests) -> list[InformationRequest]:
    """The requests as they are now (a caller's copies may predate an answer)."""
    return list(InformationRequest.objects.filter(pk__in=[r.pk for r in requests]).select_related("agency"))


def _when(discussion: StrategyDiscussion) -> str:
    return format_datetime(discussion.scheduled_at)


def _validate_time(scheduled_at: datetime, *, referral: Referral, decided_at: datetime) -> None:
    """When a discussion is (or was) held: not before the referral was received, nor more than an
    hour before the threshold decision that called it, recorded at most a week late, within 90 days."""
    now = timezone.now()
    require(timezone.is_aware(scheduled_at), {"scheduled_at": "Give the date and time."})
    require(
        scheduled_at >= now - MAX_BACKDATING,
        {"scheduled_at": "A discussion can be recorded at most a week after it was held."},
    )
    error = order_error(
        scheduled_at,
        the="The discussion",
        earlier=referral.received_at,
        earlier_the="the referral was received",
    )
    require(not error, {"scheduled_at": error})
    require(
        scheduled_at >= decided_at - DECISION_TOLERANCE,
        {
            "scheduled_at": "The discussion cannot be held more than an hour before the threshold decision "
            f"({when(decided_at)})."
        },
    )
    require(scheduled_at <= now + MAX_AHEAD, {"scheduled_at": "Hold the discussion within 90 days."})


def _validate_invitees(invitees: list[Invitee]) -> list[Invitee]:
    seen = set()
    for invitee in invitees:
        require(invitee.agency.is_active, {"invitees": f"{invitee.agency} is not an active agency."})
        if invitee.user is not None:
            name = invitee.user.get_full_name() or invitee.user
            require(
                Membership.objects.filter(user=invitee.user, agency=invitee.agency).exists()
                and invitee.user.is_active,
                {"invitees": f"{name} does not work for {invitee.agency}."},
            )
        key = (invitee.agency.pk, getattr(invitee.user, "pk", None))
        require(key not in seen, {"invitees": f"{invitee.agency} is invited twice."})
        seen.add(key)
    return invitees


def _notify_invitation(
    discussion: StrategyDiscussion, *, key: str, title: str, body: str, detail: str = "", cancel=False
):
    recipients = list({u.pk: u for u in [*invitation_recipients(discussion), discussion.chair]}.values())
    notify(
        recipients=recipients,
        event="strategy_discussion.cancelled" if cancel else "strategy_discussion.invitation",
        idempotency_key=key,
        title=title,
        body=body,
        detail=detail,
        url=discussion_url(discussion),
        subject=discussion,
        attachments=[ics_attachment(discussion, cancel=cancel, attendees=recipients)],
    )


def _invite(discussion: StrategyDiscussion) -> None:
    _notify_invitation(
        discussion,
        key=f"strategy_discussion:{discussion.pk}:invitation:{discussion.sequence}",
        title=f"Strategy discussion about {discussion.referral.reference}: {_when(discussion)}",
        body=f"You are invited to a strategy discussion about referral {discussion.referral.reference}: "
        f"{discussion.get_mode_display().lower()}, {_when(discussion)}"
        + (f", {discussion.location}" if discussion.location else "")
        + f". Chair: {discussion.chair.get_full_name() or discussion.chair}.",
    )


@transaction.atomic
def discussion_convene(
    *,
    referral: Referral,
    by,
    scheduled_at: datetime,
    mode: str,
    chair,
    invitees: list[Invitee],
    location: str = "",
    duration_minutes: int = 60,
    considered: list[InformationRequest] | None = None,
) -> StrategyDiscussion:
    """Convene a discussion of a referral a threshold decision sent to strategy: invite the agencies
    and people, grant them sight of what it will consider, and send the invitations."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    require_role(
        policy.may_convene(actor_for(by)), "Only the lead agency's decision makers may convene a discussion."
    )
    require(
        referral.state == State.STRATEGY_DISCUSSION,
        "Convene a discussion after a threshold decision that one is required.",
    )
    require(
        not referral.strategy_discussions.filter(status=DiscussionStatus.SCHEDULED).exists(),
        "A discussion of this referral is already scheduled: re-schedule it instead.",
    )
    threshold = latest_required(referral)
    require(mode in Mode.values, {"mode": "Choose a meeting, a call or a video call."})
    _validate_time(scheduled_at, referral=referral, decided_at=threshold.decided_at)
    require(policy.may_chair(actor_for(chair)), {"chair": "The chair must be a decision maker."})
    require(5 <= duration_minutes <= 480, {"duration_minutes": "A discussion lasts 5 minutes to 8 hours."})
    chair_agency = actor_for(chair).agency
    invitees = _validate_invitees(list(invitees))
    require(
        any(not i.agency.is_lead for i in invitees),
        {"invitees": "Invite at least one partner agency (police, health, education or adult services)."},
    )
    if considered is None:
        considered = list(referral.information_requests.filter(status=RequestStatus.ANSWERED))
    considered = _fresh(considered)
    for request in considered:
        require(
            request.referral_id == referral.pk and request.status == RequestStatus.ANSWERED,
            {"considered": f"{request.agency}'s request is not an answer about this referral."},
        )
    now = timezone.now()
    discussion = StrategyDiscussion(
        referral=referral,
        threshold_decision=threshold,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location.strip(),
        chair=chair,
        convened_by=by,
        convened_at=now,
    )
    discussion.full_clean()
    discussion.save()
    discussion.considered.set(considered)
    rows = {(i.agency.pk, getattr(i.user, "pk", None)): i for i in invitees}
    rows.setdefault((chair_agency.pk, chair.pk), Invitee(agency=chair_agency, user=chair))
    Invitation.objects.bulk_create(
        Invitation(discussion=discussion, agency=i.agency, user=i.user) for i in rows.values()
    )
    sync_access(discussion)
    _invite(discussion)
    referral_services.timeline_add(
        referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Strategy discussion convened for {_when(discussion)} "
        f"({discussion.get_mode_display().lower()}), chaired by {chair.get_full_name() or chair}. Invited: "
        + ", ".join(sorted({i.agency.name for i in rows.values()})),
    )
    return discussion


@transaction.atomic
def discussion_reschedule(
    *,
    discussion: StrategyDiscussion,
    by,
    scheduled_at: datetime,
    reason: str,
    mode: str | None = None,
    location: str | None = None,
    duration_minutes: int | None = None,
    expected_version: int | None = None,
) -> StrategyDiscussion:
    discussion = locked_open(discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion),
        "Only the chair or a lead decision maker may re-schedule.",
    )
    require(bool(reason.strip()), {"reason": "Say why the discussion is re-scheduled."})
    if mode is not None:
        require(mode in Mode.values, {"mode": "Choose a meeting, a call or a video call."})
        discussion.mode = mode
    _validate_time(
        scheduled_at, referral=discussion.referral, decided_at=discussion.threshold_decision.decided_at
    )
    if duration_minutes is not None:
        require(
            5 <= duration_minutes <= 480, {"duration_minutes": "A discussion lasts 5 minutes to 8 hours."}
        )
        discussion.duration_minutes = duration_minutes
    if location is not None:
        discussion.location = location.strip()
    before = _when(discussion)
    discussion.scheduled_at = scheduled_at
    discussion.sequence += 1
    save_change(discussion, ["scheduled_at", "mode", "location", "duration_minutes", "sequence"])
    _notify_invitation(
        discussion,
        key=f"strategy_discussion:{discussion.pk}:invitation:{discussion.sequence}",
        title=f"Re-scheduled: strategy discussion about {discussion.referral.reference}, {_when(discussion)}",
        body=f"The strategy discussion about referral {discussion.referral.reference} has moved from "
        f"{before} "
        f"to {_when(discussion)} ({discussion.get_mode_display().lower()}"
        + (f", {discussion.location}" if discussion.location else "")
        + ").",
        detail=f"Reason: {reason.strip()}",
    )
    referral_services.timeline_add(
        discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Strategy discussion re-scheduled from {before} to {_when(discussion)}: {reason.strip()}",
    )
    return discussion


@transaction.atomic
def discussion_cancel(
    *, discussion: StrategyDiscussion, by, reason: str, expected_version: int | None = None
) -> StrategyDiscussion:
    """Cancel an open discussion: invitees are told (with a calendar cancellation) and lose sight of it.
    The threshold decision stands: convene another."""
    discussion = locked_open(discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion), "Only the chair or a lead decision maker may cancel."
    )
    require(bool(reason.strip()), {"reason": "Say why the discussion is cancelled."})
    discussion.status = DiscussionStatus.CANCELLED
    discussion.cancelled_at, discussion.cancelled_by = timezone.now(), by
    discussion.cancellation_reason = reason.strip()
    discussion.sequence += 1
    save_change(discussion, ["status", "cancelled_at", "cancelled_by", "cancellation_reason", "sequence"])
    sync_access(discussion)
    _notify_invitation(
        discussion,
        key=f"strategy_discussion:{discussion.pk}:cancelled",
        title=f"Cancelled: strategy discussion about {discussion.referral.reference}",
        body=f"The strategy discussion about referral {discussion.referral.reference} on {_when(discussion)} "
        f"is cancelled.",
        detail=f"Reason: {reason.strip()}",
        cancel=True,
    )
    referral_services.timeline_add(
        discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Strategy discussion cancelled: {reason.strip()}",
    )
    return discussion


@transaction.atomic
def invitations_add(
    *, discussion: StrategyDiscussion, by, invitees: list[Invitee], expected_version: int | None = None
) -> list[Invitation]:
    """Invite more agencies or people to an open discussion; only they are sent the invitation."""
    discussion = locked_open(discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion), "Only the chair or a lead decision maker may invite."
    )
    require(bool(invitees), {"invitees": "Choose who to invite."})
    invitees = _validate_invitees(list(invitees))
    for invitee in invitees:
        require(
            not discussion.invitations.filter(agency=invitee.agency, user=invitee.user).exists(),
            {"invitees": f"{invitee.user or invitee.agency} is already invited."},
        )
    added = Invitation.objects.bulk_create(
        Invitation(discussion=discussion, agency=i.agency, user=i.user) for i in invitees
    )
    save_change(discussion, [])
    sync_access(discussion)
    _invite(discussion)  # the same key: only the new invitees get a row
    return added


@transaction.atomic
def invitation_remove(*, invitation: Invitation, by, expected_version: int | None = None) -> None:
    discussion = locked_open(invitation.discussion, expected_version)
    # Read it under the lock: the caller's copy may predate an attendance just recorded.
    invitation = discussion.invitations.select_related("agency").get(pk=invitation.pk)
    require_role(
        policy.may_manage(actor_for(by), discussion), "Only the chair or a lead decision maker may uninvite."
    )
    require(
        invitation.user_id != discussion.chair_id,
        "The chair cannot be uninvited; re-convene with another chair.",
    )
    require(not invitation.attendance, "Attendance is recorded for this invitee: record them absent instead.")
    agency = invitation.agency
    invitation.delete()
    save_change(discussion, [])
    sync_access(discussion, also_agencies=[agency])


@transaction.atomic
def considered_set(
    *,
    discussion: StrategyDiscussion,
    by,
    requests: list[InformationRequest],
    expected_version: int | None = None,
) -> StrategyDiscussion:
    """Choose the answers the discussion considers; the invitees' sight of them follows."""
    discussion = locked_open(discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion),
        "Only the chair or a lead decision maker may choose this.",
    )
    requests = _fresh(requests)
    for request in requests:
        require(
            request.referral_id == discussion.referral_id and request.status == RequestStatus.ANSWERED,
            {"considered": f"{request.agency}'s request is not an answer about this referral."},
        )
    before = list(discussion.considered.all())
    discussion.considered.set(requests)
    save_change(discussion, [])
    sync_access(discussion, also_requests=before)
    return discussion
