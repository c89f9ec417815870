"""Every write of the strategy app. Services are keyword-only, atomic, and refuse with a ValidationError
naming the field and the rule."""

from strategy.services.actions import action_add, action_complete, action_remove, send_action_reminders
from strategy.services.discussions import (
    Invitee,
    considered_set,
    discussion_cancel,
    discussion_convene,
    discussion_reschedule,
    invitation_remove,
    invitations_add,
)
from strategy.services.ratings import RatingInput, rating_problems
from strategy.services.record import (
    DecisionInput,
    addendum_add,
    attendance_record,
    conference_held,
    decided_for,
    decisions_for,
    decisions_record,
    discussion_sign_off,
    finding_record,
    record_update,
    sign_off_problems,
    subjects_of,
)
from strategy.services.threshold import latest_required, threshold_decide, timescale_for

__all__ = [
    "DecisionInput",
    "Invitee",
    "RatingInput",
    "action_add",
    "action_complete",
    "action_remove",
    "addendum_add",
    "attendance_record",
    "conference_held",
    "considered_set",
    "decided_for",
    "decisions_for",
    "decisions_record",
    "discussion_cancel",
    "discussion_convene",
    "discussion_reschedule",
    "discussion_sign_off",
    "finding_record",
    "invitation_remove",
    "invitations_add",
    "latest_required",
    "rating_problems",
    "record_update",
    "send_action_reminders",
    "sign_off_problems",
    "subjects_of",
    "threshold_decide",
    "timescale_for",
]
