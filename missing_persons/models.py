"""Missing-person episodes, risk grading, returns and return home interviews, repeat-missing flags and
the import of police reports (docs/domain.md: missing persons)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.common.models import TimeStampedModel
from mash.common.versioning import VersionedModel


class Risk(models.TextChoices):
    VERY_LOW = "very_low", "Very low"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER = [Risk.HIGH, Risk.MEDIUM, Risk.LOW, Risk.VERY_LOW]


class ReporterKind(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    CARE_HOME = "care_home", "Care home"
    SCHOOL = "school", "School"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class EpisodeStatus(models.TextChoices):
    MISSING = "missing", "Missing"
    RETURNED = "returned", "Found or returned"
    CLOSED = "closed", "Closed"


class Indicator(models.TextChoices):
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation"
    COUNTY_LINES = "county_lines", "County lines"
    OTHER = "other", "Other exploitation"


class ImportBatch(TimeStampedModel):
    """One CSV file of police missing-person reports, imported all or nothing (itself audited)."""

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows} rows)"


class Episode(VersionedModel, TimeStampedModel):
    """One episode of a person missing, from the report to closure."""

    police_reference = models.CharField(
        max_length=40, blank=True, help_text="The police report reference (the key a re-import updates by)."
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    is_child = models.BooleanField(
        help_text="Under 18 when reported: a return needs a return home interview."
    )
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200, help_text="Who reported them missing.")
    reporter_kind = models.CharField(max_length=12, choices=ReporterKind.choices)
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField(max_length=300)
    circumstances = models.TextField(blank=True)
    risk = models.CharField(max_length=12, choices=Risk.choices)
    status = models.CharField(max_length=12, choices=EpisodeStatus.choices, default=EpisodeStatus.MISSING)
    found_at = models.DateTimeField(null=True, blank=True)
    found_place = models.CharField(max_length=300, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    wellbeing_confirmed = models.BooleanField(default=False)
    wellbeing_note = models.TextField(blank=True)
    indicators = models.JSONField(default=list, blank=True, help_text="Exploitation indicators (codes).")
    places = models.TextField(blank=True, help_text="Places linked to the episode, one per line.")
    associates = models.TextField(blank=True, help_text="Associates linked to the episode, one per line.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_in = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="episodes"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missing_episodes",
        help_text="The referral this episode is attached to.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change (optimistic locking).")

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_reference"],
                condition=~Q(police_reference=""),
                name="missing_persons_one_episode_per_police_reference",
            ),
            models.CheckConstraint(
                condition=Q(status="missing") | Q(found_at__isnull=False),
                name="missing_persons_found_has_time",
            ),
        ]
        indexes = [
            # The dashboard: open episodes by risk.
            models.Index(fields=["status", "risk"], name="missing_persons_open_by_risk"),
            # The repeat trigger: a person's episodes in a window.
            models.Index(fields=["person", "reported_at"], name="missing_persons_person_window"),
            # The episodes list and API: the latest reported first, a page at a time.
            models.Index(fields=["-reported_at", "-id"], name="missing_persons_latest"),
        ]

    def __str__(self) -> str:
        return self.police_reference or f"Missing episode {self.pk}"


class RiskGrading(models.Model):
    """Every grading of an episode's risk, with its rationale (the history a re-grading keeps)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="gradings")
    risk = models.CharField(max_length=12, choices=Risk.choices)
    previous = models.CharField(max_length=12, choices=Risk.choices, blank=True)
    rationale = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="missing_persons_grading_has_rationale")
        ]

    def __str__(self) -> str:
        return f"{self.episode}: {self.get_risk_display()}"


class InterviewStatus(models.TextChoices):
    DUE = "due", "To be offered"
    OFFERED = "offered", "Offered"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"


class ReturnInterview(TimeStampedModel):
    """The return home interview a child is offered within 72 hours of returning."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="interview")
    clock = models.OneToOneField("clocks.Clock", on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.DUE)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    where_they_were = models.TextField(blank=True)
    with_whom = models.TextField(blank=True)
    push_factors = models.TextField(blank=True, help_text="What pushed them to leave.")
    pull_factors = models.TextField(blank=True, help_text="What drew them away.")
    notes = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Return home interview for {self.episode}"


class RepeatTrigger(TimeStampedModel):
    """The repeat-missing trigger (reference data): ``episodes`` or more in ``days`` days."""

    episodes = models.PositiveSmallIntegerField(default=3)
    days = models.PositiveSmallIntegerField(default=30)

    def __str__(self) -> str:
        return f"{self.episodes} or more episodes in {self.days} days"


class FlagStatus(models.TextChoices):
    OPEN = "open", "To act on"
    REFERRED = "referred", "Referral opened"
    DISMISSED = "dismissed", "Dismissed"


class RepeatFlag(TimeStampedModel):
    """A person missing repeatedly: the prompt to open a referral with the episodes attached."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="repeat_missing_flags")
    raised_at = models.DateTimeField()
    episodes = models.ManyToManyField(Episode, related_name="repeat_flags")
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="missing_persons_one_open_flag_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Repeat missing: {self.person}"


class EpisodeUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Episode, on_delete=models.CASCADE)


class EpisodeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Episode, on_delete=models.CASCADE)
