"""The period a dashboard measures: this week, this month, this quarter, the last 12 months, or dates.

One rule for the form, the API and any other caller (``period_of``): the same input gets the same
message naming the field. A period is whole local days, from midnight of its first day to midnight
after its last, so a clock change inside it changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.dates import format_date

WEEK, MONTH, QUARTER, YEAR, DATES = "week", "month", "quarter", "year", "dates"
CHOICES = [
    (WEEK, "This week"),
    (MONTH, "This month"),
    (QUARTER, "This quarter"),
    (YEAR, "The last 12 months"),
    (DATES, "Dates"),
]
DEFAULT = MONTH
MAX_DAYS = 5 * 366
"""The longest period of chosen dates: five years."""

BY_NONE, BY_MONTH, BY_AGENCY = "", "month", "agency"
BY_CHOICES = [(BY_NONE, "The whole period"), (BY_MONTH, "Month"), (BY_AGENCY, "Agency")]


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    choice: str = DATES

    @property
    def start(self) -> datetime:
        """Local midnight at the start of the first day."""
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """Local midnight after the last day (exclusive)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def label(self) -> str:
        if self.first == self.last:
            return format_date(self.first)
        return f"{format_date(self.first)} to {format_date(self.last)}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        month, months = self.first.replace(day=1), []
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    def params(self) -> dict[str, str]:
        """The query parameters that choose this period again (links, downloads, drill-downs)."""
        if self.choice != DATES:
            return {"period": self.choice}
        return {"period": DATES, "since": self.first.isoformat(), "until": self.last.isoformat()}


def period_of(choice: str = DEFAULT, since: date | None = None, until: date | None = None, *, today=None):
    """The period chosen, or a ValidationError keyed by the field at fault."""
    today = today or timezone.localdate()
    choice = choice or DEFAULT
    if choice == WEEK:
        return Period(today - timedelta(days=today.weekday()), today, WEEK)
    if choice == MONTH:
        return Period(today.replace(day=1), today, MONTH)
    if choice == QUARTER:
        return Period(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today, QUARTER)
    if choice == YEAR:
        first = today.replace(year=today.year - 1) + timedelta(days=1) if not _leap_day(today) else None
        return Period(first or date(today.year - 1, 3, 1), today, YEAR)
    if choice != DATES:
        raise ValidationError({"period": f"Choose one of: {', '.join(label for _, label in CHOICES)}."})
    errors = {}
    if since is None:
        errors["since"] = "Enter the first day of the period."
    elif since > today:
        errors["since"] = "The first day must be today or in the past."
    if until is None:
        errors["until"] = "Enter the last day of the period."
    elif until > today:
        errors["until"] = "The last day must be today or in the past."
    if not errors and until < since:
        errors["until"] = "The last day must be the same as or after the first day."
    if not errors and (until - since).days + 1 > MAX_DAYS:
        errors["until"] = (
            "A period can be five years at most: choose a later first day or an earlier last day."
        )
    if errors:
        raise ValidationError(errors)
    return Period(since, until, DATES)


def _leap_day(day: date) -> bool:
    return day.month == 2 and day.day == 29
