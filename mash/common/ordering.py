"""Times that follow one another: a time recorded for a step (a discussion held, a person found, a
disclosure made) may not come before the time of the step it follows (the referral received, the
person last seen, the decision). One rule and one message for every case record; the back-dating
rule (mash/common/backdating.py) is the other check on a recorded time."""

from datetime import datetime

from mash.common.dates import format_datetime


def when(at: datetime) -> str:
    """A time as the messages name it: '7 Dec 2026 10:00', in local time."""
    return format_datetime(at)


def order_error(at: datetime | None, *, the: str, earlier: datetime | None, earlier_the: str) -> str:
    """What is wrong with ``at``, a time that follows ``earlier``, or "" when nothing: it may not come
    before it. Forms give minutes, so ``earlier`` counts from its minute. ``the`` names the field in
    the message ("The discussion"), ``earlier_the`` what it follows ("the referral was received")."""
    if at is None or earlier is None:
        return ""
    if at < earlier.replace(second=0, microsecond=0):
        return f"{the} cannot be before {earlier_the} ({when(earlier)})."
    return ""
