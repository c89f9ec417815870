"""The outbox: notifications are written with the change they announce and delivered after commit."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import connection, models, transaction
from django.utils import timezone

from mash.notifications.models import Channel, Notification, Status

logger = logging.getLogger(__name__)

ALL_CHANNELS = (Channel.IN_APP, Channel.EMAIL)


def notify(
    *,
    recipients: Iterable,
    event: str,
    idempotency_key: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: models.Model | None = None,
    channels: Iterable[str] = ALL_CHANNELS,
    attachments: list[dict] | None = None,
) -> list[Notification]:
    """Write one row per recipient and channel in the caller's transaction; deliver after commit.

    Calling it again with the same idempotency key writes nothing new, so a retried service
    never notifies twice. Returns the rows this call wrote.
    """
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    rows = [
        Notification(
            recipient=recipient,
            channel=channel,
            event=event,
            idempotency_key=idempotency_key,
            subject_type=subject_type,
            subject_id=str(subject.pk) if subject is not None else "",
            title=title[:200],
            body=body,
            url=url,
            attachments=attachments or [],
        )
        for recipient in recipients
        for channel in channels
        if channel != Channel.EMAIL or recipient.email
    ]
    if not rows:
        return []
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(
                idempotency_key=idempotency_key, recipient__in=[r.recipient_id for r in rows]
            ).values_list("recipient_id", "channel")
        )
        rows = [r for r in rows if (r.recipient_id, r.channel) not in existing]
        # ignore_conflicts covers a concurrent writer of the same key; we re-read to get the ids.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        written = list(
            Notification.objects.filter(
                idempotency_key=idempotency_key,
                status=Status.PENDING,
                recipient__in=[r.recipient_id for r in rows],
            ).values_list("pk", flat=True)
        )
    if written:
        transaction.on_commit(lambda: enqueue_delivery(written), robust=True)
    return list(Notification.objects.filter(pk__in=written))


def notify_address(
    *,
    address: str,
    event: str,
    idempotency_key: str,
    title: str,
    body: str,
    subject: models.Model | None = None,
) -> Notification | None:
    """E-mail someone outside the MASH (a referrer) through the same outbox; once per key and address."""
    notification = Notification(
        recipient=None,
        address=address.strip(),
        channel=Channel.EMAIL,
        event=event,
        idempotency_key=idempotency_key,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        title=title[:200],
        body=body,
    )
    notification.full_clean(validate_constraints=False)
    with transaction.atomic():
        if Notification.objects.filter(
            idempotency_key=idempotency_key, address=notification.address, recipient__isnull=True
        ).exists():
            return None
        notification.save()
    transaction.on_commit(lambda: enqueue_delivery([notification.pk]), robust=True)
    return notification


def enqueue_delivery(ids: list[int]) -> bool:
    """Hand rows to Celery. A broker outage is logged, not raised: the rows stay pending and the
    sweep re-sends them."""
    from mash.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.delay(list(ids))
    except Exception:
        logger.warning(
            "Could not enqueue %d notification(s); the sweep will re-send them.", len(ids), exc_info=True
        )
        return False
    return True


# Rows claimed and sent together: one claim, one fetch and one "sent" update per chunk. A chunk is
# also what a crash between sending and marking sent could send twice (after the stale-claim release),
# so it stays small; the stable Message-ID lets a mail server drop such a duplicate.
DELIVERY_CHUNK = 100


def _claim(ids: list[int]) -> list[int]:
    """Claim the rows of ids that are still pending with one conditional UPDATE ... RETURNING.

    Only the rows this statement moved from pending to sending are returned, and only those may be
    sent: a retry, the sweep or another worker claiming the same rows gets none of them. On PostgreSQL
    the rows are locked in id order and rows another claim holds are skipped (no waiting, no deadlock).
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    pk, status, claimed_at, attempts = (
        connection.ops.quote_name(Notification._meta.get_field(name).column)
        for name in ("id", "status", "claimed_at", "attempts")
    )
    in_ids = ", ".join(["%s"] * len(ids))
    # Only quoted identifiers from the model are formatted in; every value is a parameter.
    if connection.features.has_select_for_update_skip_locked:
        pending = f"SELECT {pk} FROM {table} WHERE {pk} IN ({in_ids}) AND {status} = %s"  # noqa: S608
        where = f"{pk} IN ({pending} ORDER BY {pk} FOR UPDATE SKIP LOCKED)"
    else:  # SQLite: one writer at a time, so the conditional update alone is enough.
        where = f"{pk} IN ({in_ids}) AND {status} = %s"
    sets = f"{status} = %s, {claimed_at} = %s, {attempts} = {attempts} + 1"
    sql = f"UPDATE {table} SET {sets} WHERE {where} AND {status} = %s RETURNING {pk}"  # noqa: S608
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [Status.SENDING, now, *ids, Status.PENDING, Status.PENDING]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _email_message(notification: Notification, mail_connection) -> EmailMessage:
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
        connection=mail_connection,
    )
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return message


