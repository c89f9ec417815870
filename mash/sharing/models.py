from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mash.common.dates import format_date, format_datetime
from mash.common.models import TimeStampedModel


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DENIED = "denied", "Refused"
    BREAK_GLASS = "break_glass", "Opened by break-glass"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"


class AccessLog(models.Model):
    """One read of a case record (DPA 2018 s.62 'consultation'), or a refused attempt. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # "Who has looked at this record?" (the record's access history).
            models.Index(fields=["content_type", "object_id", "-at"], name="sharing_access_record"),
            # "What has this user looked at?" (information governance review).
            models.Index(fields=["user", "-at"], name="sharing_access_user"),
        ]

    def __str__(self) -> str:
        action = self.get_action_display().lower()
        return f"{self.user} {action} {self.object_repr} at {format_datetime(self.at)}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlassAccess(TimeStampedModel):
    """A MASH manager's time-limited access to one record outside their grants, with a reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review_status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="sharing_break_glass_has_reason"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("opened_at")), name="sharing_break_glass_expires_after"
            ),
        ]
        indexes = [
            # policy.can_view: "does this user hold live break-glass on this record?"
            models.Index(fields=["user", "content_type", "object_id", "expires_at"], name="sharing_bg_live"),
            # Information governance's review queue.
            models.Index(fields=["review_status", "-opened_at"], name="sharing_bg_review"),
        ]

    def __str__(self) -> str:
        return f"Break-glass by {self.user} on {self.object_repr}"


class LawfulBasis(models.TextChoices):
    POLICE_DPA_PART3 = (
        "dpa2018_part3_sch8_p4",
        "Police: DPA 2018 Part 3, Schedule 8 paragraph 4 (safeguarding of children and individuals at risk)",
    )
    PUBLIC_TASK_SAFEGUARDING = (
        "ukgdpr_6_1_e_art9_sch1_p18",
        "UK GDPR Article 6(1)(e) public task, with Article 9 and DPA 2018 Schedule 1 paragraph 18 "
        "(safeguarding of children and individuals at risk)",
    )


class DisseminationMethod(models.TextChoices):
    EMAIL = "email", "Secure e-mail"
    LETTER = "letter", "Letter"
    PRINT = "print", "Printed summary"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    EXPORT = "export", "Export"


class Dissemination(TimeStampedModel):
    """Anything that leaves the MASH: recipient, what, lawful basis, the need it meets, who approved it."""

    disseminated_at = models.DateTimeField()
    disseminated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200)
    recipient_organisation = models.CharField(max_length=200)
    recipient_contact = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=16, choices=DisseminationMethod.choices)
    what = models.TextField(help_text="What was shared, precisely enough to tell later.")
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    need = models.TextField(help_text="The need the sharing meets.")
    handling_conditions = models.TextField(
        blank=True,
        help_text="Conditions attached to police intelligence (handling code C) and how they are met.",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="disseminations"
    )

    class Meta:
        ordering = ["-disseminated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(need=""), name="sharing_dissemination_has_need"),
            models.CheckConstraint(condition=~Q(what=""), name="sharing_dissemination_has_what"),
        ]
        indexes = [
            # The record's dissemination history.
            models.Index(fields=["content_type", "object_id"], name="sharing_dissem_record"),
        ]

    def __str__(self) -> str:
        return (
            f"To {self.recipient_name} ({self.recipient_organisation}) on {format_date(self.disseminated_at)}"
        )
