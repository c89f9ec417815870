"""The trail of a user and the trail of a record: one timeline, newest first, of the changes
(django-auditlog), the reads and refusals (the access log) and the disclosures (the dissemination log).

It stays fast however long the logs grow (docs/design.md; the access log is partitioned by month):
- a user's trail is always bounded by a period (the last 30 days unless asked, a year at most), and
  the access log is read by (user, at) and a record's by (content type, object id, at), the two
  indexes of ``AccessLog``, so that PostgreSQL reads only the months asked for;
- a page is found by keyset (the cursor names the last row shown), never by OFFSET, and nothing is
  counted: a page has 'Newer' and 'Older' links rather than 'page 3 of 40'. Each source gives at most
  a page and one row, the merge keeps a page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mash.common.dates import format_date
from mash.sharing.models import AccessAction, AccessLog, Dissemination
from mash.sharing.trails import entries
from mash.sharing.trails.children import records_under

DEFAULT_SPAN = timedelta(days=30)
MAX_SPAN = timedelta(days=366)
PAGE_SIZE = 50


class Action:
    """The action filter of a trail."""

    ALL = ""
    CHANGES = "changes"
    READS = "reads"
    REFUSALS = "refusals"
    BREAK_GLASS = "break_glass"
    DISCLOSURES = "disclosures"
    CHOICES = (
        (ALL, "Everything"),
        (CHANGES, "Changes"),
        (READS, "Reads"),
        (REFUSALS, "Refusals only"),
        (BREAK_GLASS, "Break-glass only"),
        (DISCLOSURES, "Disclosures"),
    )


# Which sources an action filter reads, and which access-log actions (None: all of them).
_ACCESS_ACTIONS = {
    Action.ALL: None,
    Action.READS: [AccessAction.VIEW, AccessAction.BREAK_GLASS],
    Action.REFUSALS: [AccessAction.DENIED],
    Action.BREAK_GLASS: [AccessAction.BREAK_GLASS],
    Action.DISCLOSURES: [AccessAction.EXPORT, AccessAction.PRINT],
}
_WITH_CHANGES = {Action.ALL, Action.CHANGES}
_WITH_DISSEMINATIONS = {Action.ALL, Action.DISCLOSURES}


@dataclass(frozen=True)
class Period:
    since: datetime | None
    until: datetime | None  # exclusive

    def __str__(self) -> str:
        if self.since is None and self.until is None:
            return "all time"
        start = format_date(self.since) if self.since else "the beginning"
        end = format_date(self.until - timedelta(microseconds=1)) if self.until else "now"
        return f"{start} to {end}"


@dataclass(frozen=True)
class TrailPage:
    entries: list
    period: Period
    # Cursors of the pages either side (None: there is none).
    older: str | None = None
    newer: str | None = None

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


# The logs hold nothing outside these years: a day asked for outside them is taken as the nearest
# of them (which answers the same), so that no date overflows on the way to the database.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def _start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(min(max(value, FIRST_DAY), LAST_DAY), time.min))


def _end(value: date | datetime) -> datetime:
    """The end of a period given as its last day (inclusive) or as an exclusive datetime."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(
        datetime.combine(min(max(value, FIRST_DAY), LAST_DAY) + timedelta(days=1), time.min)
    )


def period_of(since=None, until=None, *, bounded: bool = True) -> Period:
    """The period asked for; a bounded one (a user's trail) is the last 30 days unless asked, and at
    most a year, refused with a message naming the field otherwise (an unbounded one that ends before
    it starts is empty)."""
    start = _start(since) if since is not None else None
    end = _end(until) if until is not None else None
    if start is not None and end is not None and end <= start:
        if not bounded:
            return Period(start, start)
        raise ValidationError({"until": "The end of the period must be the same as or after its start."})
    if not bounded:
        return Period(start, end)
    end = end or _end(timezone.localdate())
    start = start or end - DEFAULT_SPAN
    if end - start > MAX_SPAN:
        raise ValidationError(
            {"since": "The period can be at most a year: choose a later start or an earlier end."}
        )
    return Period(start, end)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: past (``older``: before, else after) the row at ``at`` of ``source``."""

    older: bool
    at: datetime
    source: int
    id: int

    def __str__(self) -> str:
        micros = (self.at - _EPOCH) // timedelta(microseconds=1)
        return f"{'o' if self.older else 'n'}.{micros}.{self.source}.{self.id}"


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


# What a cursor looks like (``str(Cursor)``): the way, the time in microseconds, the source, the id.
CURSOR = r"^[on]\.-?[0-9]{1,16}\.[0-9]\.[0-9]{1,18}$"


def parse_cursor(text: str | None) -> Cursor | None:
    if not text:
        return None
    try:
        way, micros, source, pk = text.split(".")
        if way not in {"o", "n"}:
            raise ValueError(way)
        return Cursor(way == "o", _EPOCH + timedelta(microseconds=int(micros)), int(source), int(pk))
    except (ValueError, OverflowError, ArithmeticError):
        raise ValidationError(
            {"cursor": "The page asked for is not valid: start from the first page."}
        ) from None


def cursor_of(entry, *, older: bool) -> str:
    return str(Cursor(older, entry.at, entry.source, entry.id))


@dataclass(frozen=True)
class _Source:
    rank: int
    at_field: str
    rows: models.QuerySet
    build: object


def _beyond(source: _Source, cursor: Cursor | None) -> models.QuerySet:
    """The source's rows past the cursor, in the cursor's direction, nearest first. The bound on the
    time is always a plain range on the indexed column (so the index finds the start); the tie on the
    same instant is settled by the row's id."""
    at, rows = source.at_field, source.rows
    older = cursor is None or cursor.older
    order = [f"-{at}", "-id"] if older else [at, "id"]
    if cursor is None:
        return rows.order_by(*order)
    inclusive, strict, id_past = ("lte", "lt", "id__lt") if older else ("gte", "gt", "id__gt")
    same_or_past = {f"{at}__{inclusive}": cursor.at}
    if source.rank == cursor.source:
        rows = rows.filter(**same_or_past).filter(
            Q(**{f"{at}__{strict}": cursor.at}) | Q(**{id_past: cursor.id})
        )
    elif (source.rank < cursor.source) == older:
        rows = rows.filter(**same_or_past)
    else:
        rows = rows.filter(**{f"{at}__{strict}": cursor.at})
    return rows.order_by(*order)


