from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mash.common.models import TimeStampedModel


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app inbox"
    EMAIL = "email", "E-mail"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed"


class Notification(TimeStampedModel):
    """One message to one person on one channel: the outbox row and, once delivered, the inbox item.

    Rows are written in the transaction of the change they announce. An in-app row is delivered by
    that transaction's commit (it is written 'sent'); an e-mail is sent by Celery after commit, marked
    sent the moment the mail server accepts it, retried with backoff for NOTIFICATION_RETRY_HOURS and
    then marked failed for a manager to retry (README, 'Notifications').
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="A user of the system; empty for an e-mail to someone outside the MASH (a referrer).",
    )
    address = models.EmailField(blank=True, help_text="The outside recipient's e-mail address.")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    event = models.CharField(max_length=64, help_text="What happened, e.g. 'information_request.sent'.")
    idempotency_key = models.CharField(
        max_length=200, help_text="The same key, recipient and channel is never written (or sent) twice."
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Path of the page the message is about.")
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="E-mail attachments as [{filename, content, mimetype}] (text content only).",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed sends so far.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep may send a pending e-mail (again) at the earliest."
    )
    retry_until = models.DateTimeField(
        null=True, blank=True, help_text="After the first failed send: the row is failed when this passes."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "recipient", "channel"],
                condition=Q(recipient__isnull=False),
                name="notifications_once_per_key",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key", "address"],
                condition=Q(recipient__isnull=True),
                name="notifications_once_per_key_and_address",
            ),
            # Someone outside the MASH has no inbox: only e-mail, and only with an address.
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | (Q(channel="email") & ~Q(address="")),
                name="notifications_outside_recipient_by_email",
            ),
        ]
        indexes = [
            # The inbox and the header's unread count: a recipient's delivered in-app messages.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="in_app", status="sent"),
                name="notifications_inbox",
            ),
            # The sweep: rows pending (by when they are due) or stuck sending (by claim).
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notifications_undelivered",
            ),
            # The failed list for managers, newest first.
            models.Index(fields=["-updated_at"], condition=Q(status="failed"), name="notifications_failed"),
        ]

    def __str__(self) -> str:
        return f"{self.title} to {self.recipient or self.address} ({self.get_channel_display()})"
