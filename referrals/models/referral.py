from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.common.dates import format_datetime
from mash.common.models import ChoiceLabels, TimeStampedModel
from mash.common.versioning import VersionedModel


class Channel(models.TextChoices):
    PHONE = "phone", "Phone call"
    EMAIL = "email", "E-mail"
    MARF = "marf", "Multi-agency referral form"
    POLICE_NOTIFICATION = "police_notification", "Police notification"
    CONSULTATION = "consultation", "Consultation call"


class ReferralKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"


class State(models.TextChoices):
    RECEIVED = "received", "Received"
    SCREENING = "screening", "Screening"
    INFORMATION_GATHERING = "information_gathering", "Information gathering"
    AWAITING_THRESHOLD_DECISION = "awaiting_threshold_decision", "Awaiting threshold decision"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


OPEN_STATES = (
    State.RECEIVED,
    State.SCREENING,
    State.INFORMATION_GATHERING,
    State.AWAITING_THRESHOLD_DECISION,
    State.STRATEGY_DISCUSSION,
    State.DECIDED,
)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (not shared)"


class Consent(models.TextChoices):
    GIVEN = "given", "Sought and given"
    REFUSED = "refused", "Sought and refused"
    NOT_SOUGHT = "not_sought", "Not sought"
    OVERRIDDEN = "overridden", "Overridden"


class Concern(models.TextChoices):
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation"
    RADICALISATION = "radicalisation", "Radicalisation"
    FGM = "fgm", "Female genital mutilation"
    SELF_NEGLECT = "self_neglect", "Self-neglect"
    FINANCIAL = "financial", "Financial abuse"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    # Children, after the MASH decision (Working Together 2023).
    NO_FURTHER_ACTION = "nfa", "No further action"
    INFORMATION_AND_ADVICE = "information_advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    CHILD_AND_FAMILY_ASSESSMENT = "s17_assessment", "Child and family assessment (section 17, child in need)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (section 47 enquiry)"
    IMMEDIATE_PROTECTION = "immediate_protection", "Immediate protection"
    # Adults (Care Act 2014 section 42).
    SECTION_42_ENQUIRY = "s42_enquiry", "Section 42 enquiry"
    OTHER_ENQUIRY = "other_enquiry", "Other enquiry"


CHILD_OUTCOMES = (
    Outcome.NO_FURTHER_ACTION,
    Outcome.INFORMATION_AND_ADVICE,
    Outcome.EARLY_HELP,
    Outcome.CHILD_AND_FAMILY_ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION,
    Outcome.IMMEDIATE_PROTECTION,
)
ADULT_OUTCOMES = (
    Outcome.SECTION_42_ENQUIRY,
    Outcome.OTHER_ENQUIRY,
    Outcome.INFORMATION_AND_ADVICE,
    Outcome.NO_FURTHER_ACTION,
)


