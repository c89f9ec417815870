"""The outbox: notifications are written with the change they announce. An in-app row is delivered
by that commit; e-mails are sent after it (mash/notifications/delivery.py)."""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from mash.agencies.roles import Role
from mash.notifications import delivery
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.policy import require_may_retry

logger = logging.getLogger(__name__)

ALL_CHANNELS = (Channel.IN_APP, Channel.EMAIL)


SIGN_IN_FOR_DETAIL = "There is more to read in the MASH case management system."


def _body_for(channel: str, body: str, detail: str) -> str:
    """The in-app body carries the detail a user typed; an e-mail's only says there is more."""
    detail = detail.strip()
    if not detail:
        return body
    addition = detail if channel == Channel.IN_APP else SIGN_IN_FOR_DETAIL
    return f"{body}\n\n{addition}" if body else addition


def notify(
    *,
    recipients: Iterable,
    event: str,
    idempotency_key: str,
    title: str,
    body: str = "",
    detail: str = "",
    url: str = "",
    subject: models.Model | None = None,
    channels: Iterable[str] = ALL_CHANNELS,
    attachments: list[dict] | None = None,
) -> list[Notification]:
    """Write one row per recipient and channel in the caller's transaction.

    E-mail is not secure: the title and ``body`` are composed by the system and name no person (a
    reference, an agency, a time); what a user typed (a reason, an action, comments), which could,
    is the ``detail``, shown in the in-app inbox only: the e-mail says to sign in to read it.

    An in-app row is written delivered: the commit that records the change puts it in the inbox, so it
    is delivered exactly once and never waits for the broker or the mail server. E-mails are handed to
    Celery after commit (once per transaction). Calling it again with the same idempotency key writes
    nothing new, so a retried service never notifies twice. Returns the rows this call wrote.
    """
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    now = timezone.now()
    rows = [
        Notification(
            recipient=recipient,
            channel=channel,
            event=event,
            idempotency_key=idempotency_key,
            subject_type=subject_type,
            subject_id=str(subject.pk) if subject is not None else "",
            title=title[:200],
            body=_body_for(channel, body, detail),
            url=url,
            attachments=attachments or [],
            status=Status.SENT if channel == Channel.IN_APP else Status.PENDING,
            sent_at=now if channel == Channel.IN_APP else None,
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
                recipient__in=[r.recipient_id for r in rows],
                created_at__gte=now,
            ).order_by("pk")
        )
    delivery.enqueue_after_commit(
        row.pk for row in written if row.channel == Channel.EMAIL and row.status == Status.PENDING
    )
    return written


def notify_once(
    rows: Iterable[models.Model], *, mark: str, now: datetime, notice: Callable[[models.Model], dict]
) -> int:
    """The beat tasks' 'claim once, then notify' (reminders, escalations, overdue notices).

    Each row is claimed in its own transaction by setting its ``mark`` field (e.g. ``reminded_at``) to
    ``now`` with an update conditional on the field still being empty; only the caller whose update
    changed the row then calls ``notify(**notice(row))``, in the same transaction, so beat running the
    task twice, or two workers at once, notify once, and a notice that fails releases the claim.
    ``notice`` may also write what goes with the notice (it runs after the claim). Returns how many
    rows this call claimed.
    """
    claimed = 0
    for row in rows:
        model = type(row)
        with transaction.atomic():
            unclaimed = model._default_manager.filter(pk=row.pk, **{f"{mark}__isnull": True})
            if unclaimed.update(**{mark: now}) != 1:
                continue
            setattr(row, mark, now)
            notify(**notice(row))
            claimed += 1
    return claimed


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
    delivery.enqueue_after_commit([notification.pk])
    return notification


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def retry_failed(*, by, ids: Iterable[int] | None = None) -> int:
    """Send failed e-mails again, now, with a fresh retry period (a manager's 'retry'); returns how
    many were put back. `by` must be a MASH manager of the lead agency or a superuser (RoleRefused)."""
    require_may_retry(by)
    rows = Notification.objects.filter(status=Status.FAILED, channel=Channel.EMAIL)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    with transaction.atomic():
        failed = list(
            rows.select_for_update(of=("self",)).select_related("recipient").defer("body", "attachments")
        )
        retried = [row.pk for row in failed]
        Notification.objects.filter(pk__in=retried).update(
            status=Status.PENDING, next_attempt_at=timezone.now(), retry_until=None, claimed_at=None
        )
        # In the change history, as any other change by a person (the row's body is never copied there).
        for row in failed:
            LogEntry.objects.log_create(
                row,
                action=LogEntry.Action.UPDATE,
                changes={"status": [Status.FAILED, Status.PENDING]},
                actor=by,
            )
        delivery.enqueue_after_commit(retried)
    logger.info("%s put %d failed notification(s) back for sending", by, len(retried))
    return len(retried)


def managers_to_tell():
    """Who is told when e-mails fail for good: the lead agency's active MASH managers."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, membership__agency__is_lead=True, membership__roles__name=Role.MASH_MANAGER
        )
        .distinct()
        .order_by("pk")
    )


def notify_managers_of_failures() -> list[Notification]:
    """Tell the managers in-app that e-mails failed for good: once an hour at most (the message points
    at the live list, which says how many)."""
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    return notify(
        recipients=managers_to_tell(),
        event="notification.failed",
        idempotency_key=f"notification.failed:{hour}",
        title="E-mail notifications could not be delivered",
        body=(
            "One or more e-mails were refused by the mail server or could not be sent after "
            "retrying. Their recipients have not been told by e-mail: review and retry them."
        ),
        url=reverse("notifications:failed"),
        channels=[Channel.IN_APP],
    )
