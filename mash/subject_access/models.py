"""Subject access requests (UK GDPR Article 15, DPA 2018 s45): the request, its clock, and the snapshot
of everything held about the person, item by item, with information governance's decision on each.

docs/subject-access.md explains the clock, the exemptions and the trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mash.common.models import TimeStampedModel
from mash.common.versioning import VersionedModel


class Relationship(models.TextChoices):
    SELF = "self", "The person themselves"
    PARENT = "parent", "A parent with parental responsibility"
    REPRESENTATIVE = "representative", "A solicitor or other representative with authority"


class IdentityMethod(models.TextChoices):
    PHOTO_ID_SEEN = "photo_id_seen", "Photographic identity document seen in person"
    DOCUMENTS_CHECKED = "documents_checked", "Copies of identity and address documents checked"
    KNOWN_TO_SERVICE = "known_to_service", "Known to the service (confirmed by their worker)"
    AUTHORITY_CHECKED = (
        "authority_checked",
        "Representative's written authority and the person's identity checked",
    )
    OTHER = "other", "Another way (described in the note)"


class State(models.TextChoices):
    RECEIVED = "received", "Received"
    COMPILED = "compiled", "Compiled: decisions needed"
    DECIDED = "decided", "Ready to send"
    RESPONDED = "responded", "Responded"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (State.RECEIVED, State.COMPILED, State.DECIDED)
CLOSED_STATES = (State.RESPONDED, State.REFUSED, State.WITHDRAWN)


class SubjectAccessCounter(models.Model):
    """The last reference number given in a year (SAR-2026-0001...)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SubjectAccessRequest(VersionedModel, TimeStampedModel):
    stale_name = "subject access request"

    reference = models.CharField(max_length=20, unique=True)
    requester_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    requester_contact = models.TextField(help_text="Where the response goes: address, e-mail or telephone.")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    identity_method = models.CharField(max_length=24, choices=IdentityMethod.choices, blank=True)
    identity_note = models.TextField(blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_verified_at = models.DateTimeField(null=True, blank=True)

    # One calendar month from receipt (docs/subject-access.md); the clock times it.
    due_on = models.DateField()
    clock = models.ForeignKey("clocks.Clock", on_delete=models.PROTECT, related_name="+")
    # Extended once, by up to two further months, with a reason: a new clock, the first one stopped.
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_clock = models.ForeignKey(
        "clocks.Clock", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    compiled_at = models.DateTimeField(null=True, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="sar_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True) | ~Q(extension_reason=""),
                name="sar_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["refused", "withdrawn"]) | ~Q(closed_reason=""),
                name="sar_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["received", "refused", "withdrawn"])
                | Q(identity_verified_at__isnull=False),
                name="sar_compiled_after_identity",
            ),
        ]
        indexes = [
            # The list and the work tray: open requests by due date.
            models.Index(fields=["state", "due_on"], name="sar_state_due"),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.reference}"

    @property
    def final_due_on(self):
        return self.extended_due_on or self.due_on

    @property
    def current_clock(self):
        return self.extension_clock or self.clock

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Source(models.TextChoices):
    EVENT = "event", "Event"
    RECORD = "record", "Record"
    ACCESS = "access", "Who has looked"


class Decision(models.TextChoices):
    PENDING = "pending", "Needs a decision"
    RELEASE = "release", "Release"
    REDACT = "redact", "Release redacted"
    WITHHOLD = "withhold", "Withhold"


class Exemption(models.TextChoices):
    """The provisions a redaction or a withholding relies on (docs/subject-access.md cites them)."""

    THIRD_PARTY = "third_party", "Third party personal data (DPA 2018 Schedule 2 Part 3 paragraph 16)"
    CRIME = (
        "crime",
        "Crime and taxation: the prevention or detection of crime (DPA 2018 Schedule 2 Part 1 paragraph 2)",
    )
    LAW_ENFORCEMENT = (
        "law_enforcement",
        "Law enforcement processing: avoid prejudicing the prevention, detection, investigation or "
        "prosecution of criminal offences (DPA 2018 section 45(4)(b))",
    )
    RIGHTS_OF_OTHERS = (
        "rights_of_others",
        "Law enforcement processing: protect the rights and freedoms of others (DPA 2018 section 45(4)(e))",
    )
    SOCIAL_WORK_HARM = (
        "social_work_harm",
        "Social work data: serious harm (DPA 2018 Schedule 3 Part 3 paragraph 10)",
    )
    HEALTH_HARM = "health_harm", "Health data: serious harm (DPA 2018 Schedule 3 Part 2 paragraph 5)"
    CHILD_ABUSE = (
        "child_abuse",
        "Child abuse data: not in the child's best interests, asked by a parent (DPA 2018 Schedule 3 Part 5 "
        "paragraph 21)",
    )
    LEGAL_PRIVILEGE = (
        "legal_privilege",
        "Legal professional privilege (DPA 2018 Schedule 2 Part 4 paragraph 19)",
    )


class SubjectAccessItem(models.Model):
    """One thing held about the person, as it stood when the request was compiled, and its decision."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=Source.choices)
    at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why releasing it needs a decision first ("police intelligence", "handling code C", ...).
    release_flags = models.JSONField(default=list, blank=True)

    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    exemption = models.CharField(max_length=24, choices=Exemption.choices, blank=True)
    reason = models.TextField(blank=True)
    # Redacted: the text as released (with the redacted parts taken out); empty: redacted whole.
    redacted_text = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="sar_item_position"),
            models.CheckConstraint(
                condition=Q(decision__in=["pending", "release"]) | (~Q(exemption="") & ~Q(reason="")),
                name="sar_item_exemption_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def flagged(self) -> bool:
        return bool(self.release_flags)
