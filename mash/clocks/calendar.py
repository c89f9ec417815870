"""The one calendar every deadline uses: MASH working hours and England and Wales bank holidays."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from mash.clocks.hours import Hours, current_hours
from mash.common.dates import format_datetime

MAX_DAYS_SEARCHED = 3660  # a clock never looks more than ten years ahead


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class Calendar:
    def __init__(self, hours: Hours | None = None):
        self.hours = hours or current_hours()
        self.zone = _zone()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.hours.weekdays and not is_bank_holiday(day)

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def next_working_day(self, day: date) -> date:
        candidate = day + timedelta(days=1)
        for _ in range(MAX_DAYS_SEARCHED):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("The working pattern has no working days.")

    def working_start(self, moment: datetime) -> datetime:
        """The first working moment at or after ``moment``."""
        local = timezone.localtime(moment, self.zone)
        day = local.date()
        if self.is_working_day(day):
            if local.time() < self.hours.opens_at:
                return self._at(day, self.hours.opens_at)
            if local.time() < self.hours.closes_at:
                return local
        return self._at(self.next_working_day(day), self.hours.opens_at)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        remaining = timedelta(hours=hours)
        current = self.working_start(start)
        while True:
            close = self._at(current.date(), self.hours.closes_at)
            available = close - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self._at(self.next_working_day(current.date()), self.hours.opens_at)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same working time of day, ``days`` working days on (received after hours counts from
        the next opening)."""
        current = self.working_start(start)
        day = current.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at(day, current.timetz().replace(tzinfo=None))

    def end_of_working_day(self, start: datetime, days: int = 0) -> datetime:
        """Closing time of the working day ``start`` falls in (``days`` working days on); after hours
        counts as the next working day."""
        day = self.working_start(start).date()
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at(day, self.hours.closes_at)

    def working_days_in(self, first: date, last: date) -> int:
        """How many working days fall in [first, last): whole weeks by arithmetic, bank holidays by
        lookup, so a span of months costs what a span of days does."""
        if last <= first:
            return 0
        weeks, rest = divmod((last - first).days, 7)
        count = weeks * len(self.hours.weekdays)
        tail = first + timedelta(days=weeks * 7)
        count += sum((tail + timedelta(days=i)).weekday() in self.hours.weekdays for i in range(rest))
        for year in range(first.year, last.year + 1):
            count -= sum(
                1
                for day in _bank_holidays(year)
                if first <= day < last and day.weekday() in self.hours.weekdays
            )
        return count

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.working_time_between(end, start)
        current = self.working_start(start)
        if current >= end:
            return timedelta()
        first_day = current.date()
        last_day = timezone.localtime(end, self.zone).date()
        first_close = self._at(first_day, self.hours.closes_at)
        if first_day == last_day:
            return min(first_close, end) - current
        # The rest of the first day, the whole working days between, and the start of the last day.
        total = first_close - current
        day_length = datetime.combine(first_day, self.hours.closes_at) - datetime.combine(
            first_day, self.hours.opens_at
        )
        total += self.working_days_in(first_day + timedelta(days=1), last_day) * day_length
        if self.is_working_day(last_day):
            opens = self._at(last_day, self.hours.opens_at)
            total += min(max(end, opens), self._at(last_day, self.hours.closes_at)) - opens
        return total


def due_after(
    start: datetime,
    *,
    working_hours: float | None = None,
    working_days: int | None = None,
    calendar_days: int | None = None,
    calendar_hours: float | None = None,
    end_of_working_day: int | None = None,
    calendar: Calendar | None = None,
) -> datetime:
    """When a clock started at ``start`` falls due. Give exactly one of the five amounts
    (``end_of_working_day=0`` is 'the same working day')."""
    amounts = (working_hours, working_days, calendar_days, calendar_hours, end_of_working_day)
    given = [v for v in amounts if v is not None]
    if len(given) != 1:
        raise TypeError(
            "due_after() takes exactly one of working_hours, working_days, calendar_days, "
            "calendar_hours, end_of_working_day"
        )
    if timezone.is_naive(start):
        raise ValueError("due_after() needs a timezone-aware start")
    if calendar_days is not None:
        # Calendar days are wall-clock days: due at the same local time of day, so a 28-day clock
        # started at 10:00 in October is due at 10:00 in November, across the change of clocks.
        local = timezone.localtime(start, _zone())
        return (local.replace(tzinfo=None) + timedelta(days=calendar_days)).replace(tzinfo=_zone())
    if calendar_hours is not None:
        # Calendar hours are elapsed hours, whatever the zone of ``start``. Python adds a timedelta to
        # an aware datetime on its wall clock, which would give 73 or 71 hours across a change of
        # clocks in Europe/London; adding it in UTC cannot.
        return start.astimezone(UTC) + timedelta(hours=calendar_hours)
    calendar = calendar or Calendar()
    if working_hours is not None:
        return calendar.add_working_hours(start, working_hours)
    if end_of_working_day is not None:
        return calendar.end_of_working_day(start, end_of_working_day)
    return calendar.add_working_days(start, working_days)


