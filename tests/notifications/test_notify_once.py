"""'Claim once, then notify' (the beat tasks' reminders and escalations): each row is claimed with a
conditional update, and only the claim that changed the row writes the notice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mash.clocks.models import Clock, ClockBasis
from mash.notifications import services
from mash.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = "clock.breached"


@pytest.fixture
def overdue():
    """Two running clocks past due with no breach recorded: the rows a beat task would claim."""
    now = timezone.now()
    return [
        Clock.objects.create(
            kind="x",
            basis=ClockBasis.CALENDAR_HOURS,
            amount=1,
            started_at=now - timedelta(hours=hours + 1),
            due_at=now - timedelta(hours=hours),
        )
        for hours in (1, 2)
    ]


def notice_to(user):
    def notice(clock) -> dict:
        return {"recipients": [user], "event": EVENT, "idempotency_key": f"clock:{clock.pk}", "title": "Late"}

    return notice


def unclaimed():
    return Clock.objects.filter(breached_at__isnull=True)


def test_each_row_is_claimed_and_notified_once(overdue):
    user, now = UserFactory(), timezone.now()
    assert services.notify_once(unclaimed(), mark="breached_at", now=now, notice=notice_to(user)) == 2
    assert services.notify_once(unclaimed(), mark="breached_at", now=now, notice=notice_to(user)) == 0
    assert {c.breached_at for c in Clock.objects.filter(pk__in=[c.pk for c in overdue])} == {now}
    assert Notification.objects.filter(event=EVENT, recipient=user).count() == 4  # in-app and e-mail each


def test_a_row_read_before_another_caller_claimed_it_is_not_notified_again(overdue):
    """Two workers read the same rows; the second to claim finds them claimed and writes nothing."""
    user, now = UserFactory(), timezone.now()
    read_by_the_second = list(unclaimed())
    assert services.notify_once(unclaimed(), mark="breached_at", now=now, notice=notice_to(user)) == 2
    written = Notification.objects.filter(event=EVENT).count()

    later = now + timedelta(minutes=1)
    assert (
        services.notify_once(read_by_the_second, mark="breached_at", now=later, notice=notice_to(user)) == 0
    )
    assert Notification.objects.filter(event=EVENT).count() == written
    assert {c.breached_at for c in Clock.objects.filter(pk__in=[c.pk for c in overdue])} == {now}


def test_a_notice_that_fails_releases_its_claim(overdue):
    user, now = UserFactory(), timezone.now()

    def failing(clock):
        raise RuntimeError("the notice could not be written")

    with pytest.raises(RuntimeError):
        services.notify_once(unclaimed(), mark="breached_at", now=now, notice=failing)
    assert unclaimed().count() == 2, "the claim was rolled back with the failed notice"
    assert services.notify_once(unclaimed(), mark="breached_at", now=now, notice=notice_to(user)) == 2
