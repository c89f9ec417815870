from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mash.common.dates import format_date, format_datetime
from mash.common.grading import HandlingCode, IntelligenceAssessment, SourceEvaluation
from mash.common.models import TimeStampedModel


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DENIED = "denied", "Refused"
    BREAK_GLASS = "break_glass", "Opened by break-glass"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"


class AccessLog(models.Model):
    """One read of a case record (DPA 2018 s.62 'consultation'), or a refused attempt. Append-only.

    On PostgreSQL the table is partitioned by month of ``at`` (migration 0003, mash/sharing/partitions.py)
    and its rows past ``ACCESS_LOG_RETENTION_MONTHS`` are dropped a month at a time. PostgreSQL requires
    a partitioned table's primary key to hold the partition key, so the database's key is (id, at);
    Django's stays ``id``, which one identity sequence still gives every row, so it stays unique.
    A lookup by ``id`` alone reads each month's index (docs/notes.md, 'The access log at 20 million rows').
    """

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
    # Not a basis for sharing with others: the answer to a subject access request (mash/subject_access).
    RIGHT_OF_ACCESS = (
        "ukgdpr_art15_dpa2018_s45",
        "The data subject's right of access: UK GDPR Article 15, DPA 2018 section 45",
    )


# The bases a practitioner may give for sharing outside the MASH (a dissemination request).
SHARING_BASES = [LawfulBasis.POLICE_DPA_PART3, LawfulBasis.PUBLIC_TASK_SAFEGUARDING]
SHARING_BASIS_CHOICES = [(basis.value, basis.label) for basis in SHARING_BASES]


class DisseminationMethod(models.TextChoices):
    EMAIL = "email", "Secure e-mail"
    LETTER = "letter", "Letter"
    PRINT = "print", "Printed summary"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    EXPORT = "export", "Export"


class DisseminationKind(models.TextChoices):
    APPROVED = "approved", "Approved by a person"
    # An e-mail the system sent outside the MASH (the referrer's feedback): its sending rule is the
    # approval, so there is no approver and maybe no person who sent it.
    AUTOMATIC = "automatic", "Sent automatically"


class Dissemination(TimeStampedModel):
    """Anything that leaves the MASH: recipient, what, lawful basis, the need it meets, who approved it."""

    kind = models.CharField(
        max_length=12, choices=DisseminationKind.choices, default=DisseminationKind.APPROVED
    )
    disseminated_at = models.DateTimeField()
    disseminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.OneToOneField(
        "sharing.DisseminationRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dissemination",
        help_text="The request whose approved items this sent.",
    )
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The e-mail this automatic entry records: one entry per e-mail, however often sent.",
    )
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
            # Only the system's own e-mails go out without a person who sent and one who approved them.
            models.CheckConstraint(
                condition=Q(kind="automatic")
                | Q(approved_by__isnull=False, disseminated_by__isnull=False, notification__isnull=True),
                name="sharing_dissemination_approved_unless_automatic",
            ),
        ]
        indexes = [
            # The record's dissemination history.
            models.Index(fields=["content_type", "object_id"], name="sharing_dissem_record"),
        ]

    def __str__(self) -> str:
        return (
            f"To {self.recipient_name} ({self.recipient_organisation}) on {format_date(self.disseminated_at)}"
        )


# --- Requests to share outside the MASH ---------------------------------------------------------------
# A practitioner asks to send chosen items of a record (a referral, a strategy discussion, a disclosure
# application) to someone outside the MASH, saying why and under which lawful basis. Each item is a
# snapshot of what was chosen, with its grading and handling conditions copied from it, released or
# withheld by a decision maker or MASH manager of the agency that owns it, never by the person asking
# (docs/design.md). Once every item is decided and one at least released, the document that leaves is
# made from the released snapshots and the log entry written (mash/sharing/dissemination_services.py).


class RequestState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", "Awaiting approval"
    APPROVED = "approved", "Approved and sent"
    WITHHELD = "withheld", "Withheld entirely"
    CANCELLED = "cancelled", "Cancelled"


class ItemDecision(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    RELEASE = "release", "Released"
    WITHHOLD = "withhold", "Withheld"


class DisseminationCounter(models.Model):
    """The last dissemination request number issued in a year (DR-2026-0001)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DisseminationRequest(TimeStampedModel):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    recipient_organisation = models.CharField(max_length=200)
    recipient_role = models.CharField(max_length=200, blank=True)
    recipient_name = models.CharField(max_length=200)
    recipient_contact = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=16, choices=DisseminationMethod.choices)
    need = models.TextField(help_text="The need the sharing meets.")
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    state = models.CharField(
        max_length=12, choices=RequestState.choices, default=RequestState.AWAITING_APPROVAL
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(need=""), name="sharing_request_has_need"),
            models.CheckConstraint(
                condition=~Q(recipient_organisation="") & ~Q(recipient_name=""),
                name="sharing_request_has_recipient",
            ),
        ]
        indexes = [
            # The lists: requests by state, the longest waiting first.
            models.Index(fields=["state", "requested_at"], name="sharing_dreq_state"),
            # A requester's own requests.
            models.Index(fields=["requested_by", "-requested_at"], name="sharing_dreq_requester"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def recipient(self) -> str:
        parts = [self.recipient_name, self.recipient_role, self.recipient_organisation]
        return ", ".join(p for p in parts if p)


class DisseminationItem(TimeStampedModel):
    """One item of a request: a snapshot of what was chosen and its owner agency's decision on it."""

    request = models.ForeignKey(DisseminationRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=100, help_text="The item's key in the record's registered items.")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=100, help_text="What the item is: 'Referral summary', ...")
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(help_text="The item as it was when the request was made.")
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices, blank=True)
    intelligence_assessment = models.CharField(
        max_length=1, choices=IntelligenceAssessment.choices, blank=True
    )
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    decision = models.CharField(max_length=8, choices=ItemDecision.choices, default=ItemDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    conditions_met = models.BooleanField(
        default=False, help_text="Handling code C: the approver confirmed the conditions are met."
    )
    reason = models.TextField(blank=True, help_text="How the conditions are met, or why it is withheld.")

    class Meta:
        ordering = ["request", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="sharing_item_once_per_request"),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_by__isnull=True)
                | (~Q(decision="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="sharing_item_decided_has_approver",
            ),
            # Handling code C: released only with its conditions confirmed met.
            models.CheckConstraint(
                condition=~Q(decision="release", handling_code="C") | Q(conditions_met=True),
                name="sharing_item_code_c_conditions_met",
            ),
            models.CheckConstraint(
                condition=~Q(decision="withhold") | ~Q(reason=""), name="sharing_item_withheld_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(handling_code="C") | ~Q(handling_conditions=""),
                name="sharing_item_code_c_has_conditions",
            ),
        ]
        indexes = [
            # An approver's tray and list: the items waiting for their agency.
            models.Index(
                fields=["owner_agency", "decision"],
                condition=Q(decision="pending"),
                name="sharing_item_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_decision_display().lower()})"

    @property
    def grading(self) -> str:
        """'1/A/C' when graded, else ''."""
        parts = [self.source_evaluation, self.intelligence_assessment, self.handling_code]
        return "/".join(p or "-" for p in parts) if any(parts) else ""

    @property
    def is_code_c(self) -> bool:
        return self.handling_code == HandlingCode.C
