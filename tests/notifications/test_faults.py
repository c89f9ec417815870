"""What the fault drills (`make drills`) found, each kept fixed by a test: a stale claim released after
the hard limit, the send window and the soft time limit stopping between messages, backoff and the
retry period, a database lost between sending and recording, and a frozen broker never holding a
request."""

import smtplib
from datetime import timedelta

import psycopg
import pytest
from auditlog.models import LogEntry
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from mash.notifications import delivery, services
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.selectors import inbox_for
from mash.notifications.tasks import deliver_notifications
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


class ScriptedBackend(LocmemBackend):
    """An SMTP server that answers each message from a script (None: accepted; an exception: raised),
    and counts the connections opened."""

    script: list = []
    opened = 0

    def open(self):
        ScriptedBackend.opened += 1
        return True

    def send_messages(self, messages):
        step = ScriptedBackend.script.pop(0) if ScriptedBackend.script else None
        if callable(step):
            step = step()
        if step is not None:
            raise step
        return super().send_messages(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.script, ScriptedBackend.opened = [], 0
    return ScriptedBackend


def emails_to(count, key="referral:1:sent"):
    rows = services.notify(
        recipients=[UserFactory() for _ in range(count)],
        event="test.event",
        idempotency_key=key,
        title="Information requested",
        body="Please answer.",
        url="/inbox/",
    )
    return [r.pk for r in rows if r.channel == Channel.EMAIL]


def rows(ids):
    return list(Notification.objects.filter(pk__in=ids).order_by("pk"))


# --- Time limits ---------------------------------------------------------------------------------


def test_the_task_limits_fit_the_send_window_and_the_stale_claim_outlasts_the_hard_limit():
    assert deliver_notifications.soft_time_limit == django_settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT
    assert deliver_notifications.time_limit > deliver_notifications.soft_time_limit
    # The last message may start at the window's end and take an e-mail timeout to connect, one to
    # send and one to close: it still ends before the soft limit.
    assert (
        deliver_notifications.soft_time_limit
        >= django_settings.NOTIFICATION_SEND_WINDOW + 3 * django_settings.EMAIL_TIMEOUT
    )
    assert timedelta(seconds=deliver_notifications.time_limit) < django_settings.NOTIFICATION_STALE_CLAIM


def test_a_closed_send_window_hands_the_rest_on_untouched(smtp):
    ids = emails_to(5)
    assert delivery.deliver_many(ids, window=0) == 0
    assert [(r.status, r.attempts, r.claimed_at) for r in rows(ids)] == [(Status.PENDING, 0, None)] * 5
    assert mail.outbox == []


def test_the_soft_time_limit_mid_message_is_raised_not_counted_and_puts_the_rows_back(smtp):
    ids = emails_to(4)
    smtp.script = [None, SoftTimeLimitExceeded()]  # the limit strikes during the second message
    with pytest.raises(SoftTimeLimitExceeded):
        delivery.deliver_many(ids)
    first, *rest = rows(ids)
    assert first.status == Status.SENT, "the first message was accepted and recorded at once"
    assert [(r.status, r.attempts, r.last_error) for r in rest] == [(Status.PENDING, 0, "")] * 3
    assert len(mail.outbox) == 1


def test_after_a_timeout_the_next_message_goes_over_a_fresh_connection(smtp, settings):
    settings.NOTIFICATION_RETRY_HOURS = 24
    ids = emails_to(3)
    smtp.script = [None, TimeoutError("timed out"), None]
    assert delivery.deliver_many(ids) == 2
    assert smtp.opened == 2, "the conversation may be out of step after an error: start again"
    assert [r.status for r in rows(ids)] == [Status.SENT, Status.PENDING, Status.SENT]


# --- Stale claims --------------------------------------------------------------------------------


def test_a_claim_left_by_a_dead_worker_is_released_after_the_stale_period_only(settings):
    old, recent = emails_to(2)
    now = timezone.now()
    Notification.objects.filter(pk=old).update(
        status=Status.SENDING, claimed_at=now - settings.NOTIFICATION_STALE_CLAIM - timedelta(seconds=1)
    )
    Notification.objects.filter(pk=recent).update(
        status=Status.SENDING, claimed_at=now - settings.NOTIFICATION_STALE_CLAIM + timedelta(seconds=5)
    )
    delivery.sweep(now=now)
    old_row, recent_row = (Notification.objects.get(pk=pk) for pk in (old, recent))
    assert (old_row.status, old_row.attempts) == (Status.PENDING, 1), "its send may have happened"
    assert recent_row.status == Status.SENDING, "its worker may still be sending it"


# --- Backoff and the retry period ----------------------------------------------------------------


def test_a_temporary_refusal_backs_off_exponentially_with_jitter(smtp, settings):
    settings.NOTIFICATION_BACKOFF_BASE = timedelta(seconds=30)
    settings.NOTIFICATION_BACKOFF_CAP = timedelta(hours=1)
    (pk,) = emails_to(1)
    waits = []
    for _ in range(3):
        smtp.script = [smtplib.SMTPRecipientsRefused({"x@mash.invalid": (451, b"try again later")})]
        Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
        before = timezone.now()
        assert delivery.deliver(pk) is False
        row = Notification.objects.get(pk=pk)
        waits.append((row.next_attempt_at - before).total_seconds())
    assert (row.status, row.attempts) == (Status.PENDING, 3)
    for attempt, wait in enumerate(waits, start=1):
        ceiling = 30 * 2 ** (attempt - 1)
        assert ceiling / 2 - 1 <= wait <= ceiling + 1, (attempt, wait)
    assert row.retry_until - timezone.now() > timedelta(hours=23), "retried for 24 hours"
    assert "451" in row.last_error


def test_the_backoff_is_capped(settings):
    settings.NOTIFICATION_BACKOFF_BASE = timedelta(seconds=30)
    settings.NOTIFICATION_BACKOFF_CAP = timedelta(minutes=30)
    assert all(delivery.backoff(40) <= timedelta(minutes=30) for _ in range(20))
    assert all(delivery.backoff(40) >= timedelta(minutes=15) for _ in range(20))


def test_a_row_in_backoff_is_left_by_the_sweep_and_sent_when_due(smtp, settings):
    settings.NOTIFICATION_SWEEP_AFTER = timedelta(0)
    (pk,) = emails_to(1)
    smtp.script = [smtplib.SMTPRecipientsRefused({"x@mash.invalid": (451, b"try again later")})]
    delivery.deliver(pk)
    assert delivery.sweep() == 0, "not due yet"
    assert delivery.deliver(pk) is False, "nor for a task that asks for it"
    Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now())  # the backoff is over
    assert delivery.sweep() == 1
    assert delivery.deliver(pk) is True


