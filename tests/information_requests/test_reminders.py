"""Reminders at 75% of the working time and escalation at breach, each sent once however often beat runs.

Clocks are pinned to fixed working days (March 2025 has no bank holiday) and the sweep is given an
explicit ``now``, so nothing here depends on when the suite runs.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mash.agencies.roles import Role
from mash.clocks.calendar import due_after
from mash.clocks.models import Clock
from mash.notifications.models import Notification
from referrals.models import InformationRequest
from referrals.requests import services as request_services
from referrals.requests.services import send_reminders_and_escalations as sweep
from tests.factories import member
from tests.information_requests.support import BOTH_CHANNELS, answer, ask, channels_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY_9 = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
RED_DUE = datetime(2025, 3, 3, 13, 0, tzinfo=LONDON)  # 4 working hours later
AT_75_PERCENT = datetime(2025, 3, 3, 12, 0, tzinfo=LONDON)

REMINDER = "information_request.reminder"
ESCALATION = "information_request.escalated"


def pin_clock(request, started_at, due_at):
    Clock.objects.filter(pk=request.clock_id).update(started_at=started_at, due_at=due_at)
    InformationRequest.objects.filter(pk=request.pk).update(due_at=due_at)  # the inbox's copy
    request.refresh_from_db()


@pytest.fixture
def researchers(cast):
    return [cast.police_researcher, member(cast.police, Role.AGENCY_RESEARCHER)]


@pytest.fixture
def police_manager(cast):
    return member(cast.police, Role.MASH_MANAGER)


@pytest.fixture
def police_request(cast, gathering, researchers, police_manager):
    (sent,) = ask(gathering, cast.triage, cast.police)
    pin_clock(sent, MONDAY_9, RED_DUE)
    return sent


def test_the_pinned_clock_is_what_a_red_request_would_get():
    assert due_after(MONDAY_9, working_hours=4) == RED_DUE


def test_nothing_is_sent_before_75_percent_of_the_time(police_request):
    assert sweep(now=datetime(2025, 3, 3, 11, 59, tzinfo=LONDON)) == (0, 0)
    assert not Notification.objects.filter(event__in=[REMINDER, ESCALATION]).exists()
    police_request.refresh_from_db()
    assert police_request.reminder_sent_at is None


def test_at_75_percent_every_researcher_is_reminded_when_nobody_has_claimed_it(
    cast, police_request, researchers
):
    assert sweep(now=AT_75_PERCENT) == (1, 0)

    for researcher in researchers:
        assert channels_of(researcher, REMINDER) == BOTH_CHANNELS
    assert Notification.objects.filter(event=REMINDER).count() == 2 * len(researchers)
    police_request.refresh_from_db()
    assert police_request.reminder_sent_at == AT_75_PERCENT


def test_at_75_percent_only_the_assignee_is_reminded_once_claimed(cast, police_request, researchers):
    request_services.information_request_claim(request=police_request, by=researchers[1])

    sweep(now=AT_75_PERCENT)

    assert channels_of(researchers[1], REMINDER) == BOTH_CHANNELS
    assert Notification.objects.filter(event=REMINDER).count() == 2


def test_a_reminder_is_sent_once_however_often_the_sweep_runs(police_request, researchers):
    results = [sweep(now=AT_75_PERCENT), sweep(now=datetime(2025, 3, 3, 12, 20, tzinfo=LONDON))]
    results.append(sweep(now=datetime(2025, 3, 3, 12, 40, tzinfo=LONDON)))

    assert results == [(1, 0), (0, 0), (0, 0)]
    assert Notification.objects.filter(event=REMINDER).count() == 2 * len(researchers)


def test_75_percent_counts_working_time_only(cast, gathering, researchers):
    (sent,) = ask(gathering, cast.triage, cast.police)
    friday_3pm = datetime(2025, 3, 7, 15, 0, tzinfo=LONDON)
    due = due_after(friday_3pm, working_hours=4)
    assert due == datetime(2025, 3, 10, 11, 0, tzinfo=LONDON)
    pin_clock(sent, friday_3pm, due)

    # Sunday evening is past 75% of the calendar time, but only 2 of the 4 working hours have gone.
    assert sweep(now=datetime(2025, 3, 9, 18, 0, tzinfo=LONDON)) == (0, 0)
    assert sweep(now=datetime(2025, 3, 10, 10, 0, tzinfo=LONDON)) == (1, 0)


def test_at_breach_the_agencys_decision_makers_and_mash_managers_are_told_once(
    cast, police_request, researchers, police_manager
):
    results = [sweep(now=RED_DUE) for _ in range(3)]

    assert results == [(0, 1), (0, 0), (0, 0)]
    # The police's decision maker and both its MASH managers (the cast's, this test's), by both channels.
    for manager in (cast.police_decision_maker, cast.police_manager, police_manager):
        assert channels_of(manager, ESCALATION) == BOTH_CHANNELS
    assert Notification.objects.filter(event=ESCALATION).count() == 6
    for researcher in researchers:
        assert not Notification.objects.filter(event=ESCALATION, recipient=researcher).exists()
    assert not Notification.objects.filter(event=ESCALATION, recipient=cast.health_researcher).exists()


def test_at_breach_the_clock_records_the_breach(police_request):
    sweep(now=RED_DUE)

    police_request.refresh_from_db()
    assert police_request.escalated_at == RED_DUE
    clock = Clock.objects.get(pk=police_request.clock_id)
    assert clock.breached_at == RED_DUE
    assert clock.stopped_at is None, "the clock runs until the answer comes"


def test_a_reminder_is_never_sent_after_escalation(police_request):
    assert sweep(now=RED_DUE) == (0, 1), "escalated without a reminder before"
    # A sweep that runs late or out of order still does not remind about an escalated request.
    assert sweep(now=AT_75_PERCENT) == (0, 0)
    assert sweep(now=datetime(2025, 3, 3, 14, 0, tzinfo=LONDON)) == (0, 0)
    assert not Notification.objects.filter(event=REMINDER).exists()


def test_a_reminded_request_is_still_escalated_at_breach(police_request):
    assert sweep(now=AT_75_PERCENT) == (1, 0)
    assert sweep(now=RED_DUE) == (0, 1)


def test_an_answered_request_gets_neither(cast, police_request):
    answer(police_request, cast.police_researcher)

    assert sweep(now=AT_75_PERCENT) == (0, 0)
    assert sweep(now=RED_DUE) == (0, 0)
    assert not Notification.objects.filter(event__in=[REMINDER, ESCALATION]).exists()


def test_a_withdrawn_request_gets_neither(cast, police_request):
    request_services.information_request_withdraw(
        request=police_request, by=cast.triage, reason="Not needed."
    )

    assert sweep(now=AT_75_PERCENT) == (0, 0)
    assert sweep(now=RED_DUE) == (0, 0)
    assert not Notification.objects.filter(event__in=[REMINDER, ESCALATION]).exists()


def test_the_beat_task_runs_the_same_sweep(police_request):
    from referrals.tasks import send_reminders_and_escalations

    # The clock is long past due by the real time now: the task escalates it, once.
    assert send_reminders_and_escalations() == [0, 1]
    assert send_reminders_and_escalations() == [0, 0]