def _format_span(span: timedelta) -> str:
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if hours:
        parts.append(f"{hours}h")
    if minutes or not parts:
        parts.append(f"{minutes}m")
    return " ".join(parts)


def time_between(clock, start: datetime, end: datetime, *, calendar: Calendar | None = None) -> timedelta:
    """Time from ``start`` to ``end`` as ``clock`` counts it: working time for a clock on a working
    basis (nights, weekends and bank holidays do not count), elapsed time otherwise (negative when
    ``end`` is earlier). The one place that chooses between the two."""
    if clock.counts_working_time:
        return (calendar or Calendar()).working_time_between(start, end)
    return end - start


def _format_elapsed_span(span: timedelta) -> str:
    """Elapsed time as people count it: days (with the hours while under a week), else hours and
    minutes: '24 days', '2 days 18h', '1 day', '21h 50m'."""
    days, rest = divmod(abs(span), timedelta(days=1))
    if not days:
        return _format_span(rest)
    words = f"{days} day{'s' if days != 1 else ''}"
    hours = rest // timedelta(hours=1)
    return f"{words} {hours}h" if days < 7 and hours else words


def _format_working_span(span: timedelta, day: timedelta) -> str:
    """Working time as people count it: whole working days (of the pattern's length), then hours and
    minutes: '4 working days', '1 working day 2h', '3h 10m of working time'."""
    days, rest = divmod(abs(span), day) if day > timedelta(0) else (0, abs(span))
    if not days:
        return f"{_format_span(rest)} of working time"
    words = f"{days} working day{'s' if days != 1 else ''}"
    return f"{words} {_format_span(rest)}" if rest >= timedelta(minutes=1) else words


def _format_moment(moment: datetime, now: datetime) -> str:
    """A moment as a page names it: 'Monday 09:00' within the coming week, '7 Dec 2026 09:00' after."""
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    if local.date() - today < timedelta(days=6):
        return f"{local:%A %H:%M}"
    return format_datetime(local)


# The columns of a clock that describe_clock (and Clock.is_breached) read: a list that shows clocks
# may read these only, e.g. ``.only(*clock_columns("decision_clock"))``.
DESCRIBED_COLUMNS = ("kind", "basis", "amount", "started_at", "due_at", "stopped_at", "breached_at")


def clock_columns(relation: str) -> tuple[str, ...]:
    """The relation itself and the clock columns describe_clock reads, for ``QuerySet.only()``."""
    return (relation, *(f"{relation}__{name}" for name in DESCRIBED_COLUMNS))


def describe_clock(
    clock,
    *,
    now: datetime | None = None,
    calendar: Calendar | None = None,
    met: str = "met",
    missed: str = "missed",
) -> str:
    """What every page says of a clock, counted in the clock's own time (``time_between``): a working
    clock in working days and hours ('due in 1 working day 2h', 'overdue by 4 working days', 'due in 3h
    10m of working time') and, outside working hours, by when it is due ('due Monday 10:00': the
    working time left is not running); a calendar clock in elapsed time ('due in 2 days 18h', 'due in
    24 days', 'overdue by 21h 50m'); ``met`` or ``missed`` once it has stopped (each page has its own
    words for it, e.g. 'answered late'); '' for no clock. A page listing many clocks passes one
    ``calendar`` and ``now``: each Calendar() reads the working pattern."""
    if clock is None:
        return ""
    if clock.stopped_at:
        return met if clock.met else missed
    now = now or timezone.now()
    if not clock.counts_working_time:
        span = _format_elapsed_span(clock.due_at - now)
        return f"overdue by {span}" if clock.due_at <= now else f"due in {span}"
    calendar = calendar or Calendar()
    if clock.due_at > now and calendar.working_start(now) > now:
        return f"due {_format_moment(clock.due_at, now)}"
    hours = calendar.hours
    day = datetime.combine(date.min, hours.closes_at) - datetime.combine(date.min, hours.opens_at)
    span = _format_working_span(time_between(clock, now, clock.due_at, calendar=calendar), day)
    return f"overdue by {span}" if clock.due_at <= now else f"due in {span}"
