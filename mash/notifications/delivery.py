"""Sending the outbox's e-mails: handed to Celery once per transaction, claimed in small chunks, each
message marked sent the moment the mail server accepts it, failures retried with backoff.

What this promises (README, 'Notifications'): an e-mail is never lost; a crash can send again at most
the one message that was in flight (SMTP cannot promise more; its stable Message-ID lets a receiving
server drop the copy). In-app rows never come here: they are delivered by the commit that writes them.
"""

import contextlib
import logging
import os
import random
import smtplib
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from mash.notifications.models import Channel, Notification, Status
from mash.sharing.dissemination_services import email_log_catch_up, email_sent_log_safely

logger = logging.getLogger(__name__)

# E-mails claimed together: one claim and one fetch per chunk, then one update per message sent.
EMAIL_CHUNK = 20
# The most rows one delivery task is given (a send to more recipients is one task, which hands on
# what it has not reached when its send window closes); also what the sweep puts in one task.
TASK_ROWS = 500
# How long a message's "sent" is retried across a database restart before the row is left for the
# stale-claim release (which could send that one message again).
RECORD_RETRY_SECONDS = 30


# --- Handing rows to Celery ------------------------------------------------------------------------

_publisher: tuple[int, ThreadPoolExecutor] | None = None
_paused_until = 0.0  # monotonic time before which this process does not try the broker
_local = threading.local()


class _Batch:
    """The e-mail ids a transaction wrote, handed to the broker once, after its commit."""

    def __init__(self):
        self.ids: list[int] = []

    def flush(self):
        _local.batch = None
        enqueue(self.ids)


def enqueue_after_commit(ids: Iterable[int]) -> None:
    """Deliver ids after the current transaction commits, in one hand-over for the whole transaction
    however many times it notifies (a frozen broker then costs a request one timeout, not one each)."""
    ids = list(ids)
    if not ids:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        enqueue(ids)
        return
    batch = getattr(_local, "batch", None)
    # A batch whose callback was discarded (its savepoint or transaction rolled back) is stale.
    if batch is None or not any(func == batch.flush for _sids, func, _robust in conn.run_on_commit):
        batch = _local.batch = _Batch()
        transaction.on_commit(batch.flush, robust=True)
    batch.ids.extend(ids)


def _publisher_thread() -> ThreadPoolExecutor:
    """This process's publishing thread (a forked worker or web process gets its own)."""
    global _publisher
    if _publisher is None or _publisher[0] != os.getpid():
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notifications-enqueue")
        _publisher = (os.getpid(), executor)
    return _publisher[1]


def enqueue(ids: Iterable[int]) -> bool:
    """Hand rows to Celery, waiting at most NOTIFICATION_ENQUEUE_TIMEOUT. A broker that is down or
    frozen is logged, not raised: the rows stay pending, the sweep re-sends them, and this process
    leaves the broker alone for NOTIFICATION_ENQUEUE_PAUSE so that no other request waits on it."""
    global _paused_until
    # Here, not at the top: tasks.py imports this module to run the delivery.
    from mash.notifications.tasks import deliver_notifications

    ids = list(ids)
    chunks = [ids[i : i + TASK_ROWS] for i in range(0, len(ids), TASK_ROWS)]
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker (make run on SQLite): deliver in this process
        for chunk in chunks:
            deliver_notifications.delay(chunk)
        return True
    if time.monotonic() < _paused_until:
        logger.warning("Broker paused after a failure: %d notification(s) left to the sweep.", len(ids))
        return False
    future = _publisher_thread().submit(lambda: [deliver_notifications.delay(chunk) for chunk in chunks])
    try:
        future.result(timeout=settings.NOTIFICATION_ENQUEUE_TIMEOUT)
    except Exception:
        _paused_until = time.monotonic() + settings.NOTIFICATION_ENQUEUE_PAUSE
        logger.warning(
            "Could not enqueue %d notification(s); the sweep will re-send them.", len(ids), exc_info=True
        )
        return False
    return True


def resume_enqueueing() -> None:
    """Forget a broker failure (tests, and a worker whose broker is back)."""
    global _paused_until
    _paused_until = 0.0


# --- Sending ---------------------------------------------------------------------------------------


class _Stop(Exception):
    """The send window closed or the mail server cannot be reached: put the rest back."""


