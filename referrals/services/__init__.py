"""Every write to a referral or a consultation (keyword-only, atomic; refusals name the field and the
rule). A referral's state moves only through make_move (transitions.py), by its TRANSITIONS table."""

from referrals.services.consultations import consultation_convert, consultation_create
from referrals.services.decision import (
    FEEDBACK_EXPLANATIONS,
    feedback_message,
    outcomes_for,
    referral_close,
    referral_record_outcome,
    referral_record_strategy_outcome,
    referral_refer_to_strategy,
    referral_reopen,
)
from referrals.services.intake import (
    DECISION_CLOCK,
    DECISION_WORKING_DAYS,
    DUPLICATE_WINDOW_DAYS,
    SubjectInput,
    referral_create,
    referral_errors,
)
from referrals.services.transitions import (
    MANUAL_OUTCOME_FROM,
    NOTE_REQUIRED,
    SIMPLE_TRANSITIONS,
    TRANSITIONS,
    Move,
    allowed_next_states,
    timeline_add,
)
from referrals.services.triage import (
    RATEABLE_STATES,
    partners_all_answered,
    referral_all_partners_answered,
    referral_assign,
    referral_rate,
    referral_transition,
)

__all__ = [
    "DECISION_CLOCK",
    "DECISION_WORKING_DAYS",
    "DUPLICATE_WINDOW_DAYS",
    "FEEDBACK_EXPLANATIONS",
    "MANUAL_OUTCOME_FROM",
    "NOTE_REQUIRED",
    "RATEABLE_STATES",
    "SIMPLE_TRANSITIONS",
    "TRANSITIONS",
    "Move",
    "SubjectInput",
    "allowed_next_states",
    "consultation_convert",
    "consultation_create",
    "feedback_message",
    "outcomes_for",
    "partners_all_answered",
    "referral_all_partners_answered",
    "referral_assign",
    "referral_close",
    "referral_create",
    "referral_errors",
    "referral_rate",
    "referral_record_outcome",
    "referral_record_strategy_outcome",
    "referral_refer_to_strategy",
    "referral_reopen",
    "referral_transition",
    "timeline_add",
]