def _send_emails(rows: list[Notification]) -> tuple[list[int], list[tuple[Notification, Exception]]]:
    """Send each row's e-mail over one opened backend connection; each message succeeds or fails on
    its own. Returns the ids sent and the rows that failed, with their errors."""
    sent, failed = [], []
    mail_connection = get_connection(fail_silently=False)
    try:
        mail_connection.open()
    except Exception as exc:
        return [], [(row, exc) for row in rows]
    try:
        for row in rows:
            try:
                mail_connection.send_messages([_email_message(row, mail_connection)])
            except Exception as exc:
                failed.append((row, exc))
            else:
                sent.append(row.pk)
    finally:
        try:
            mail_connection.close()
        except Exception:
            # The messages were accepted before the goodbye failed: they stay sent.
            logger.warning("Closing the e-mail connection failed", exc_info=True)
    return sent, failed


def _deliver_chunk(ids: list[int]) -> int:
    claimed = _claim(ids)
    if not claimed:
        return 0
    rows = list(Notification.objects.select_related("recipient").filter(pk__in=claimed).order_by("pk"))
    sent = [row.pk for row in rows if row.channel != Channel.EMAIL]  # the inbox needs no sending
    emailed, failed = _send_emails([row for row in rows if row.channel == Channel.EMAIL])
    sent += emailed
    if sent:
        Notification.objects.filter(pk__in=sent, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now()
        )
    for row, exc in failed:
        give_up = row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.FAILED if give_up else Status.PENDING, last_error=repr(exc)[:2000]
        )
        logger.warning(
            "Delivery of notification %s failed (attempt %s)",
            row.pk,
            row.attempts,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    return len(sent)


def deliver_many(ids: Iterable[int]) -> int:
    """Deliver the rows of ids that are still pending; returns how many were delivered.

    Safe to call twice, or from two workers at once: rows are claimed with a conditional update and
    only the caller that claimed a row sends it. In-app rows are delivered by marking them sent;
    e-mails go over one backend connection per chunk. A failed e-mail goes back to pending (or to
    failed after the last attempt) with its error, and the sweep re-sends it; the others stay sent.
    """
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    return sum(_deliver_chunk(ids[i : i + DELIVERY_CHUNK]) for i in range(0, len(ids), DELIVERY_CHUNK))


def deliver(pk: int) -> bool:
    """Deliver one row if it is still pending. Safe to call twice, or from two workers at once:
    only the caller whose conditional update claims the row sends it."""
    return deliver_many([pk]) == 1


def sweep(*, now: datetime | None = None) -> int:
    """Re-enqueue what is still pending after a grace period, and release stale claims; returns how
    many rows were enqueued."""
    now = now or timezone.now()
    Notification.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - settings.NOTIFICATION_STALE_CLAIM
    ).update(status=Status.PENDING)
    ids = list(
        Notification.objects.filter(
            status=Status.PENDING, created_at__lte=now - settings.NOTIFICATION_SWEEP_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    # One task per chunk, as a send enqueues: a backlog after an outage is spread over tasks that
    # each finish well within the task time limit, and over the workers.
    enqueued = 0
    for start in range(0, len(ids), DELIVERY_CHUNK):
        chunk = ids[start : start + DELIVERY_CHUNK]
        if not enqueue_delivery(chunk):
            break  # the rest stay pending for the next sweep
        enqueued += len(chunk)
    return enqueued


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
