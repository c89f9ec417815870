"""The calendar: MASH working hours (Mon-Fri 09:00-17:00 by default) and England and Wales bank holidays."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import strategies as st

from mash.clocks.calendar import Calendar, Hours, due_after, is_bank_holiday
from mash.clocks.models import ClockBasis, WorkingPattern
from mash.clocks.services import clock_start, clock_stop, record_breaches

LONDON = ZoneInfo("Europe/London")
STANDARD = Hours(time(9, 0), time(17, 0), frozenset(range(5)))


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def calendar():
    return Calendar(STANDARD)


def test_a_weekday_is_a_working_day_and_a_bank_holiday_is_not(calendar):
    assert calendar.is_working_day(at(2026, 11, 25).date())
    assert is_bank_holiday(at(2026, 12, 25).date())
    assert is_bank_holiday(at(2026, 12, 28).date()), (
        "Boxing Day falls on a Saturday: the Monday is substituted"
    )
    assert not calendar.is_working_day(at(2026, 12, 28).date())


def test_one_working_day_from_a_monday_morning_is_tuesday_morning(calendar):
    assert due_after(at(2026, 11, 23, 10, 30), working_days=1, calendar=calendar) == at(2026, 11, 24, 10, 30)


def test_one_working_day_from_friday_is_monday(calendar):
    assert due_after(at(2026, 11, 27, 14, 0), working_days=1, calendar=calendar) == at(2026, 11, 30, 14, 0)


def test_a_referral_after_hours_counts_from_the_next_opening(calendar):
    assert due_after(at(2026, 11, 25, 19, 45), working_days=1, calendar=calendar) == at(2026, 11, 27, 9, 0)
    assert due_after(at(2026, 11, 28, 11, 0), working_days=1, calendar=calendar) == at(2026, 12, 1, 9, 0)


def test_the_christmas_bank_holidays_are_skipped(calendar):
    # Thursday 24 December 2026; Friday 25 and Monday 28 are bank holidays.
    assert due_after(at(2026, 12, 24, 11, 0), working_days=1, calendar=calendar) == at(2026, 12, 29, 11, 0)


def test_working_hours_run_over_the_close_into_the_next_working_day(calendar):
    # Red: 4 working hours from Friday 15:00 is Monday 11:00.
    assert due_after(at(2026, 11, 27, 15, 0), working_hours=4, calendar=calendar) == at(2026, 11, 30, 11, 0)


def test_working_hours_inside_one_day(calendar):
    assert due_after(at(2026, 11, 25, 9, 0), working_hours=2, calendar=calendar) == at(2026, 11, 25, 11, 0)


def test_a_clock_started_before_opening_starts_at_opening(calendar):
    assert due_after(at(2026, 11, 25, 7, 0), working_hours=1, calendar=calendar) == at(2026, 11, 25, 10, 0)


def test_eight_working_hours_ending_exactly_at_the_close(calendar):
    assert due_after(at(2026, 11, 25, 9, 0), working_hours=8, calendar=calendar) == at(2026, 11, 25, 17, 0)


def test_calendar_days_keep_the_wall_clock_time_over_the_change_of_clocks():
    # 28 days across the end of British Summer Time (25 October 2026).
    assert due_after(at(2026, 10, 10, 10, 0), calendar_days=28) == at(2026, 11, 7, 10, 0)


def test_calendar_hours_are_elapsed_hours():
    assert due_after(at(2026, 11, 25, 10, 0), calendar_hours=72) == at(2026, 11, 28, 10, 0)


def elapsed(start, end):
    # Subtracting two datetimes of the same zone counts wall-clock time: count in UTC.
    return end.astimezone(UTC) - start.astimezone(UTC)


def test_72_calendar_hours_over_the_end_of_summer_time_are_72_elapsed_hours():
    # Returned on Saturday 24 October 2026 at 12:00 BST; the clocks go back at 02:00 on the 25th.
    start = at(2026, 10, 24, 12, 0)
    due = due_after(start, calendar_hours=72)
    assert elapsed(start, due) == timedelta(hours=72)
    assert timezone.localtime(due, LONDON) == at(2026, 10, 27, 11, 0)  # 11:00 GMT


def test_72_calendar_hours_over_the_start_of_summer_time_are_72_elapsed_hours():
    # 00:30 GMT on 28 March 2027; the clocks go forward at 01:00.
    start = at(2027, 3, 28, 0, 30)
    due = due_after(start, calendar_hours=72)
    assert elapsed(start, due) == timedelta(hours=72)
    assert timezone.localtime(due, LONDON) == at(2027, 3, 31, 1, 30)  # 01:30 BST


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 10, 24, 12, 0, tzinfo=LONDON),  # a form's value, in the server's zone
        datetime(2026, 10, 24, 12, 0, tzinfo=timezone.get_fixed_timezone(60)),  # "+01:00"
        datetime(2026, 10, 24, 11, 0, tzinfo=UTC),  # "Z"
    ],
    ids=["local", "plus-one-hour", "utc"],
)
def test_calendar_hours_fall_due_at_the_same_instant_whatever_the_zone_of_the_start(start):
    assert due_after(start, calendar_hours=72) == datetime(2026, 10, 27, 11, 0, tzinfo=UTC)


# Around both changes of clocks in Europe/London (and far from them), in London and in other offsets.
CHANGES = [datetime(2026, 10, 25, 1, 0), datetime(2027, 3, 28, 1, 0), datetime(2026, 3, 29, 1, 0)]
ZONES = [
    LONDON,
    UTC,
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),  # a half-hour change of clocks
    timezone.get_fixed_timezone(60),
    timezone.get_fixed_timezone(-330),
]


@st.composite
def aware_starts(draw):
    near = draw(st.booleans())
    if near:
        change = draw(st.sampled_from(CHANGES))
        moment = change + draw(st.timedeltas(min_value=timedelta(days=-4), max_value=timedelta(days=4)))
        return moment.replace(tzinfo=UTC).astimezone(draw(st.sampled_from(ZONES)))
    naive = draw(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)))
    return naive.replace(tzinfo=draw(st.sampled_from(ZONES)), fold=draw(st.sampled_from([0, 1])))


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(start=aware_starts(), hours=st.integers(min_value=0, max_value=24 * 60))
def test_n_calendar_hours_after_any_start_are_n_elapsed_hours(start, hours):
    due = due_after(start, calendar_hours=hours)
    assert elapsed(start, due) == timedelta(hours=hours)


def test_due_after_takes_exactly_one_amount():
    with pytest.raises(TypeError):
        due_after(at(2026, 11, 25, 10, 0))
    with pytest.raises(TypeError):
        due_after(at(2026, 11, 25, 10, 0), working_days=1, working_hours=2)


def test_due_after_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        due_after(datetime(2026, 11, 25, 10, 0), working_days=1)


def test_working_time_between_skips_nights_and_weekends(calendar):
    assert calendar.working_time_between(at(2026, 11, 27, 16, 0), at(2026, 11, 30, 10, 0)) == timedelta(
        hours=2
    )


@pytest.mark.django_db
def test_the_current_working_pattern_is_reference_data():
    WorkingPattern.objects.update(is_current=False)
    WorkingPattern.objects.create(
        name="Extended", is_current=True, opens_at=time(8, 0), closes_at=time(20, 0), saturday=True
    )
    assert due_after(at(2026, 11, 28, 18, 0), working_hours=1) == at(2026, 11, 28, 19, 0)


@pytest.mark.django_db
def test_a_clock_met_and_a_clock_breached():
    start = at(2026, 11, 23, 10, 0)
    met = clock_start(kind="referral decision", basis=ClockBasis.WORKING_DAYS, amount=1, started_at=start)
    late = clock_start(kind="referral decision", basis=ClockBasis.WORKING_DAYS, amount=1, started_at=start)
    assert met.due_at == at(2026, 11, 24, 10, 0)
    assert met.met is None and met.is_running

    clock_stop(clock=met, stopped_at=at(2026, 11, 24, 9, 0))
    clock_stop(clock=late, stopped_at=at(2026, 11, 24, 11, 0))
    met.refresh_from_db()
    late.refresh_from_db()
    assert met.met is True and met.breached_at is None
    assert late.met is False and late.breached_at == at(2026, 11, 24, 11, 0)


@pytest.mark.django_db
def test_stopping_a_clock_twice_keeps_the_first_stop():
    clock = clock_start(
        kind="x", basis=ClockBasis.CALENDAR_HOURS, amount=1, started_at=at(2026, 11, 23, 10, 0)
    )
    clock_stop(clock=clock, stopped_at=at(2026, 11, 23, 10, 30))
    clock_stop(clock=clock, stopped_at=at(2026, 11, 23, 12, 0))
    clock.refresh_from_db()
    assert clock.stopped_at == at(2026, 11, 23, 10, 30)
    assert clock.met is True


@pytest.mark.django_db
def test_the_breach_sweep_records_each_breach_once():
    overdue = clock_start(
        kind="x", basis=ClockBasis.CALENDAR_HOURS, amount=1, started_at=timezone.now() - timedelta(hours=3)
    )
    running = clock_start(
        kind="x", basis=ClockBasis.CALENDAR_HOURS, amount=5, started_at=timezone.now() - timedelta(hours=3)
    )
    assert record_breaches() == 1
    assert record_breaches() == 0
    overdue.refresh_from_db()
    running.refresh_from_db()
    assert overdue.breached_at is not None
    assert running.breached_at is None


@pytest.mark.django_db
def test_a_second_late_stop_does_not_mark_an_on_time_clock_breached():
    clock = clock_start(
        kind="x", basis=ClockBasis.CALENDAR_HOURS, amount=1, started_at=at(2026, 11, 23, 10, 0)
    )
    clock_stop(clock=clock, stopped_at=at(2026, 11, 23, 10, 30))
    clock_stop(clock=clock, stopped_at=at(2026, 11, 23, 15, 0))
    clock.refresh_from_db()
    assert clock.breached_at is None
    assert clock.met is True


def _working_time_day_by_day(calendar, start, end):
    """The plain definition, a working day at a time: the oracle for the arithmetic version."""
    total = timedelta()
    current = calendar.working_start(start)
    while current < end:
        close = datetime.combine(current.date(), calendar.hours.closes_at, tzinfo=LONDON)
        total += min(close, end) - current
        current = datetime.combine(
            calendar.next_working_day(current.date()), calendar.hours.opens_at, tzinfo=LONDON
        )
    return total


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)),
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
    hours=st.sampled_from([STANDARD, Hours(time(8, 30), time(18, 0), frozenset(range(6)))]),
)
def test_working_time_between_counts_what_a_day_by_day_walk_counts(start, span, hours):
    calendar = Calendar(hours)
    start = start.replace(tzinfo=LONDON)
    end = start + span
    expected = _working_time_day_by_day(calendar, start, end)
    assert calendar.working_time_between(start, end) == expected
    assert calendar.working_time_between(end, start) == -expected


def test_working_time_over_christmas_leaves_out_the_bank_holidays(calendar):
    # Wed 23 Dec 2026 09:00 to Wed 6 Jan 2027 09:00: 23, 24, 29, 30, 31 Dec, 4 and 5 Jan (25 Dec,
    # 28 Dec for Boxing Day and 1 Jan are bank holidays): 7 working days.
    assert calendar.working_time_between(at(2026, 12, 23, 9, 0), at(2027, 1, 6, 9, 0)) == timedelta(hours=56)
