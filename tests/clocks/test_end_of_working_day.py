"""'By the close of the working day' (the strategy clock for a red referral): the close of the working
day a moment falls in, after hours counting as the next working day; ``days`` working days on."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from mash.clocks.calendar import Calendar, Hours, due_after
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start

LONDON = ZoneInfo("Europe/London")
STANDARD = Hours(time(9, 0), time(17, 0), frozenset(range(5)))


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def calendar():
    return Calendar(STANDARD)


# Within working hours: the same day's close


@pytest.mark.parametrize(
    "moment",
    [at(2026, 11, 25, 9, 0), at(2026, 11, 25, 10, 30), at(2026, 11, 25, 16, 59, 59)],
    ids=["at opening", "mid-morning", "a second before the close"],
)
def test_within_hours_it_is_the_close_of_the_same_day(calendar, moment):
    assert calendar.end_of_working_day(moment) == at(2026, 11, 25, 17, 0)


def test_before_opening_it_is_the_close_of_the_same_day(calendar):
    assert calendar.end_of_working_day(at(2026, 11, 25, 7, 15)) == at(2026, 11, 25, 17, 0)


# After hours: the next working day's close


@pytest.mark.parametrize(
    "moment", [at(2026, 11, 25, 17, 0), at(2026, 11, 25, 19, 45), at(2026, 11, 25, 23, 59)]
)
def test_after_hours_it_is_the_close_of_the_next_working_day(calendar, moment):
    assert calendar.end_of_working_day(moment) == at(2026, 11, 26, 17, 0)


def test_friday_evening_is_due_by_monday_close(calendar):
    assert calendar.end_of_working_day(at(2026, 11, 27, 18, 0)) == at(2026, 11, 30, 17, 0)


# Weekends and bank holidays


@pytest.mark.parametrize("moment", [at(2026, 11, 28, 11, 0), at(2026, 11, 29, 0, 5), at(2026, 11, 29, 23, 0)])
def test_a_weekend_moment_is_due_by_monday_close(calendar, moment):
    assert calendar.end_of_working_day(moment) == at(2026, 11, 30, 17, 0)


def test_a_bank_holiday_is_skipped(calendar):
    # Friday 25 December 2026 and Monday 28 (Boxing Day substituted) are bank holidays.
    assert calendar.end_of_working_day(at(2026, 12, 25, 10, 0)) == at(2026, 12, 29, 17, 0)
    assert calendar.end_of_working_day(at(2026, 12, 24, 17, 30)) == at(2026, 12, 29, 17, 0)


def test_the_working_day_before_a_bank_holiday_is_still_the_same_day(calendar):
    assert calendar.end_of_working_day(at(2026, 12, 24, 11, 0)) == at(2026, 12, 24, 17, 0)


def test_easter_monday_is_skipped(calendar):
    # Good Friday is 3 April 2026, Easter Monday 6 April.
    assert calendar.end_of_working_day(at(2026, 4, 2, 18, 0)) == at(2026, 4, 7, 17, 0)


# Working days on


def test_one_day_on_is_the_next_working_days_close(calendar):
    assert calendar.end_of_working_day(at(2026, 11, 25, 10, 30), 1) == at(2026, 11, 26, 17, 0)


def test_one_day_on_from_friday_is_monday(calendar):
    assert calendar.end_of_working_day(at(2026, 11, 27, 10, 0), 1) == at(2026, 11, 30, 17, 0)


def test_one_day_on_from_after_hours_counts_from_the_next_working_day(calendar):
    assert calendar.end_of_working_day(at(2026, 11, 25, 19, 45), 1) == at(2026, 11, 27, 17, 0)


def test_one_day_on_skips_the_christmas_bank_holidays(calendar):
    assert calendar.end_of_working_day(at(2026, 12, 24, 11, 0), 1) == at(2026, 12, 29, 17, 0)


def test_several_days_on(calendar):
    # Wednesday 25 November + 5 working days: Thursday, Friday, Monday, Tuesday, Wednesday 2 December.
    assert calendar.end_of_working_day(at(2026, 11, 25, 12, 0), 5) == at(2026, 12, 2, 17, 0)


# Zones and patterns


def test_the_close_is_local_time_in_summer(calendar):
    due = calendar.end_of_working_day(at(2026, 6, 10, 10, 0))

    assert due == at(2026, 6, 10, 17, 0)
    assert due.astimezone(UTC) == datetime(2026, 6, 10, 16, 0, tzinfo=UTC)


def test_a_moment_given_in_utc_is_read_as_local_time(calendar):
    # 16:30 UTC on 10 June is 17:30 British Summer Time: after hours.
    assert calendar.end_of_working_day(datetime(2026, 6, 10, 16, 30, tzinfo=UTC)) == at(2026, 6, 11, 17, 0)
    # 16:30 UTC on 25 November is 16:30 GMT: still within hours.
    assert calendar.end_of_working_day(datetime(2026, 11, 25, 16, 30, tzinfo=UTC)) == at(2026, 11, 25, 17, 0)


def test_the_close_follows_the_working_pattern():
    four_days = Calendar(Hours(time(8, 0), time(16, 30), frozenset(range(4))))

    assert four_days.end_of_working_day(at(2026, 11, 25, 10, 0)) == at(2026, 11, 25, 16, 30)
    # Friday is not a working day in this pattern.
    assert four_days.end_of_working_day(at(2026, 11, 26, 16, 45)) == at(2026, 11, 30, 16, 30)
    assert four_days.end_of_working_day(at(2026, 11, 26, 10, 0), 1) == at(2026, 11, 30, 16, 30)


# Through due_after and a clock


def test_due_after_takes_end_of_working_day(calendar):
    moment = at(2026, 11, 25, 10, 30)

    assert due_after(moment, end_of_working_day=0, calendar=calendar) == at(2026, 11, 25, 17, 0)
    assert due_after(moment, end_of_working_day=1, calendar=calendar) == at(2026, 11, 26, 17, 0)


def test_due_after_refuses_end_of_working_day_with_another_amount(calendar):
    with pytest.raises(TypeError):
        due_after(at(2026, 11, 25, 10, 30), end_of_working_day=0, working_days=1, calendar=calendar)


def test_due_after_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        due_after(datetime(2026, 11, 25, 10, 30), end_of_working_day=0)


@pytest.mark.django_db
def test_a_clock_on_this_basis_is_due_at_the_close():
    clock = clock_start(
        kind="strategy discussion",
        basis=ClockBasis.END_OF_WORKING_DAY,
        amount=0,
        started_at=at(2026, 11, 27, 18, 0),
    )

    assert clock.due_at == at(2026, 11, 30, 17, 0)
    assert clock.amount == 0
