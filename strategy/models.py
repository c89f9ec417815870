"""Strategy Threshold Decisions, strategy discussions and what they record (docs/design.md, step 5 of the
referral flow)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.clocks.models import ClockBasis
from mash.common.dates import format_datetime
from mash.common.models import TimeStampedModel
from mash.common.versioning import VersionedModel
from referrals.models import Rag


class StrategyTimescale(TimeStampedModel):
    """How soon a strategy discussion must be held after the threshold decision, by the referral's
    RAG rating (reference data; docs/domain.md: the same working day for Red, one working day otherwise)."""

    rag = models.CharField(max_length=8, choices=Rag.choices, unique=True)
    basis = models.CharField(max_length=24, choices=ClockBasis.choices)
    amount = models.PositiveIntegerField(
        help_text="With 'end of the working day', 0 is the same working day and 1 the next."
    )

    class Meta:
        ordering = ["rag"]

    def __str__(self) -> str:
        return f"{self.get_rag_display()}: {self.amount} ({self.get_basis_display().lower()})"


class ThresholdDecision(TimeStampedModel):
    """Is a strategy discussion required? Decided by a lead-agency decision maker on a collated referral."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="threshold_decisions"
    )
    required = models.BooleanField(help_text="Whether a strategy discussion is required.")
    rationale = models.TextField()
    information_relied_on = models.TextField(
        blank=True, help_text="The information the decision relied on, beyond the answers chosen."
    )
    answers_relied_on = models.ManyToManyField(
        "referrals.InformationRequest", blank=True, related_name="+", help_text="Partner answers relied on."
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    strategy_clock = models.OneToOneField(
        "clocks.Clock",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_threshold",
        editable=False,
        help_text="When required: the strategy discussion is due by this clock.",
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="strategy_threshold_has_rationale"),
            models.CheckConstraint(
                condition=Q(required=False) | Q(strategy_clock__isnull=False),
                name="strategy_threshold_required_has_clock",
            ),
        ]
        indexes = [
            # The threshold decisions list (API): the latest first, a page at a time.
            models.Index(fields=["-decided_at", "-id"], name="strategy_threshold_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.referral}: {'strategy discussion required' if self.required else 'not required'}"


REASON_MAX_LENGTH = 2000


class AnswerRating(TimeStampedModel):
    """A decision maker's rating of one partner answer a threshold decision relied on: was it sufficient
    to decide on, and why not (optional; docs/measures.md, 'Quality of information shared'). The reason is
    read by the lead agency's case workers and by the rated agency's MASH managers (strategy/policy.py)."""

    threshold_decision = models.ForeignKey(
        ThresholdDecision, on_delete=models.PROTECT, related_name="ratings"
    )
    request = models.ForeignKey(
        "referrals.InformationRequest", on_delete=models.PROTECT, related_name="ratings"
    )
    sufficient = models.BooleanField(help_text="Whether the answer was sufficient to decide on.")
    reason = models.TextField(blank=True, help_text="Why the answer was not sufficient (only then).")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["rated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["threshold_decision", "request"], name="strategy_rating_once"),
            models.CheckConstraint(
                condition=Q(sufficient=True) | ~Q(reason=""),
                name="strategy_rating_reason_when_not_sufficient",
            ),
        ]
        indexes = [models.Index(fields=["rated_at"], name="strategy_rating_rated_at")]

    def __str__(self) -> str:
        return f"{self.request.agency}'s answer: {'sufficient' if self.sufficient else 'not sufficient'}"


class Mode(models.TextChoices):
    MEETING = "meeting", "Meeting in person"
    CALL = "call", "Telephone call"
    VIDEO = "video", "Video call"


class DiscussionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SIGNED_OFF = "signed_off", "Signed off"
    CANCELLED = "cancelled", "Cancelled"


class StrategyDiscussion(VersionedModel, TimeStampedModel):
    """One strategy discussion (a meeting or call) about a referral, and its record."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    threshold_decision = models.ForeignKey(
        ThresholdDecision, on_delete=models.PROTECT, related_name="discussions"
    )
    status = models.CharField(
        max_length=12, choices=DiscussionStatus.choices, default=DiscussionStatus.SCHEDULED
    )
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    location = models.CharField(
        max_length=300, blank=True, help_text="The room, the dial-in number or the video link."
    )
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    considered = models.ManyToManyField(
        "referrals.InformationRequest",
        blank=True,
        related_name="strategy_discussions",
        help_text="The partner answers the discussion considers.",
    )
    notes = models.TextField(blank=True, help_text="The discussion notes.")
    rationale = models.TextField(blank=True, help_text="The rationale for the decisions.")
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField()
    sequence = models.PositiveIntegerField(
        default=0, help_text="Bumped by every re-scheduling (the iCalendar SEQUENCE)."
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change (optimistic locking).")

    stale_name = "discussion"

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        constraints = [
            # One open discussion per referral at a time.
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="scheduled"),
                name="strategy_one_open_discussion_per_referral",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off") | ~Q(rationale=""), name="strategy_signed_off_has_rationale"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="strategy_cancelled_has_reason",
            ),
        ]
        indexes = [
            # The strategy queue's discussions scheduled, the soonest first (and a status's discussions).
            models.Index(fields=["status", "scheduled_at"], name="strategy_discussion_status"),
            # The discussions list and API: the latest first, a page at a time.
            models.Index(fields=["-scheduled_at", "-id"], name="strategy_discussion_latest"),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk} on {self.referral}"

    @property
    def is_open(self) -> bool:
        return self.status == DiscussionStatus.SCHEDULED


class Attendance(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Invitation(models.Model):
    """An agency, or a named person of an agency, invited to a discussion; and whether they came."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.CharField(max_length=12, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "agency", "user"], name="strategy_invited_once_per_discussion"
            ),
            models.UniqueConstraint(
                fields=["discussion", "agency"],
                condition=Q(user__isnull=True),
                name="strategy_agency_invited_once_per_discussion",
            ),
        ]

    def __str__(self) -> str:
        who = self.user.get_full_name() or self.user.get_username() if self.user_id else "the agency"
        return f"{who} ({self.agency})"


