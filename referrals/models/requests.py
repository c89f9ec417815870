"""What the lead agency asks each partner agency about a referral, and the answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.agencies.models import AgencyKind
from mash.clocks.models import ClockBasis
from mash.common.grading import (  # noqa: F401  (re-exported: the grading's home is the core)
    GradedFields,
    HandlingCode,
    IntelligenceAssessment,
    SecurityMarking,
    SourceEvaluation,
)
from mash.common.models import TimeStampedModel
from mash.common.versioning import VersionedModel
from referrals.models.referral import Rag, Referral


class RagTimescale(TimeStampedModel):
    """How long a partner agency has to answer, by the referral's RAG rating (reference data).

    Blue means 'not shared': no request is sent, so Blue has no timescale.
    """

    rag = models.CharField(max_length=8, choices=[c for c in Rag.choices if c[0] != Rag.BLUE], unique=True)
    basis = models.CharField(max_length=24, choices=ClockBasis.choices)
    amount = models.PositiveIntegerField()

    class Meta:
        ordering = ["rag"]

    def __str__(self) -> str:
        return f"{self.get_rag_display()}: {self.amount} {self.get_basis_display().lower()}"


class QuestionTemplate(TimeStampedModel):
    """A typical question for an agency of a kind, to start a request from (reference data)."""

    agency_kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency_kind", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}: {self.text[:60]}"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InformationRequest(VersionedModel, TimeStampedModel):
    """One agency asked about one referral: its questions, its due time, its answer."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="information_requests")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="information_requests"
    )
    questions = models.TextField()
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    clock = models.OneToOneField("clocks.Clock", on_delete=models.PROTECT, related_name="information_request")
    # The clock's due time, copied when the request is sent (a clock's due time never moves) so that the
    # agency inbox is read in due order from one index instead of joining and sorting every open request
    # of the agency. Null in the database only so that code from before the copy can still insert a
    # request into a migrated database (the benchmark serves the old commit beside the new one); the
    # service that sends a request always sets it.
    due_at = models.DateTimeField(null=True, editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    # Claimed by the beat task with a conditional update, so each is sent once however often it runs.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "agency"],
                condition=~Q(status="withdrawn"),
                name="referrals_one_live_request_per_agency",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="referrals_withdrawal_has_reason",
            ),
        ]
        indexes = [
            # The agency inbox: an agency's open requests.
            models.Index(fields=["agency", "status"], name="referrals_request_inbox"),
            # The agency inbox's order: an agency's open requests, what is due first at the top, a page
            # read from the index without sorting the rest (bench/, figure 1).
            models.Index(
                fields=["agency", "due_at", "id"],
                condition=Q(status="open"),
                name="referrals_request_inbox_due",
            ),
            # The reminder and escalation sweep: open requests not yet reminded or escalated.
            models.Index(fields=["status"], condition=Q(status="open"), name="referrals_request_open"),
            # The measures: requests sent, answered and withdrawn in a period, by month (index only).
            models.Index(fields=["sent_at"], include=["id"], name="referrals_measure_sent"),
            models.Index(
                fields=["answered_at"],
                include=["id"],
                condition=Q(answered_at__isnull=False),
                name="referrals_measure_answered",
            ),
            models.Index(
                fields=["withdrawn_at"],
                include=["id"],
                condition=Q(withdrawn_at__isnull=False),
                name="referrals_measure_withdrawn",
            ),
            # The timeliness dashboard leaves withdrawn requests' clocks out of every deadline (a few
            # rows: read from this index alone).
            models.Index(fields=["clock"], condition=Q(status="withdrawn"), name="referrals_withdrawn_clock"),
        ]

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.agency.name}"


class ResponseEntry(GradedFields, TimeStampedModel):
    """One piece of an agency's answer about one subject, or an explicit 'nothing known'.

    Police entries carry the 3x5x2 grading; handling code C carries its conditions.
    """

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    nothing_known = models.BooleanField(default=False)
    is_addendum = models.BooleanField(default=False)
    addendum_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "person", "created_at", "pk"]
        verbose_name_plural = "response entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(nothing_known=True) | ~Q(summary=""), name="referrals_entry_has_summary"
            ),
            models.CheckConstraint(
                condition=~Q(handling_code="C") | ~Q(handling_conditions=""),
                name="referrals_entry_conditions_for_code_c",
            ),
            models.CheckConstraint(
                condition=Q(is_addendum=False) | ~Q(addendum_reason=""), name="referrals_addendum_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["request", "person"], name="referrals_entry_request"),  # collation
            # The quality dashboard's addenda of a period (few rows among the entries).
            models.Index(
                fields=["created_at"],
                include=["request"],
                condition=Q(is_addendum=True),
                name="referrals_measure_addenda",
            ),
        ]

    def __str__(self) -> str:
        return "Nothing known" if self.nothing_known else self.summary


class InformationRequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)


class InformationRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)