class ReferenceCounter(models.Model):
    """The last referral number issued in a year (MASH-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Referral(VersionedModel, TimeStampedModel):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=ReferralKind.choices, default=ReferralKind.CHILD)
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=24, choices=Channel.choices)
    referrer_name = models.CharField(max_length=200)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True, help_text="Feedback on the outcome is sent here.")
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_relationship = models.CharField(
        max_length=200, blank=True, help_text="The referrer's relationship to the subject."
    )
    concerns = models.JSONField(default=list, help_text="Concern categories (codes).")
    account = models.TextField(
        help_text="The account of the concern, in the referrer's words where possible."
    )
    consent = models.CharField(max_length=16, choices=Consent.choices)
    consent_reason = models.TextField(blank=True)
    consent_decided_by = models.CharField(max_length=200, blank=True)
    adult_wishes = models.TextField(
        blank=True, help_text="The adult's own wishes and desired outcomes (Making Safeguarding Personal)."
    )
    state = models.CharField(max_length=32, choices=State.choices, default=State.RECEIVED)
    rag = models.CharField(max_length=8, choices=Rag.choices, blank=True)
    rag_rationale = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_clock = models.OneToOneField(
        "clocks.Clock", on_delete=models.PROTECT, related_name="referral_decision", editable=False
    )
    # The decision clock's due time, copied when the clock starts (a clock's due time never moves) so
    # that the triage queue is read in due order from one index instead of sorting every open referral.
    decision_due_at = models.DateTimeField(editable=False)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    outcome_rationale = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change (optimistic locking).")

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag="") | ~Q(rag_rationale=""), name="referrals_rag_has_rationale"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | ~Q(outcome_rationale=""), name="referrals_outcome_has_rationale"
            ),
            models.CheckConstraint(
                condition=Q(consent__in=["given", "refused"]) | ~Q(consent_reason=""),
                name="referrals_consent_reason_when_not_sought",
            ),
        ]
        indexes = [
            # The triage queue: open referrals by state, then ordered by due time (via the clock).
            models.Index(fields=["state", "received_at"], name="referrals_state_received"),
            # 'Assigned to me' on the queue.
            models.Index(fields=["assigned_to", "state"], name="referrals_assignee_state"),
            # The triage queue's order: open referrals, what is due first at the top (bench/, figure 1).
            models.Index(
                fields=["decision_due_at", "id"],
                condition=Q(state__in=OPEN_STATES),
                name="referrals_queue_due",
            ),
            # The referrals list and API: newest first, a page at a time.
            models.Index(fields=["-received_at", "-id"], name="referrals_newest"),
            # The measures (docs/measures.md, 'Reporting replica and speed'): a period's contacts by
            # source and month, outcomes by source, closures by month, each read from the index alone.
            models.Index(
                fields=["received_at"],
                include=["id", "channel", "outcome"],
                name="referrals_measure_received",
            ),
            models.Index(
                fields=["outcome_at"],
                include=["id", "channel", "outcome"],
                condition=~Q(outcome=""),
                name="referrals_measure_outcome",
            ),
            models.Index(
                fields=["closed_at"],
                include=["id"],
                condition=Q(closed_at__isnull=False),
                name="referrals_measure_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SubjectRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    SIBLING = "sibling", "Sibling"
    PARENT_CARER = "parent_carer", "Parent or carer"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"


class ReferralSubject(ChoiceLabels, models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referral_links")
    role = models.CharField(max_length=24, choices=SubjectRole.choices, default=SubjectRole.SUBJECT)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "person"], name="referrals_person_once_per_referral"),
        ]
        indexes = [
            # A person's referrals (history; the possible-duplicate check).
            models.Index(fields=["person", "referral"], name="referrals_subject_person"),
            # Repeat referrals (the demand dashboard): a referral's subjects, a subject's referrals.
            models.Index(
                fields=["referral"],
                include=["person"],
                condition=Q(role="subject"),
                name="referrals_measure_subjects",
            ),
            models.Index(
                fields=["person"],
                include=["referral"],
                condition=Q(role="subject"),
                name="referrals_measure_subject_of",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.referral}"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Received"
    TRANSITION = "transition", "State changed"
    RAG = "rag", "RAG rated"
    ASSIGNED = "assigned", "Assigned"
    OUTCOME = "outcome", "Outcome recorded"
    FEEDBACK = "feedback", "Feedback sent to the referrer"
    REOPENED = "reopened", "Reopened"
    THRESHOLD = "threshold", "Threshold decision"
    STRATEGY = "strategy", "Strategy discussion"
    NOTE = "note", "Note"


class TimelineEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_state = models.CharField(max_length=32, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=32, choices=State.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referrals_timeline")]  # the referral page

    def __str__(self) -> str:
        return f"{self.referral}: {self.get_kind_display()} at {format_datetime(self.at)}"


class RagRating(models.Model):
    """Every RAG rating, with its rationale: the history a re-rating keeps."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="rag_history")
    rating = models.CharField(max_length=8, choices=Rag.choices)
    previous = models.CharField(max_length=8, choices=Rag.choices, blank=True)
    rationale = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="referrals_rating_has_rationale")
        ]

    def __str__(self) -> str:
        return f"{self.referral}: {self.rating}"


class ReferralUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)
