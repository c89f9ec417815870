"""Every write to an information request (keyword-only, atomic; refusals name the field and the rule):
asking partner agencies (the fan-out and the grants), answering (entries, submission, addenda),
withdrawal (and the referral moving on once every live request is answered), reminders and escalation.
"""

from referrals.requests.services.answering import (
    EntryInput,
    information_request_claim,
    information_request_submit,
    response_addendum_add,
    response_entry_add,
    response_entry_remove,
)
from referrals.requests.services.asking import (
    DEFAULT_TIMESCALES,
    REQUEST_CLOCK,
    RequestInput,
    information_requests_send,
    timescale_for,
)
from referrals.requests.services.reminders import REMINDER_FRACTION, send_reminders_and_escalations
from referrals.requests.services.withdrawal import information_request_withdraw

__all__ = [
    "DEFAULT_TIMESCALES",
    "REMINDER_FRACTION",
    "REQUEST_CLOCK",
    "EntryInput",
    "RequestInput",
    "information_request_claim",
    "information_request_submit",
    "information_request_withdraw",
    "information_requests_send",
    "response_addendum_add",
    "response_entry_add",
    "response_entry_remove",
    "send_reminders_and_escalations",
    "timescale_for",
]
