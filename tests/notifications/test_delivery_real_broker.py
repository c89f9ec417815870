"""Delivery through a real Celery worker on the real Redis broker (no eager mode, no mocks)."""

import pytest
from django.core import mail
from django.db import transaction

from mash.notifications import delivery, services
from mash.notifications.models import Channel, Notification, Status
from tests.broker import drained, wait_until
from tests.factories import UserFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def announce(recipients, key):
    with transaction.atomic():
        return services.notify(
            recipients=recipients,
            event="test.event",
            idempotency_key=key,
            title="Information requested",
            body="Please answer.",
            url="/inbox/",
        )


def test_each_recipient_gets_exactly_one_message_per_channel(celery_worker):
    users = [UserFactory() for _ in range(5)]
    announce(users, "fan-out:1")

    assert wait_until(lambda: Notification.objects.filter(status=Status.SENT).count() == 10)
    assert drained()  # anything sent twice has shown up
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    for user in users:
        assert (
            Notification.objects.filter(recipient=user, channel=Channel.IN_APP, status=Status.SENT).count()
            == 1
        )


def test_a_rolled_back_transaction_delivers_nothing(celery_worker):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(
            recipients=[user],
            event="test.event",
            idempotency_key="rolled-back",
            title="Never",
            body="",
            url="",
        )
        raise RuntimeError("the change failed")
    assert drained()
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_broker_outage_delays_but_never_loses_a_message(celery_worker, broker_down, settings):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    user = UserFactory()
    with broker_down():
        announce([user], "outage:1")  # commit succeeds; the enqueue fails and is logged
        assert set(Notification.objects.values_list("channel", "status")) == {
            (Channel.IN_APP, Status.SENT),  # the inbox never waits for the broker
            (Channel.EMAIL, Status.PENDING),
        }
        assert delivery.sweep() == 0, "the sweep cannot reach the broker either"
    assert mail.outbox == []

    delivery.resume_enqueueing()  # the process's pause after a failed hand-over is over
    assert delivery.sweep() == 1  # the broker is back
    assert wait_until(lambda: Notification.objects.filter(status=Status.SENT).count() == 2)
    assert len(mail.outbox) == 1


def test_the_sweep_and_the_first_delivery_racing_still_send_once(celery_worker, settings):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    users = [UserFactory() for _ in range(3)]
    announce(users, "race:1")
    for _ in range(3):
        delivery.sweep()
    assert wait_until(lambda: Notification.objects.filter(status=Status.SENT).count() == 6)
    assert drained()
    assert len(mail.outbox) == 3