def _claim(ids: list[int], now: datetime) -> list[int]:
    """Claim the e-mails of ids that are pending and due with one conditional UPDATE ... RETURNING.

    Only the rows this statement moved from pending to sending are returned, and only those may be
    sent: a retry, the sweep or another worker claiming the same rows gets none of them. On PostgreSQL
    the rows are locked in id order and rows another claim holds are skipped (no waiting, no deadlock).
    A row waiting out its backoff is not due, whoever asks.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    pk, status, claimed_at, attempts, next_attempt_at = (
        connection.ops.quote_name(Notification._meta.get_field(name).column)
        for name in ("id", "status", "claimed_at", "attempts", "next_attempt_at")
    )
    in_ids = ", ".join(["%s"] * len(ids))
    due = f"({attempts} = 0 OR {next_attempt_at} IS NULL OR {next_attempt_at} <= %s)"
    # Only quoted identifiers from the model are formatted in; every value is a parameter.
    if connection.features.has_select_for_update_skip_locked:
        pending = f"SELECT {pk} FROM {table} WHERE {pk} IN ({in_ids}) AND {status} = %s AND {due}"  # noqa: S608
        where = f"{pk} IN ({pending} ORDER BY {pk} FOR UPDATE SKIP LOCKED)"
    else:  # SQLite: one writer at a time, so the conditional update alone is enough.
        where = f"{pk} IN ({in_ids}) AND {status} = %s AND {due}"
    sets = f"{status} = %s, {claimed_at} = %s"
    sql = f"UPDATE {table} SET {sets} WHERE {where} AND {status} = %s RETURNING {pk}"  # noqa: S608
    at = connection.ops.adapt_datetimefield_value(now)
    params = [Status.SENDING, at, *ids, Status.PENDING, at, Status.PENDING]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _record(pk: int, **fields) -> None:
    """Write one claimed row's outcome. The message may already have left, so a database restart
    here is waited out (for RECORD_RETRY_SECONDS) rather than leaving the row to be sent again."""
    give_up = time.monotonic() + RECORD_RETRY_SECONDS
    delay = 0.1
    while True:
        try:
            Notification.objects.filter(pk=pk, status=Status.SENDING).update(**fields)
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() + delay > give_up:
                raise
            logger.warning("Recording notification %s failed; retrying", pk, exc_info=True)
            with contextlib.suppress(DatabaseError):
                connection.close()  # the next query opens a new connection
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _release(ids: list[int]) -> None:
    """Put claimed rows that were never tried back to pending, due now, with no attempt counted."""
    if ids:
        Notification.objects.filter(pk__in=ids, status=Status.SENDING).update(
            status=Status.PENDING, claimed_at=None
        )


def backoff(attempts: int) -> timedelta:
    """The wait after the attempts-th failed send: base x 2^(attempts-1), capped, with 'equal jitter'
    (between half and all of it) so that rows failed together do not all come back together."""
    base = settings.NOTIFICATION_BACKOFF_BASE.total_seconds()
    ceiling = min(settings.NOTIFICATION_BACKOFF_CAP.total_seconds(), base * 2 ** min(attempts - 1, 30))
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))


def is_permanent(exc: BaseException) -> bool:
    """A 5xx answer (e.g. 550 mailbox unknown) will not change by retrying; anything else might."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _failed(row: Notification, exc: BaseException, now: datetime) -> bool:
    """Record a failed send: back off, or fail the row for good; returns whether it failed for good."""
    retry_until = row.retry_until or now + timedelta(hours=settings.NOTIFICATION_RETRY_HOURS)
    for_good = is_permanent(exc) or now >= retry_until
    attempts = row.attempts + 1
    _record(
        row.pk,
        status=Status.FAILED if for_good else Status.PENDING,
        attempts=attempts,
        retry_until=retry_until,
        next_attempt_at=None if for_good else now + backoff(attempts),
        claimed_at=None,
        last_error=repr(exc)[:2000],
    )
    logger.warning(
        "Sending notification %s failed (attempt %s)%s",
        row.pk,
        attempts,
        ", for good" if for_good else "",
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return for_good


def _email_message(notification: Notification) -> EmailMessage:
    # Outside recipients get no link: they cannot sign in.
    link = f"{settings.SITE_URL}{notification.url}" if notification.url and notification.recipient_id else ""
    body = notification.body + (f"\n\nOpen it in the MASH case management system: {link}" if link else "")
    message = EmailMessage(
        subject=notification.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address or notification.recipient.email],
        # A stable Message-ID lets a receiving server drop a duplicate after a crash mid-send.
        headers={"Message-ID": f"<notification-{notification.pk}@mash.invalid>"},
    )
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return message


class _Mailer:
    """One SMTP connection, opened when first needed and dropped after any error (the conversation
    may be out of step), so the next message starts on a fresh one."""

    def __init__(self):
        self.backend = None

    def send(self, message: EmailMessage) -> None:
        if self.backend is None:
            backend = get_connection(fail_silently=False)
            try:
                backend.open()
            except SoftTimeLimitExceeded:
                raise
            except Exception as exc:
                raise _Stop(exc) from exc
            self.backend = backend
        message.connection = self.backend
        try:
            self.backend.send_messages([message])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:
                # Whatever was accepted before the goodbye failed stays sent.
                logger.warning("Closing the e-mail connection failed", exc_info=True)


