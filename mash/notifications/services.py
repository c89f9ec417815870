"""The outbox: notifications are written with the change they announce and delivered after commit."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
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


def _claim(pk: int) -> bool:
    return (
        Notification.objects.filter(pk=pk, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        == 1
    )


def _send_email(notification: Notification) -> None:
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
    message.send(fail_silently=False)


def deliver(pk: int) -> bool:
    """Deliver one row if it is still pending. Safe to call twice, or from two workers at once:
    only the caller whose conditional update claims the row sends it."""
    if not _claim(pk):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        if notification.channel == Channel.EMAIL:
            _send_email(notification)
    except Exception as exc:
        give_up = notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Notification.objects.filter(pk=pk, status=Status.SENDING).update(
            status=Status.FAILED if give_up else Status.PENDING, last_error=repr(exc)[:2000]
        )
        logger.warning(
            "Delivery of notification %s failed (attempt %s)", pk, notification.attempts, exc_info=True
        )
        return False
    Notification.objects.filter(pk=pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now()
    )
    return True


def sweep(*, now: datetime | None = None) -> int:
    """Re-enqueue what is still pending after a grace period, and release stale claims."""
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
    if ids and not enqueue_delivery(ids):
        return 0
    return len(ids)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
