"""Aggregate pieces the measures share: percentiles of a time taken, months, grouping helpers.

The percentiles are computed by PostgreSQL (``percentile_cont``) in the query itself; on SQLite (the
demo of ``make run``) from the durations, in Python. Both give the same figure (interpolated, as
``percentile_cont`` does): tests/measures/test_aggregates.py.
"""

from collections import defaultdict
from datetime import date

from django.db import connections
from django.db.models import Aggregate, DateField, DurationField, ExpressionWrapper, F, FloatField, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

MEDIAN, P90 = 0.5, 0.9
HOUR, DAY = 3600.0, 86400.0


class _PercentileSeconds(Aggregate):
    """``percentile_cont(fraction)`` of an interval, in seconds (PostgreSQL)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def elapsed(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def percentiles(
    queryset: QuerySet, *, start: str, end: str, group_by: tuple[str, ...] = (), fractions=(MEDIAN, P90)
) -> dict[tuple, list[float | None]]:
    """For each group (a tuple of the ``group_by`` values; ``()`` when not grouped), the percentiles of
    ``end - start`` in seconds, over the rows where both are set."""
    rows = queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if connections[rows.db].vendor == "postgresql":
        names = {
            f"p{index}": _PercentileSeconds(elapsed(start, end), fraction)
            for index, fraction in enumerate(fractions)
        }
        grouped = rows.values(*group_by).order_by() if group_by else rows
        if group_by:
            return {
                tuple(row[name] for name in group_by): [row[f"p{i}"] for i in range(len(fractions))]
                for row in grouped.annotate(**names)
            }
        result = grouped.aggregate(**names)
        return {(): [result[f"p{i}"] for i in range(len(fractions))]}
    samples: dict[tuple, list[float]] = defaultdict(list)
    for row in rows.values_list(*group_by, start, end):
        samples[tuple(row[: len(group_by)])].append((row[-1] - row[-2]).total_seconds())
    if not group_by:
        samples.setdefault((), [])
    return {
        group: [interpolated(sorted(values), fraction) for fraction in fractions]
        for group, values in samples.items()
    }


def interpolated(ordered: list[float], fraction: float) -> float | None:
    """``percentile_cont``: linear interpolation between the two nearest ranks."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def month_of(field: str) -> TruncMonth:
    """The local month of a date-time, as its first day."""
    return TruncMonth(field, output_field=DateField())


def in_hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / HOUR


def in_days(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / DAY


def month_label(month: date) -> str:
    """'December 2026' (YEAR_MONTH_FORMAT, as the templates show a month)."""
    return date_format(month, "YEAR_MONTH_FORMAT")
