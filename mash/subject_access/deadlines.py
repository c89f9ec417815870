"""The subject access clock: one calendar month from the day of receipt, as the ICO counts it
(docs/subject-access.md, 'The clock').

- The day of receipt is day one; the response is due on the corresponding calendar date of the next
  month (received 3 September, due 3 October).
- A month without that date: the last day of that month (received 31 January, due 28 February, or the
  29th in a leap year).
- A due date on a weekend or a bank holiday (England and Wales) moves to the next working day.
- Extended once by up to two further months: the same rule, three months from receipt.

The request's Clock (mash/clocks) runs from the start of the day of receipt to the end of the due
day, on calendar days, so every page describes it as the others ('due in 12 days', 'overdue by 2 days').
"""

import calendar as months
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from mash.clocks.calendar import Calendar
from mash.clocks.models import ClockBasis

KIND = "subject access"
KIND_EXTENDED = "subject access (extended)"
ONE_MONTH = 1
EXTENDED_MONTHS = 3  # the first month and up to two further months


def months_on(day: date, months_later: int) -> date:
    """The corresponding calendar date ``months_later`` months on, or that month's last day."""
    index = day.month - 1 + months_later
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def due_on(received_on: date, months_later: int = ONE_MONTH, *, calendar: Calendar | None = None) -> date:
    calendar = calendar or Calendar()
    due = months_on(received_on, months_later)
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    return due


def clock_fields(start_on: date, end_on: date) -> dict:
    """What ``clock_start`` takes for a clock from the start of ``start_on`` to the end of ``end_on``."""
    started_at = datetime.combine(start_on, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return {
        "basis": ClockBasis.CALENDAR_DAYS,
        "amount": (end_on - start_on).days + 1,
        "started_at": started_at,
    }
