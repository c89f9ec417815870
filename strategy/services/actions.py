"""The discussion's actions: what, whose, by when; tracked to completion with reminders."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency, Membership
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import Calendar
from mash.common.dates import format_date
from mash.common.errors import require, require_role
from mash.common.versioning import save_change
from mash.notifications.services import notify, notify_once
from referrals import services as referral_services
from referrals.models import EventKind
from strategy import policy
from strategy.models import Action, ActionStatus, DiscussionStatus, StrategyDiscussion
from strategy.services.access import sync_access
from strategy.services.common import agency_contacts, locked_open


def _owners(action: Action) -> list:
    if action.owner_id:
        return [action.owner] if action.owner.is_active else agency_contacts(action.owner_agency_id)
    return agency_contacts(action.owner_agency_id)


@transaction.atomic
def action_add(
    *,
    discussion: StrategyDiscussion,
    by,
    description: str,
    owner_agency: Agency,
    due_on: date,
    owner=None,
    expected_version: int | None = None,
) -> Action:
    """Add an action while the record is open; its owner (or the agency's contacts) hear of it, and the
    owner agency sees the discussion from now on."""
    discussion = locked_open(discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion),
        "Only the chair or a lead decision maker may add actions.",
    )
    require(bool(description.strip()), {"description": "Say what is to be done."})
    require(owner_agency.is_active, {"owner_agency": f"{owner_agency} is not an active agency."})
    if owner is not None:
        require(
            Membership.objects.filter(user=owner, agency=owner_agency).exists() and owner.is_active,
            {"owner": f"{owner.get_full_name() or owner} does not work for {owner_agency}."},
        )
    require(due_on >= timezone.localdate(), {"due_on": "The due date cannot be in the past."})
    action = Action(
        discussion=discussion,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    save_change(discussion, [])
    sync_access(discussion)
    notify(
        recipients=_owners(action),
        event="strategy_action.assigned",
        idempotency_key=f"strategy_action:{action.pk}:assigned",
        title=f"Action for {owner_agency.name} from a strategy discussion ({discussion.referral.reference})",
        body=f"Due by {format_date(action.due_on)}.",
        detail=action.description,
        url="/strategy/actions/",
        subject=action,
    )
    return action


@transaction.atomic
def action_remove(*, action: Action, by, expected_version: int | None = None) -> None:
    discussion = locked_open(action.discussion, expected_version)
    require_role(
        policy.may_manage(actor_for(by), discussion),
        "Only the chair or a lead decision maker may remove actions.",
    )
    agency = action.owner_agency
    action.delete()
    save_change(discussion, [])
    sync_access(discussion, also_agencies=[agency])


@transaction.atomic
def action_complete(*, action: Action, by, note: str = "") -> Action:
    action = Action.objects.select_for_update().select_related("discussion").get(pk=action.pk)
    require_role(policy.may_complete(actor_for(by), action), "Only the action's owner may complete it.")
    require(action.status == ActionStatus.OPEN, "This action is already done.")
    require(action.discussion.status != DiscussionStatus.CANCELLED, "The discussion was cancelled.")
    action.status, action.completed_at, action.completed_by = ActionStatus.DONE, timezone.now(), by
    action.completion_note = note.strip()
    action.full_clean()
    action.save()
    referral_services.timeline_add(
        action.discussion.referral,
        by=by,
        kind=EventKind.STRATEGY,
        note=f"Action done ({action.owner_agency.name}): {action.description}"
        + (f"\n{action.completion_note}" if action.completion_note else ""),
    )
    return action


def send_action_reminders(*, now: datetime | None = None) -> tuple[int, int]:
    """Beat task: remind an action's owner when it falls due by the next working day, and tell them and
    the chair once it is overdue. Each once: the action is claimed with a conditional update first
    (``notify_once``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = Calendar().next_working_day(today)
    live = Action.objects.filter(status=ActionStatus.OPEN).exclude(
        discussion__status=DiscussionStatus.CANCELLED
    )
    live = live.select_related("discussion__referral", "discussion__chair", "owner_agency", "owner")

    def overdue_notice(action) -> dict:
        recipients = {u.pk: u for u in [*_owners(action), action.discussion.chair]}
        return {
            "recipients": list(recipients.values()),
            "event": "strategy_action.overdue",
            "idempotency_key": f"strategy_action:{action.pk}:overdue",
            "title": f"Overdue action ({action.discussion.referral.reference}): {action.description[:80]}",
            "body": f"{action.owner_agency.name}'s action was due by {format_date(action.due_on)}.",
            "url": "/strategy/actions/",
            "subject": action,
        }

    def reminder(action) -> dict:
        return {
            "recipients": _owners(action),
            "event": "strategy_action.reminder",
            "idempotency_key": f"strategy_action:{action.pk}:reminder",
            "title": f"Action due {format_date(action.due_on)} ({action.discussion.referral.reference})",
            "body": action.description,
            "url": "/strategy/actions/",
            "subject": action,
        }

    late = live.filter(overdue_notified_at__isnull=True, due_on__lt=today)
    overdue = notify_once(late, mark="overdue_notified_at", now=now, notice=overdue_notice)
    due_soon = live.filter(
        reminded_at__isnull=True, overdue_notified_at__isnull=True, due_on__gte=today, due_on__lte=horizon
    )
    reminded = notify_once(due_soon, mark="reminded_at", now=now, notice=reminder)
    return reminded, overdue
