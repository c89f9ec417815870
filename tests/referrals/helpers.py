"""Assertions the referral tests share: what a refused change must leave untouched."""

from mash.clocks.models import Clock
from mash.notifications.models import Notification
from mash.people.models import Person
from referrals.models import ReferenceCounter, Referral, ReferralSubject, TimelineEvent

SAVED_BY_CREATE = (Referral, ReferralSubject, Person, Clock, TimelineEvent, ReferenceCounter)

# The cast's roles, by what the lead agency's rules let them do (referrals/policy.py).
OUTSIDE_THE_LEAD_AGENCY = ["police_researcher", "police_decision_maker", "health_researcher", "outsider"]
LEAD_BUT_NOT_TRIAGE = ["decision_maker", "governance"]
LEAD_BUT_NOT_DECISION = ["triage", "governance"]


def row_counts(*models) -> dict[str, int]:
    """How many rows each model holds (by default, everything referral_create writes)."""
    return {model.__name__: model.objects.count() for model in models or SAVED_BY_CREATE}


def snapshot(referral) -> dict:
    """Everything a refused change must leave as it was: the row, its clock, history and outbox."""
    return {
        "row": Referral.objects.filter(pk=referral.pk).values().get(),
        "clock": Clock.objects.filter(pk=referral.decision_clock_id).values().get(),
        "timeline": list(referral.timeline.values_list("pk", flat=True)),
        "ratings": list(referral.rag_history.values_list("pk", flat=True)),
        "notifications": Notification.objects.count(),
    }


def error_fields(excinfo) -> set[str]:
    """The fields a ValidationError names (empty for a message about the whole referral)."""
    return set(excinfo.value.message_dict) if hasattr(excinfo.value, "error_dict") else set()
