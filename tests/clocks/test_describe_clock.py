"""What every page says of a clock ('due in 3h 10m of working time', 'overdue by 4 working days',
'due Monday 10:00', 'overdue by 2 days 1h', or its outcome): one rule, from the clock's own basis. A
working clock counts MASH working hours only, in working days and hours, and says so; a calendar clock
counts every hour and says nothing more."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mash.clocks.calendar import Calendar, Hours, describe_clock, time_between
from mash.clocks.models import WORKING_BASES, Clock, ClockBasis

LONDON = ZoneInfo("Europe/London")
STANDARD = Hours(time(9, 0), time(17, 0), frozenset(range(5)))
FRIDAY_4PM = datetime(2026, 11, 27, 16, 0, tzinfo=LONDON)
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def calendar():
    return Calendar(STANDARD)


def clock(basis, *, due_at, started_at=None, stopped_at=None) -> Clock:
    started_at = started_at or due_at - timedelta(days=7)
    return Clock(kind="x", basis=basis, amount=1, started_at=started_at, due_at=due_at, stopped_at=stopped_at)


def test_the_working_bases_are_the_three_counted_in_working_hours():
    assert {ClockBasis.WORKING_HOURS, ClockBasis.WORKING_DAYS, ClockBasis.END_OF_WORKING_DAY} == WORKING_BASES
    assert {ClockBasis.CALENDAR_HOURS, ClockBasis.CALENDAR_DAYS}.isdisjoint(WORKING_BASES)


@pytest.mark.parametrize("basis", sorted(WORKING_BASES))
def test_a_working_clock_counts_working_hours_over_the_weekend_and_says_so(calendar, basis):
    due = clock(basis, due_at=MONDAY_10AM)
    assert due.counts_working_time
    # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
    assert describe_clock(due, now=FRIDAY_4PM, calendar=calendar) == "due in 2h of working time"


@pytest.mark.parametrize("basis", [ClockBasis.CALENDAR_HOURS, ClockBasis.CALENDAR_DAYS])
def test_a_calendar_clock_counts_every_hour_and_says_nothing_more(calendar, basis):
    due = clock(basis, due_at=MONDAY_10AM)
    assert not due.counts_working_time
    assert describe_clock(due, now=FRIDAY_4PM, calendar=calendar) == "due in 2 days 18h"


def test_an_overdue_clock_says_by_how_much_in_its_own_time(calendar):
    now = at(2026, 11, 25, 13, 50)
    working = clock(ClockBasis.WORKING_DAYS, due_at=at(2026, 11, 24, 16, 0))
    elapsed = clock(ClockBasis.CALENDAR_HOURS, due_at=at(2026, 11, 24, 16, 0))
    # 16:00-17:00 on Tuesday and 09:00-13:50 on Wednesday.
    assert describe_clock(working, now=now, calendar=calendar) == "overdue by 5h 50m of working time"
    assert describe_clock(elapsed, now=now, calendar=calendar) == "overdue by 21h 50m"


def test_time_left_within_a_working_day_is_in_hours_and_minutes(calendar):
    now = at(2026, 11, 25, 13, 50)
    assert (
        describe_clock(
            clock(ClockBasis.WORKING_HOURS, due_at=at(2026, 11, 25, 17, 0)), now=now, calendar=calendar
        )
        == "due in 3h 10m of working time"
    )
    assert (
        describe_clock(
            clock(ClockBasis.WORKING_HOURS, due_at=at(2026, 11, 25, 12, 0)), now=now, calendar=calendar
        )
        == "overdue by 1h 50m of working time"
    )
    assert (
        describe_clock(clock(ClockBasis.CALENDAR_DAYS, due_at=at(2026, 11, 27, 13, 50)), now=now)
        == "due in 2 days"
    )


def test_due_this_minute_is_overdue_by_nothing(calendar):
    assert (
        describe_clock(clock(ClockBasis.CALENDAR_HOURS, due_at=FRIDAY_4PM), now=FRIDAY_4PM) == "overdue by 0m"
    )


@pytest.mark.parametrize("basis", list(ClockBasis))
def test_a_stopped_clock_says_met_or_missed_in_the_pages_own_words(calendar, basis):
    met = clock(basis, due_at=MONDAY_10AM, stopped_at=FRIDAY_4PM)
    late = clock(basis, due_at=FRIDAY_4PM, stopped_at=MONDAY_10AM)
    assert describe_clock(met, calendar=calendar) == "met"
    assert describe_clock(late, calendar=calendar) == "missed"
    assert describe_clock(late, calendar=calendar, missed="answered late") == "answered late"
    assert describe_clock(met, calendar=calendar, met="answered in time") == "answered in time"


def test_no_clock_says_nothing():
    assert describe_clock(None) == ""


def test_time_between_is_the_clocks_own_time_and_negative_backwards(calendar):
    working = clock(ClockBasis.WORKING_DAYS, due_at=MONDAY_10AM)
    elapsed = clock(ClockBasis.CALENDAR_DAYS, due_at=MONDAY_10AM)
    assert time_between(working, FRIDAY_4PM, MONDAY_10AM, calendar=calendar) == timedelta(hours=2)
    assert time_between(working, MONDAY_10AM, FRIDAY_4PM, calendar=calendar) == -timedelta(hours=2)
    assert time_between(elapsed, FRIDAY_4PM, MONDAY_10AM, calendar=calendar) == timedelta(days=2, hours=18)


def test_working_time_is_counted_in_working_days_and_hours(calendar):
    # Due Monday 30 November 10:00; on Friday 4 December at 11:00, 4 working days and 1 hour later.
    overdue = clock(ClockBasis.WORKING_DAYS, due_at=MONDAY_10AM)
    assert (
        describe_clock(overdue, now=at(2026, 12, 4, 10, 0), calendar=calendar) == "overdue by 4 working days"
    )
    assert describe_clock(overdue, now=at(2026, 12, 4, 11, 0), calendar=calendar) == (
        "overdue by 4 working days 1h"
    )
    # Monday 10:00 to Tuesday 12:00: one working day and two hours.
    due = clock(ClockBasis.WORKING_HOURS, due_at=at(2026, 12, 1, 12, 0))
    assert describe_clock(due, now=MONDAY_10AM, calendar=calendar) == "due in 1 working day 2h"


def test_outside_working_hours_a_working_clock_says_when_it_is_due(calendar):
    saturday_noon, friday_evening = at(2026, 11, 28, 12, 0), at(2026, 11, 27, 19, 30)
    due = clock(ClockBasis.WORKING_HOURS, due_at=MONDAY_10AM)
    assert describe_clock(due, now=saturday_noon, calendar=calendar) == "due Monday 10:00"
    assert describe_clock(due, now=friday_evening, calendar=calendar) == "due Monday 10:00"
    later = clock(ClockBasis.WORKING_DAYS, due_at=at(2026, 12, 9, 10, 0))
    assert describe_clock(later, now=saturday_noon, calendar=calendar) == "due 9 Dec 2026 10:00"
    # Overdue is overdue at any hour, by the working time it has run over.
    assert (
        describe_clock(due, now=at(2026, 12, 5, 12, 0), calendar=calendar) == "overdue by 4 working days 7h"
    )