def deliver_many(ids: Iterable[int], *, window: float | None = None) -> int:
    """Send the e-mails of ids that are pending and due; returns how many the mail server accepted.

    Safe to call twice, or from two workers at once: rows are claimed with a conditional update and
    only the caller that claimed a row sends it. Each message is marked sent as soon as it is
    accepted. No message is started after `window` seconds (NOTIFICATION_SEND_WINDOW): the rows not
    reached are put back and handed to a new task, so the task ends before its soft time limit.
    """
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    window = settings.NOTIFICATION_SEND_WINDOW if window is None else window
    closes = time.monotonic() + window
    mailer, sent, failed_for_good = _Mailer(), 0, 0
    position, unreachable = 0, None
    try:
        while position < len(ids):
            chunk = ids[position : position + EMAIL_CHUNK]
            position += len(chunk)
            claimed = _claim(chunk, timezone.now())
            if not claimed:
                continue
            rows = list(
                Notification.objects.select_related("recipient").filter(pk__in=claimed).order_by("pk")
            )
            for index, row in enumerate(rows):
                unsent = [r.pk for r in rows[index:]]
                if row.channel != Channel.EMAIL:  # an in-app row written before they were born sent
                    _record(row.pk, status=Status.SENT, sent_at=timezone.now(), claimed_at=None)
                    continue
                if unreachable is not None:  # the server could not be reached for an earlier row
                    failed_for_good += _failed(row, unreachable, timezone.now())
                    continue
                if time.monotonic() >= closes:
                    _release(unsent)
                    remaining = unsent + ids[position:]
                    logger.info("Send window closed: %d notification(s) handed on", len(remaining))
                    enqueue(remaining)
                    return sent
                try:
                    mailer.send(_email_message(row))
                except SoftTimeLimitExceeded:
                    # The limit struck mid-message: whether it left is unknown. Put it and the rest
                    # back (it may be sent twice: the one message in flight), never as a failure.
                    _release(unsent)
                    raise
                except _Stop as stop:
                    # The mail server cannot be reached: this row and every later one counts one
                    # failure (and backs off) without another attempt to connect.
                    unreachable = stop.__cause__
                    failed_for_good += _failed(row, unreachable, timezone.now())
                except Exception as exc:
                    failed_for_good += _failed(row, exc, timezone.now())
                else:
                    now = timezone.now()
                    _record(row.pk, status=Status.SENT, sent_at=now, claimed_at=None, last_error="")
                    email_sent_log_safely(row, now)
                    sent += 1
    finally:
        mailer.close()
        if failed_for_good:
            report_failures()
    return sent


def deliver(pk: int) -> bool:
    """Send one row's e-mail if it is still pending and due."""
    return deliver_many([pk]) == 1


def sweep(*, now: datetime | None = None) -> int:
    """Release claims left by a worker that died, and re-enqueue the e-mails that are due; returns
    how many rows were enqueued."""
    now = now or timezone.now()
    stale = Notification.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - settings.NOTIFICATION_STALE_CLAIM
    )
    # Its worker died mid-send: whether the message left is unknown, so it counts as an attempt.
    stale.update(status=Status.PENDING, claimed_at=None, attempts=F("attempts") + 1, next_attempt_at=now)
    due = Notification.objects.filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - settings.NOTIFICATION_SWEEP_AFTER),
        status=Status.PENDING,
    )
    email_log_catch_up(now=now)
    oldest_first = due.order_by(Coalesce("next_attempt_at", "created_at"), "pk")
    ids = list(oldest_first.values_list("pk", flat=True)[:5000])
    # One task per TASK_ROWS: a backlog after an outage is spread over tasks and workers.
    enqueued = 0
    for start in range(0, len(ids), TASK_ROWS):
        chunk = ids[start : start + TASK_ROWS]
        if not enqueue(chunk):
            break  # the rest stay pending for the next sweep
        enqueued += len(chunk)
    return enqueued


def report_failures() -> None:
    """Tell the lead agency's MASH managers, in-app, that e-mails failed for good: at most once an hour
    each, pointing at the failed list where they can retry them."""
    # Here, not at the top: services.py imports this module to hand e-mails over.
    from mash.notifications.services import notify_managers_of_failures

    try:
        notify_managers_of_failures()
    except DatabaseError:
        logger.warning("Could not tell the managers about failed notifications", exc_info=True)