class Decision(models.TextChoices):
    S47_SINGLE = "s47_single", "Section 47 enquiry (single agency)"
    S47_JOINT = "s47_joint", "Section 47 enquiry (joint with police)"
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    CHILD_AND_FAMILY_ASSESSMENT = "s17_assessment", "Child and family assessment"
    EARLY_HELP = "early_help", "Early help"
    SECTION_42_ENQUIRY = "s42_enquiry", "Section 42 enquiry"
    OTHER_ENQUIRY = "other_enquiry", "Other enquiry"
    INFORMATION_AND_ADVICE = "information_advice", "Information and advice"
    NO_FURTHER_ACTION = "nfa", "No further action"


CHILD_DECISIONS = (
    Decision.S47_SINGLE,
    Decision.S47_JOINT,
    Decision.POLICE_INVESTIGATION,
    Decision.CHILD_AND_FAMILY_ASSESSMENT,
    Decision.EARLY_HELP,
    Decision.NO_FURTHER_ACTION,
)
ADULT_DECISIONS = (
    Decision.SECTION_42_ENQUIRY,
    Decision.OTHER_ENQUIRY,
    Decision.POLICE_INVESTIGATION,
    Decision.INFORMATION_AND_ADVICE,
    Decision.NO_FURTHER_ACTION,
)
SECTION_47 = (Decision.S47_SINGLE, Decision.S47_JOINT)


class Section47Finding(models.TextChoices):
    NOT_SUBSTANTIATED = "not_substantiated", "Not substantiated"
    NO_CONTINUING_RISK = "no_continuing_risk", "Substantiated, no continuing risk"
    CONTINUING_RISK = "continuing_risk", "Substantiated, with continuing risk"


class SubjectDecision(TimeStampedModel):
    """The discussion's decision for one subject of the referral."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="decisions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=24, choices=Decision.choices)
    rationale = models.TextField(blank=True)
    finding = models.CharField(
        max_length=24, choices=Section47Finding.choices, blank=True, help_text="The section 47 finding."
    )
    finding_at = models.DateTimeField(null=True, blank=True)
    finding_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conference_clock = models.OneToOneField(
        "clocks.Clock",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Initial child protection conference, when the enquiry finds continuing risk.",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "person"], name="strategy_one_decision_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(finding="") | Q(decision__in=["s47_single", "s47_joint"]),
                name="strategy_finding_only_for_section_47",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_decision_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(TimeStampedModel):
    """Something the discussion asked an agency (and a person in it) to do by a date."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_note = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_at__isnull=False), name="strategy_done_has_time"
            ),
        ]
        indexes = [
            # 'My actions' and the reminder sweep: open actions by owner and due date.
            models.Index(fields=["owner", "status", "due_on"], name="strategy_action_owner"),
            models.Index(fields=["owner_agency", "status", "due_on"], name="strategy_action_agency"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Addendum(models.Model):
    """A change to a signed-off record: the record itself stays as it was signed."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "addenda"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="strategy_addendum_has_text")]

    def __str__(self) -> str:
        return f"Addendum to {self.discussion} at {format_datetime(self.at)}"


class StrategyDiscussionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE)


class StrategyDiscussionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE)


class ThresholdDecisionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ThresholdDecision, on_delete=models.CASCADE)


class ThresholdDecisionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ThresholdDecision, on_delete=models.CASCADE)
