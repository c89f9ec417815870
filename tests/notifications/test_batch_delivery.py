"""Delivering a send's rows together: one claim, one e-mail connection, one "sent" update per chunk,
and still every row exactly once."""

import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from mash.notifications import services
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.tasks import deliver_notifications
from tests.factories import UserFactory

BOUNCE = "bounce@mash.invalid"


class BouncingBackend(LocmemBackend):
    """Keeps messages in memory like locmem, refuses one address, and counts the connections opened."""

    opened = 0

    def open(self):
        BouncingBackend.opened += 1
        return True

    def send_messages(self, messages):
        if any(BOUNCE in message.to for message in messages):
            raise OSError(f"550 mailbox unavailable: {BOUNCE}")
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def bouncing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.BouncingBackend"
    BouncingBackend.opened = 0
    return BouncingBackend


def send(recipients, key="referral:1:sent"):
    return services.notify(
        recipients=recipients,
        event="test.event",
        idempotency_key=key,
        title="Information requested",
        body="Please answer.",
        url="/inbox/",
    )


def statuses():
    return dict(Notification.objects.values_list("pk", "status"))


@pytest.mark.django_db
def test_a_batch_is_claimed_sent_and_marked_in_three_queries(django_assert_num_queries, bouncing):
    users = [UserFactory() for _ in range(25)]
    ids = [row.pk for row in send(users)]
    with django_assert_num_queries(3):  # claim ... RETURNING, fetch the claimed rows, mark them sent
        assert services.deliver_many(ids) == 50
    assert set(statuses().values()) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert bouncing.opened == 1, "one e-mail connection for the batch"
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_a_batch_delivered_again_sends_nothing_twice():
    users = [UserFactory() for _ in range(3)]
    ids = [row.pk for row in send(users)]
    assert services.deliver_many(ids) == 6
    assert services.deliver_many(ids) == 0
    assert deliver_notifications(ids) == 0, "a redelivered task finds nothing left to claim"
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_rows_claimed_elsewhere_are_left_out_of_the_batch_and_the_rest_are_sent():
    users = [UserFactory() for _ in range(3)]
    rows = send(users)
    taken = [r.pk for r in rows if r.recipient_id == users[0].pk]
    Notification.objects.filter(pk__in=taken).update(status=Status.SENDING)  # another worker has them
    assert services.deliver_many([r.pk for r in rows]) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[1:])
    assert {statuses()[pk] for pk in taken} == {Status.SENDING}


@pytest.mark.django_db
def test_a_failed_email_in_a_batch_goes_back_to_pending_with_its_error_and_the_others_stay_sent(
    bouncing,
):
    users = [UserFactory(), UserFactory(email=BOUNCE), UserFactory()]
    rows = send(users)
    assert services.deliver_many([r.pk for r in rows]) == 5
    bounced = Notification.objects.get(recipient=users[1], channel=Channel.EMAIL)
    assert bounced.status == Status.PENDING
    assert bounced.attempts == 1
    assert "550 mailbox unavailable" in bounced.last_error
    others = Notification.objects.exclude(pk=bounced.pk)
    assert set(others.values_list("status", flat=True)) == {Status.SENT}
    assert set(others.values_list("last_error", flat=True)) == {""}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[0].email, users[2].email])

    # The sweep's next attempt sends only the bounced row (and fails it again).
    assert services.deliver_many([r.pk for r in rows]) == 0
    bounced.refresh_from_db()
    assert (bounced.status, bounced.attempts) == (Status.PENDING, 2)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failed_email_in_a_batch_gives_up_after_the_last_attempt(bouncing, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    users = [UserFactory(email=BOUNCE), UserFactory()]
    services.deliver_many([r.pk for r in send(users)])
    bounced = Notification.objects.get(recipient=users[0], channel=Channel.EMAIL)
    assert bounced.status == Status.FAILED
    assert Notification.objects.filter(status=Status.SENT).count() == 3


@pytest.mark.django_db
def test_an_unreachable_mail_server_leaves_the_emails_pending_and_the_inbox_delivered(settings):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"
    users = [UserFactory() for _ in range(2)]
    rows = send(users)
    assert services.deliver_many([r.pk for r in rows]) == 2
    assert set(Notification.objects.values_list("channel", "status")) == {
        (Channel.IN_APP, Status.SENT),
        (Channel.EMAIL, Status.PENDING),
    }
    assert all(
        "Connection refused" in e
        for e in Notification.objects.filter(channel=Channel.EMAIL).values_list("last_error", flat=True)
    )
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_long_list_is_delivered_in_chunks(bouncing, settings, monkeypatch):
    monkeypatch.setattr(services, "DELIVERY_CHUNK", 4)
    users = [UserFactory() for _ in range(5)]
    ids = [r.pk for r in send(users)]
    assert services.deliver_many(ids + ids) == 10, "a repeated id is delivered once"
    assert bouncing.opened == 3, "one connection per chunk that has e-mail"
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_rows_at_once_send_each_exactly_once():
    users = [UserFactory() for _ in range(40)]
    ids = [r.pk for r in send(users)]
    barrier = threading.Barrier(3)
    delivered = []

    def worker(order):
        try:
            barrier.wait()
            delivered.append(services.deliver_many(order))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(order,))
        for order in (ids, list(reversed(ids)), ids[::2] + ids[1::2])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(delivered) == 80
    assert set(statuses().values()) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


@pytest.mark.django_db
def test_the_sweep_enqueues_a_backlog_one_chunk_per_task(settings, monkeypatch):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    monkeypatch.setattr(services, "DELIVERY_CHUNK", 4)
    tasks = []
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: tasks.append(list(ids)) or True)
    rows = send([UserFactory() for _ in range(5)])
    assert services.sweep() == 10
    assert [len(t) for t in tasks] == [4, 4, 2]
    assert sorted(pk for t in tasks for pk in t) == sorted(r.pk for r in rows)


@pytest.mark.django_db
def test_a_sweep_that_loses_the_broker_midway_counts_only_what_it_enqueued(settings, monkeypatch):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    monkeypatch.setattr(services, "DELIVERY_CHUNK", 4)
    answers = iter([True, False, True])
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: next(answers))
    send([UserFactory() for _ in range(5)])
    assert services.sweep() == 4
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.PENDING}