def _page(sources: list[_Source], period: Period, cursor: Cursor | None, limit: int) -> TrailPage:
    older = cursor is None or cursor.older
    found = []
    for source in sources:
        found.extend(source.build(row) for row in _beyond(source, cursor)[: limit + 1])
    found.sort(key=lambda e: e.key, reverse=older)
    more = len(found) > limit
    shown = found[:limit]
    if not older:
        shown.reverse()
    if not shown:
        return TrailPage([], period)
    has_older = more if older else True
    has_newer = (cursor is not None) if older else more
    return TrailPage(
        shown,
        period,
        older=cursor_of(shown[-1], older=True) if has_older else None,
        newer=cursor_of(shown[0], older=False) if has_newer else None,
    )


def _within(rows: models.QuerySet, at: str, period: Period) -> models.QuerySet:
    if period.since is not None:
        rows = rows.filter(**{f"{at}__gte": period.since})
    if period.until is not None:
        rows = rows.filter(**{f"{at}__lt": period.until})
    return rows


def _sources(action: str, *, changes, accesses, disseminations, period: Period) -> list[_Source]:
    if action not in _ACCESS_ACTIONS and action not in _WITH_CHANGES:
        raise ValidationError({"action": "Choose an action from the list."})
    sources = []
    if action in _WITH_CHANGES and changes is not None:
        rows = _within(changes.select_related("actor"), "timestamp", period)
        sources.append(_Source(entries.CHANGE, "timestamp", rows, entries.from_change))
    if action in _ACCESS_ACTIONS and accesses is not None:
        rows = _within(accesses.select_related("user", "agency"), "at", period)
        if _ACCESS_ACTIONS[action] is not None:
            rows = rows.filter(action__in=_ACCESS_ACTIONS[action])
        sources.append(_Source(entries.ACCESS, "at", rows, entries.from_access))
    if action in _WITH_DISSEMINATIONS and disseminations is not None:
        rows = _within(
            disseminations.select_related("disseminated_by", "approved_by"), "disseminated_at", period
        )
        sources.append(_Source(entries.DISSEMINATION, "disseminated_at", rows, entries.from_dissemination))
    return sources


def user_trail(
    user, *, since=None, until=None, agency=None, action=None, cursor=None, limit: int = PAGE_SIZE
) -> TrailPage:
    """What ``user`` changed, looked at, was refused and disclosed in a period (DPA 2018 s62), newest
    first, one page of it (``cursor``: a page's ``older`` or ``newer``).

    ``agency`` narrows it to what the user did for that agency: the access log records the agency a
    user acted for, the change log and the dissemination log do not, so with an agency chosen they are
    left out. The period is the last 30 days unless given, and at most a year."""
    period = period_of(since, until)
    user_id = getattr(user, "pk", user)
    accesses = AccessLog.objects.filter(user_id=user_id)
    if agency is not None:
        accesses = accesses.filter(agency_id=getattr(agency, "pk", agency))
    sources = _sources(
        action or Action.ALL,
        changes=LogEntry.objects.filter(actor_id=user_id) if agency is None else None,
        accesses=accesses,
        disseminations=(
            Dissemination.objects.filter(Q(disseminated_by_id=user_id) | Q(approved_by_id=user_id))
            if agency is None
            else None
        ),
        period=period,
    )
    return _page(sources, period, parse_cursor(cursor) if isinstance(cursor, str | None) else cursor, limit)


def _by_record(records: dict[int, set[str]], ct_field: str, id_field: str) -> Q:
    match = Q(pk__in=[])
    for content_type_id, ids in records.items():
        match |= Q(**{ct_field: content_type_id, f"{id_field}__in": sorted(ids)})
    return match


def record_trail(
    obj, *, since=None, until=None, action=None, cursor=None, limit: int = PAGE_SIZE
) -> TrailPage:
    """Every change, read, refusal and disclosure of a record and of the records under it
    (mash/sharing/trails/children.py), newest first, one page of it. ``obj`` is the record, or a
    ``(content type, id)`` pair for one that no longer exists (its own rows only). The period is
    optional: a record's rows are found by its id."""
    if isinstance(obj, models.Model):
        records = records_under(obj)
    else:
        content_type, object_id = obj
        records = {getattr(content_type, "pk", content_type): {str(object_id)}}
    period = period_of(since, until, bounded=False)
    sources = _sources(
        action or Action.ALL,
        changes=LogEntry.objects.filter(_by_record(records, "content_type_id", "object_pk")),
        accesses=AccessLog.objects.filter(_by_record(records, "content_type_id", "object_id")),
        disseminations=Dissemination.objects.filter(_by_record(records, "content_type_id", "object_id")),
        period=period,
    )
    return _page(sources, period, parse_cursor(cursor) if isinstance(cursor, str | None) else cursor, limit)