def test_a_row_still_failing_after_the_retry_period_fails_and_the_managers_are_told(smtp, cast):
    (pk,) = emails_to(1)
    Notification.objects.filter(pk=pk).update(attempts=20, retry_until=timezone.now() - timedelta(seconds=1))
    smtp.script = [smtplib.SMTPDataError(451, b"try again later")]
    assert delivery.deliver(pk) is False
    row = Notification.objects.get(pk=pk)
    assert (row.status, row.attempts) == (Status.FAILED, 21)
    told = Notification.objects.filter(event="notification.failed")
    assert set(told.values_list("recipient", flat=True)) == {cast.manager.pk}
    assert inbox_for(cast.manager).filter(event="notification.failed").exists()


def test_a_managers_retry_puts_failed_rows_back_with_a_fresh_period(smtp, cast):
    (pk,) = emails_to(1)
    Notification.objects.filter(pk=pk).update(status=Status.FAILED, attempts=5, retry_until=timezone.now())
    assert services.retry_failed(by=cast.manager, ids=[pk]) == 1
    row = Notification.objects.get(pk=pk)
    assert (row.status, row.retry_until) == (Status.PENDING, None)
    (entry,) = LogEntry.objects.get_for_object(row)
    assert (entry.actor, entry.changes_dict) == (cast.manager, {"status": ["failed", "pending"]})
    assert "Please answer." not in str(entry.__dict__), "the body is not copied into the history"
    assert delivery.deliver(pk) is True


def test_only_a_lead_manager_or_a_superuser_may_retry(cast):
    from mash.common.errors import RoleRefused

    for user in (cast.triage, cast.decision_maker, cast.governance, cast.police_researcher):
        with pytest.raises(RoleRefused):
            services.retry_failed(by=user)
    police_manager = member(cast.police, "MASH manager")
    with pytest.raises(RoleRefused):
        services.retry_failed(by=police_manager)


# --- The database lost between sending and recording --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_lost_after_the_send_is_waited_out_not_sent_again(smtp):
    ids = emails_to(2)
    dsn = connection.get_connection_params()

    def drop_our_connection():
        # As a PostgreSQL restart does: the worker's connection dies while the message is on the wire.
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**{k: v for k, v in dsn.items() if k != "cursor_factory"}) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    smtp.script = [drop_our_connection]
    assert delivery.deliver_many(ids) == 2
    assert [r.status for r in rows(ids)] == [Status.SENT, Status.SENT]
    assert len(mail.outbox) == 2


# --- A frozen broker never holds a request -------------------------------------------------------


def test_a_frozen_broker_is_given_up_on_after_the_timeout_and_then_left_alone(settings, broker_frozen):
    settings.NOTIFICATION_ENQUEUE_TIMEOUT = 0.2
    ids = emails_to(1)
    submitted = []
    real_thread = delivery._publisher_thread

    def counting_thread():
        executor = real_thread()
        submit = executor.submit

        class Counting:
            def submit(self, fn):
                future = submit(fn)
                submitted.append(future)
                return future

        return Counting()

    with broker_frozen():
        delivery._publisher_thread = counting_thread
        try:
            assert delivery.enqueue(ids) is False
            assert not submitted[0].done(), "the request went on while the publish still hung"
            assert delivery.enqueue(ids) is False
            assert len(submitted) == 1, "during the pause no request tries the frozen broker again"
        finally:
            delivery._publisher_thread = real_thread
    assert Notification.objects.get(pk=ids[0]).status == Status.PENDING, "left for the sweep"
