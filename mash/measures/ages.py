"""The ages of open work at the moment of reading, and the workload tables' shared pieces.

Workload is 'now' more than a period: what is open when the page is read, by how long it has been
open. An age is elapsed calendar time from the record's start (a referral received, a request sent)
to ``query.now``, in five bands. The counts per band are conditional aggregates (one ``Count`` with
a filter per band, a column each) in the grouping query itself, so a table is one query whatever
the number of open records.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from mash.measures.drilling import CAP
from mash.measures.tables import COUNT, TEXT, Column

NOTHING_OPEN = "Nothing open now."
"""What an empty table of open work says (it counts what is open when read, whatever the period)."""


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int  # days, inclusive
    high: int | None  # days, exclusive; None: no upper bound

    def q(self, field: str, now: datetime) -> Q:
        """Records whose ``field`` is at least ``low`` and under ``high`` days before ``now``."""
        condition = Q(**{f"{field}__lte": now - timedelta(days=self.low)})
        if self.high is not None:
            condition &= Q(**{f"{field}__gt": now - timedelta(days=self.high)})
        return condition


BANDS = (
    Band("under_1", "Under 1 day", 0, 1),
    Band("1_3", "1 to 3 days", 1, 3),
    Band("3_7", "3 to 7 days", 3, 7),
    Band("7_28", "7 to 28 days", 7, 28),
    Band("over_28", "28 days or more", 28, None),
)
BAND_KEYS = tuple(band.key for band in BANDS)
UNASSIGNED = "Unassigned"
NONE = "none"  # the drill parameter of 'no one assigned'


def band_counts(field: str, now: datetime) -> dict[str, Count]:
    """``{band key: Count}`` for ``.annotate``/``.aggregate``: how many records fall in each band."""
    return {band.key: Count("id", filter=band.q(field, now)) for band in BANDS}


def band_columns() -> list[Column]:
    return [Column(band.key, band.label, COUNT) for band in BANDS]


def band_values(row: dict) -> list[int]:
    return [row.get(band.key) or 0 for band in BANDS]


def band_of(value: str, parameter: str = "band") -> Band | None:
    """The band a drill parameter names ('' for any age); a ValidationError naming it otherwise."""
    if not value:
        return None
    for band in BANDS:
        if band.key == value:
            return band
    raise ValidationError(
        {parameter: f"Choose an age band ({parameter}) from the dashboard: one of {', '.join(BAND_KEYS)}."}
    )


def staff_name(first: str | None, last: str | None, username: str | None) -> str:
    """A member of staff as the workload tables name them (managers only see these rows)."""
    full = f"{first or ''} {last or ''}".strip()
    return full or username or UNASSIGNED


def staff_label(user, nobody: str = UNASSIGNED) -> str:
    """A user record's name in a drill-down list (``nobody`` when there is none)."""
    return staff_name(user.first_name, user.last_name, user.username) if user else nobody


def staff_of(value: str, parameter: str = "assignee") -> int | str:
    """A drill parameter naming a member of staff: their id, ``NONE`` for no one, '' for anyone."""
    if value in ("", NONE):
        return value
    if not value.isdigit():
        raise ValidationError({parameter: f"Choose a member of staff ({parameter}) from the dashboard."})
    return int(value)


def label_column(key: str, label: str) -> Column:
    return Column(key, label, TEXT)


def oldest_caption(records: list, queryset, what: str) -> str:
    """A drill-down of open work lists the oldest first, ``CAP`` at most; the caption says how many
    there are (counted only when the list stops at the cap)."""
    total = queryset.count() if len(records) >= CAP else len(records)
    if total > CAP:
        return f"The {CAP:,} oldest of {total:,} {what}."
    return f"{total:,} {what}."


def user_fields(prefix: str) -> tuple[str, ...]:
    """The ``.values()`` of a member of staff named by a foreign key (``assigned_to``, ``owner``)."""
    return (f"{prefix}_id", f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username")


def name_in(row: dict, prefix: str) -> str:
    return staff_name(row[f"{prefix}__first_name"], row[f"{prefix}__last_name"], row[f"{prefix}__username"])


def link_cells(table, query, measure: str, index: int, params: dict, extra: dict | None = None) -> None:
    """Drill links for a row: each band cell (with its band), and each column of ``extra`` (column key
    -> more parameters). Managers only: ``query.drill_url`` is '' for the board, and no link is kept.
    The list's address is made once per page and measure (a few hundred rows of staff would otherwise
    resolve it thousands of times)."""
    base = once(query, ("drill", measure), lambda: query.drill_url(measure))
    if not base:
        return
    shown = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    row = f"{base}&{shown}" if shown else base
    for band in BANDS:
        table.links[(index, band.key)] = f"{row}&band={band.key}"
    for key, more in (extra or {}).items():
        table.links[(index, key)] = f"{row}&{urlencode(more)}" if more else row


def once(query, key, compute):
    """A figure the measures of one page share (``query.extra``): the grouped counts behind both a
    per-agency table and a per-member-of-staff table are read in one query."""
    if key not in query.extra:
        query.extra[key] = compute()
    return query.extra[key]


def month_counts(field: str, period) -> dict[str, Count]:
    """``{'m0': Count, ...}``: how many records have ``field`` in each month of the period (a filtered
    count per month: one pass over the period's rows, cheaper than grouping on the local month)."""
    counts = {}
    for index, (start, end) in enumerate(month_spans(period)):
        counts[f"m{index}"] = Count("id", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end}))
    return counts


def month_spans(period) -> list[tuple[datetime, datetime]]:
    """Each month of the period as [local midnight of its first day in the period, of the next)."""
    spans = []
    for month in period.months():
        after = (month + timedelta(days=32)).replace(day=1)
        start = timezone.make_aware(datetime.combine(max(month, period.first), time.min))
        end = timezone.make_aware(datetime.combine(min(after, period.last + timedelta(days=1)), time.min))
        spans.append((start, end))
    return spans


STAFF_ROWS = 50
"""A table per member of staff lists the fifty with the most open work at most (a page of a few
hundred rows is slow to draw and not read); the others are summed in one row."""


def busiest(items: list, open_of) -> tuple[list, list]:
    """The ``STAFF_ROWS`` items with the most open work, in their given order, and the others."""
    if len(items) <= STAFF_ROWS:
        return items, []
    ranked = sorted(range(len(items)), key=lambda index: (-open_of(items[index]), index))
    keep = set(ranked[:STAFF_ROWS])
    return (
        [item for index, item in enumerate(items) if index in keep],
        [item for index, item in enumerate(items) if index not in keep],
    )


def cap_staff(entries: list, *, labels: int, open_at: int) -> list:
    """``entries`` (values, drill parameters, whether the row is a person's), in display order, cut to
    the busiest ``STAFF_ROWS`` people (by their open count, the value at ``open_at``) and the rows that
    name no one; the others' figures (after the ``labels`` text cells) summed in a last row, with no
    link (it is no one's list)."""
    people = [entry for entry in entries if entry[2]]
    kept, others = busiest(people, lambda entry: entry[0][open_at])
    if not others:
        return [(values, params) for values, params, _ in entries]
    kept_ids = {id(entry) for entry in kept}
    rows = [(entry[0], entry[1]) for entry in entries if not entry[2] or id(entry) in kept_ids]
    summed = [sum(column) for column in zip(*(entry[0][labels:] for entry in others), strict=True)]
    label = f"{len(others):,} other member{'s' if len(others) > 1 else ''} of staff"
    rows.append(([label, *[""] * (labels - 1), *summed], None))
    return rows
