"""Delivering a send's e-mails: claimed a chunk at a time over one connection, each marked sent as the
server accepts it, and still every row exactly once."""

import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from mash.notifications import delivery, services
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
            raise smtplib.SMTPRecipientsRefused({BOUNCE: (550, b"mailbox unavailable")})
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


def emails(rows):
    return [r.pk for r in rows if r.channel == Channel.EMAIL]


@pytest.mark.django_db
def test_a_batch_is_claimed_once_and_each_email_marked_sent_as_it_leaves(django_assert_num_queries, bouncing):
    users = [UserFactory() for _ in range(10)]
    ids = emails(send(users))
    # claim ... RETURNING, fetch the claimed rows, then one "sent" per message accepted
    with django_assert_num_queries(2 + 10):
        assert delivery.deliver_many(ids) == 10
    assert set(statuses().values()) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert bouncing.opened == 1, "one e-mail connection for the batch"
    assert set(Notification.objects.values_list("attempts", flat=True)) == {0}


@pytest.mark.django_db
def test_a_batch_delivered_again_sends_nothing_twice():
    users = [UserFactory() for _ in range(3)]
    ids = emails(send(users))
    assert delivery.deliver_many(ids) == 3
    assert delivery.deliver_many(ids) == 0
    assert deliver_notifications(ids) == 0, "a redelivered task finds nothing left to claim"
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_rows_claimed_elsewhere_are_left_out_of_the_batch_and_the_rest_are_sent():
    users = [UserFactory() for _ in range(3)]
    rows = send(users)
    taken = [r.pk for r in rows if r.recipient_id == users[0].pk and r.channel == Channel.EMAIL]
    Notification.objects.filter(pk__in=taken).update(status=Status.SENDING)  # another worker has them
    assert delivery.deliver_many(emails(rows)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[1:])
    assert {statuses()[pk] for pk in taken} == {Status.SENDING}


@pytest.mark.django_db
def test_a_refused_address_fails_for_good_at_once_and_the_others_stay_sent(bouncing):
    users = [UserFactory(), UserFactory(email=BOUNCE), UserFactory()]
    rows = send(users)
    assert delivery.deliver_many(emails(rows)) == 2
    bounced = Notification.objects.get(recipient=users[1], channel=Channel.EMAIL)
    assert (bounced.status, bounced.attempts) == (Status.FAILED, 1), "550 will not change by retrying"
    assert "550" in bounced.last_error
    others = Notification.objects.exclude(pk=bounced.pk)
    assert set(others.values_list("status", flat=True)) == {Status.SENT}
    assert set(others.values_list("last_error", flat=True)) == {""}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[0].email, users[2].email])
    assert bouncing.opened == 2, "the connection is dropped after an error and a fresh one opened"


@pytest.mark.django_db
def test_an_unreachable_mail_server_leaves_the_emails_pending_with_a_backoff(settings):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"
    users = [UserFactory() for _ in range(2)]
    rows = send(users)
    assert delivery.deliver_many(emails(rows)) == 0
    assert set(Notification.objects.values_list("channel", "status")) == {
        (Channel.IN_APP, Status.SENT),
        (Channel.EMAIL, Status.PENDING),
    }
    failed = Notification.objects.filter(channel=Channel.EMAIL)
    assert all("Connection refused" in e for e in failed.values_list("last_error", flat=True))
    assert all(row.next_attempt_at is not None and row.attempts == 1 for row in failed)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_long_list_is_delivered_in_chunks(bouncing, monkeypatch):
    monkeypatch.setattr(delivery, "EMAIL_CHUNK", 4)
    users = [UserFactory() for _ in range(9)]
    ids = emails(send(users))
    assert delivery.deliver_many(ids + ids) == 9, "a repeated id is delivered once"
    assert bouncing.opened == 1, "one connection for the task"
    assert len(mail.outbox) == 9


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_rows_at_once_send_each_exactly_once():
    users = [UserFactory() for _ in range(40)]
    ids = emails(send(users))
    barrier = threading.Barrier(3)
    delivered = []

    def worker(order):
        try:
            barrier.wait()
            delivered.append(delivery.deliver_many(order))
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
    assert sum(delivered) == 40
    assert set(statuses().values()) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


@pytest.mark.django_db
def test_the_sweep_enqueues_a_backlog_in_tasks_of_bounded_size(settings, monkeypatch):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    monkeypatch.setattr(delivery, "TASK_ROWS", 2)
    tasks = []
    monkeypatch.setattr(delivery, "enqueue", lambda ids: tasks.append(list(ids)) or True)
    rows = send([UserFactory() for _ in range(5)])
    assert delivery.sweep() == 5, "only e-mails wait for the sweep"
    assert [len(t) for t in tasks] == [2, 2, 1]
    assert sorted(pk for t in tasks for pk in t) == sorted(emails(rows))


@pytest.mark.django_db
def test_a_sweep_that_loses_the_broker_midway_counts_only_what_it_enqueued(settings, monkeypatch):
    settings.NOTIFICATION_SWEEP_AFTER = __import__("datetime").timedelta(0)
    monkeypatch.setattr(delivery, "TASK_ROWS", 2)
    answers = iter([True, False, True])
    monkeypatch.setattr(delivery, "enqueue", lambda ids: next(answers))
    send([UserFactory() for _ in range(5)])
    assert delivery.sweep() == 2
    assert set(Notification.objects.filter(channel=Channel.EMAIL).values_list("status", flat=True)) == {
        Status.PENDING
    }
