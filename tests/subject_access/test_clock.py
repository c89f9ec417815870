"""The one-calendar-month clock, as the ICO counts it (docs/subject-access.md)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.clocks.calendar import describe_clock
from mash.subject_access import deadlines, services
from tests.subject_access.conftest import log_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 3), date(2026, 10, 5)),  # 3 October 2026 is a Saturday: the Monday
        (date(2026, 6, 10), date(2026, 7, 10)),  # the corresponding date, a Friday
        (date(2027, 1, 31), date(2027, 3, 1)),  # no 31 February: the 28th, a Sunday, so Monday 1 March
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year: the 29th, a Tuesday
        (date(2026, 3, 31), date(2026, 4, 30)),  # no 31 April: the 30th
        (
            date(2026, 11, 25),
            date(2026, 12, 29),
        ),  # 25 Dec a holiday, 26-27 weekend, 28 the boxing day substitute
        (date(2026, 4, 25), date(2026, 5, 26)),  # 25 May 2026 is the spring bank holiday
    ],
)
def test_it_is_due_on_the_corresponding_date_or_the_next_working_day(received, due):
    assert deadlines.due_on(received) == due


def test_the_extension_is_three_months_from_receipt_by_the_same_rule():
    assert deadlines.due_on(date(2026, 11, 30), deadlines.EXTENDED_MONTHS) == date(
        2027, 3, 1
    )  # 28 Feb a Sunday


def test_the_clock_runs_to_the_end_of_the_due_day_and_reads_like_every_other(cast, person):
    today = timezone.localdate()
    sar = log_request(cast.governance, person, received_on=today)
    assert sar.due_on == deadlines.due_on(today)
    assert timezone.localtime(sar.clock.due_at).date() == sar.due_on + timedelta(days=1)
    assert describe_clock(sar.clock).startswith("due in ")
    assert sar.clock.kind == "subject access"


def test_it_extends_once_with_a_reason_stopping_the_first_clock_in_time(cast, person):
    sar = log_request(cast.governance, person)
    with pytest.raises(ValidationError) as refused:
        services.request_extend(sar=sar, by=cast.governance, reason="short")
    assert "reason" in refused.value.message_dict
    sar = services.request_extend(sar=sar, by=cast.governance, reason="Many agencies' records to go through.")
    assert sar.extended_due_on == deadlines.due_on(sar.received_on, 3)
    assert sar.clock.met is True
    assert sar.current_clock == sar.extension_clock and sar.extension_clock.is_running
    with pytest.raises(ValidationError, match="already been extended"):
        services.request_extend(sar=sar, by=cast.governance, reason="Many agencies' records to go through.")


def test_it_refuses_an_extension_once_the_first_month_has_passed(cast, person):
    sar = log_request(cast.governance, person, received_on=timezone.localdate() - timedelta(days=60))
    with pytest.raises(ValidationError, match="first month has passed"):
        services.request_extend(sar=sar, by=cast.governance, reason="Many agencies' records to go through.")
