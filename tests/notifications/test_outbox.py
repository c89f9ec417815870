"""The outbox: rows written with the change; the inbox delivered by the commit, e-mail after it, each
exactly once."""

import pytest
from django.core import mail
from django.db import transaction

from mash.notifications import delivery, services
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.selectors import inbox_for, unread_count_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(recipients, key="referral:1:sent", **extra):
    return services.notify(
        recipients=recipients,
        event="test.event",
        idempotency_key=key,
        title="A referral needs you",
        body="Referral MASH-2026-000001 is waiting.",
        url="/",
        **extra,
    )


def test_it_writes_one_row_per_recipient_and_channel(django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        rows = send([alice, bob])
    assert len(rows) == 4
    assert {(r.recipient_id, r.channel) for r in rows} == {
        (alice.pk, Channel.IN_APP),
        (alice.pk, Channel.EMAIL),
        (bob.pk, Channel.IN_APP),
        (bob.pk, Channel.EMAIL),
    }
    assert {(r.channel, r.status) for r in rows} == {
        (Channel.IN_APP, Status.SENT),
        (Channel.EMAIL, Status.PENDING),
    }, "the inbox is delivered by the commit; e-mail waits for the worker"
    assert len(callbacks) == 1, "delivery is enqueued once, after commit"


def test_one_hand_over_per_transaction_however_many_notifications(django_capture_on_commit_callbacks):
    users = [UserFactory() for _ in range(5)]
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for number, user in enumerate(users):
            send([user], key=f"agency:{number}")
    assert len(callbacks) == 1, "five agencies told in one transaction: one enqueue"


def test_a_rolled_back_savepoint_does_not_take_the_transactions_hand_over_with_it(
    django_capture_on_commit_callbacks,
):
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            send([first], key="rolled-back")
            raise RuntimeError("this part failed")
        kept = next(r for r in send([second], key="kept") if r.channel == Channel.EMAIL)
    assert len(callbacks) == 1
    assert callbacks[0].__self__.ids == [kept.pk]


def test_it_skips_email_for_a_recipient_without_an_address():
    user = UserFactory(email="")
    rows = send([user])
    assert [r.channel for r in rows] == [Channel.IN_APP]


def test_the_same_key_never_writes_twice(django_capture_on_commit_callbacks):
    user = UserFactory()
    send([user])
    with django_capture_on_commit_callbacks() as callbacks:
        again = send([user])
    assert again == []
    assert callbacks == []
    assert Notification.objects.filter(recipient=user).count() == 2


def test_a_rolled_back_change_leaves_no_notification(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([user])
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0
    assert callbacks == []


def test_the_inbox_is_filled_by_the_commit_and_delivery_sends_the_email():
    user = UserFactory()
    rows = send([user])
    assert list(inbox_for(user).values_list("title", flat=True)) == ["A referral needs you"]
    email_row = next(r for r in rows if r.channel == Channel.EMAIL)
    assert delivery.deliver(email_row.pk) is True
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "A referral needs you"
    assert "http" in mail.outbox[0].body
    assert list(inbox_for(user).values_list("title", flat=True)) == ["A referral needs you"]
    assert unread_count_for(user) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_delivering_twice_sends_once():
    user = UserFactory()
    email_row = next(r for r in send([user]) if r.channel == Channel.EMAIL)
    assert delivery.deliver(email_row.pk) is True
    assert delivery.deliver(email_row.pk) is False
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_not_sent_again():
    user = UserFactory()
    email_row = next(r for r in send([user]) if r.channel == Channel.EMAIL)
    Notification.objects.filter(pk=email_row.pk).update(status=Status.SENDING)
    assert delivery.deliver(email_row.pk) is False
    assert mail.outbox == []


def test_a_failed_send_goes_back_to_pending_for_the_sweep(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    user = UserFactory()
    email_row = next(r for r in send([user]) if r.channel == Channel.EMAIL)
    assert delivery.deliver(email_row.pk) is False
    email_row.refresh_from_db()
    assert email_row.status == Status.PENDING
    assert email_row.attempts == 1
    assert "Connection" in email_row.last_error or "refused" in email_row.last_error.lower()


def test_a_failed_send_waits_out_its_backoff_before_anyone_sends_it_again(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    user = UserFactory()
    email_row = next(r for r in send([user]) if r.channel == Channel.EMAIL)
    delivery.deliver(email_row.pk)
    assert delivery.deliver(email_row.pk) is False, "a redelivered task does not cut the backoff short"
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts) == (Status.PENDING, 1)


def test_marking_read_clears_the_unread_count_for_that_user_only():
    alice, bob = UserFactory(), UserFactory()
    send([alice, bob])
    assert services.mark_read(user=alice) == 1
    assert unread_count_for(alice) == 0
    assert unread_count_for(bob) == 1


def test_an_email_is_never_in_the_inbox():
    user = UserFactory()
    send([user], channels=[Channel.EMAIL])
    assert inbox_for(user).count() == 0


def test_the_attachment_goes_with_the_email():
    user = UserFactory()
    rows = send(
        [user],
        attachments=[
            {
                "filename": "invite.ics",
                "content": "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
                "mimetype": "text/calendar",
            }
        ],
    )
    delivery.deliver_many(row.pk for row in rows)
    assert mail.outbox[0].attachments[0][0] == "invite.ics"


def test_someone_outside_the_mash_is_emailed_once_without_a_link():
    first = services.notify_address(
        address="head@school.example",
        event="referral.feedback",
        idempotency_key="referral:1:feedback",
        title="Your referral",
        body="We have decided to offer early help.",
    )
    again = services.notify_address(
        address="head@school.example",
        event="referral.feedback",
        idempotency_key="referral:1:feedback",
        title="Your referral",
        body="We have decided to offer early help.",
    )
    assert again is None
    assert delivery.deliver(first.pk) is True
    assert mail.outbox[0].to == ["head@school.example"]
    assert "http" not in mail.outbox[0].body


def test_an_outside_address_must_be_an_email_address():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.notify_address(address="not an address", event="x", idempotency_key="k", title="t", body="b")
    assert "address" in error.value.message_dict
    assert Notification.objects.count() == 0
