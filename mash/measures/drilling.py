"""The parameters of a drill-down link, read back: every one checked, a bad one refused by name (the
page shows the message beside the period, as for any field), and a month turned back into its span of
the period. Shared by the measures of every app (they build the links with ``query.drill_url``)."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.measures.periods import Period

MONTH_FORMAT = "%Y-%m"
CAP = 500
"""The most records a drill-down lists (the most recent first); its caption says how many there are."""


def month_key(month: date) -> str:
    """A month as a drill link names it: '2026-03'."""
    return month.strftime(MONTH_FORMAT)


def known_only(params: dict, allowed: set[str]) -> None:
    """Refuse a parameter the measure does not know, by its name."""
    for name in params:
        if name not in allowed:
            raise ValidationError({name: f"This list has no '{name}': follow a link from the dashboard."})


def choice(params: dict, name: str, choices, *, what: str) -> str:
    """One of ``choices`` (or '' when not given)."""
    value = params.get(name, "")
    if value and value not in {str(c) for c in choices}:
        raise ValidationError({name: f"Choose {what} from the dashboard."})
    return value


def flag(params: dict, name: str) -> bool:
    value = params.get(name, "")
    if value not in ("", "1"):
        raise ValidationError({name: f"'{name}' is 1 or left out."})
    return value == "1"


def span(period: Period, params: dict) -> tuple[datetime, datetime]:
    """The span the list covers: the period, or one of its months (``month=2026-03``) within it."""
    value = params.get("month", "")
    if not value:
        return period.start, period.end
    months = {month_key(month): month for month in period.months()}
    if value not in months:
        raise ValidationError({"month": "Choose a month of the period from the dashboard."})
    month = months[value]
    after = (month + timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(after, time.min))
    return max(start, period.start), min(end, period.end)


def capped_caption(total: int, what: str) -> str:
    if total > CAP:
        return f"The {CAP:,} most recent of {total:,} {what}: choose a shorter period to list them all."
    return f"{total:,} {what}."
