"""Reminders and escalation (a beat task): an open request is reminded at 75% of its time and
escalated at breach, each once."""

from django.utils import timezone

from mash.agencies.roles import Role
from mash.agencies.selectors import members_with_role
from mash.clocks.calendar import Calendar, time_between
from mash.clocks.models import Clock
from mash.common.dates import format_datetime
from mash.notifications.services import notify_once
from referrals.models import InformationRequest, RequestStatus
from referrals.requests.services.common import request_url, researchers

REMINDER_FRACTION = 0.75


def _elapsed_fraction(clock: Clock, now, calendar: Calendar) -> float:
    total = time_between(clock, clock.started_at, clock.due_at, calendar=calendar).total_seconds()
    done = time_between(clock, clock.started_at, now, calendar=calendar).total_seconds()
    return 1.0 if total <= 0 else done / total


def send_reminders_and_escalations(*, now=None) -> tuple[int, int]:
    """Beat task: remind at 75% of the time, escalate at breach. Each is sent once: a request is
    claimed with a conditional update before anything is written for it (``notify_once``)."""
    now = now or timezone.now()
    calendar = Calendar()
    open_requests = InformationRequest.objects.filter(status=RequestStatus.OPEN).select_related(
        "clock", "referral", "agency", "assigned_to"
    )

    def escalation(request) -> dict:
        Clock.objects.filter(pk=request.clock_id, breached_at__isnull=True).update(breached_at=now)
        managers = list(members_with_role(request.agency_id, Role.DECISION_MAKER)) + list(
            members_with_role(request.agency_id, Role.MASH_MANAGER)
        )
        return {
            "recipients": list({u.pk: u for u in managers}.values()),
            "event": "information_request.escalated",
            "idempotency_key": f"information_request:{request.pk}:escalated",
            "title": f"Overdue: {request.agency.name}'s answer about {request.referral.reference}",
            "body": f"The answer was due {format_datetime(request.clock.due_at)} and has not been submitted.",
            "url": request_url(request),
            "subject": request,
        }

    def reminder(request) -> dict:
        return {
            "recipients": [request.assigned_to] if request.assigned_to_id else researchers(request.agency_id),
            "event": "information_request.reminder",
            "idempotency_key": f"information_request:{request.pk}:reminder",
            "title": f"Reminder: answer due about {request.referral.reference}",
            "body": f"Due {format_datetime(request.clock.due_at)}.",
            "url": request_url(request),
            "subject": request,
        }

    overdue = open_requests.filter(escalated_at__isnull=True, clock__due_at__lte=now)
    escalated = notify_once(overdue, mark="escalated_at", now=now, notice=escalation)
    running = open_requests.filter(
        reminder_sent_at__isnull=True, escalated_at__isnull=True, clock__due_at__gt=now
    )
    late_enough = (r for r in running if _elapsed_fraction(r.clock, now, calendar) >= REMINDER_FRACTION)
    reminded = notify_once(late_enough, mark="reminder_sent_at", now=now, notice=reminder)
    return reminded, escalated
