"""How far back the time something happened may be given when it is recorded: a referral received,
a consultation call, a disclosure application, a missing report. One rule for every case record."""

from datetime import datetime, timedelta

from django.utils import timezone

MAX_BACKDATING = timedelta(days=366)  # recorded late is still recorded within the year (a leap year too)


def recorded_time_error(at: datetime, *, the: str, now: datetime | None = None) -> str:
    """What is wrong with ``at``, the time something happened as the person recording it gives it, or
    "" when nothing: it may not be in the future, nor more than a year ago. ``the`` names it in the
    message ("The time received")."""
    now = now or timezone.now()
    if at > now:
        return f"{the} cannot be in the future."
    if at < now - MAX_BACKDATING:
        return f"{the} cannot be more than a year ago."
    return ""
