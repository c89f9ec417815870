"""Clare's Law and Sarah's Law: applications, research packages, decisions and disclosures
(docs/domain.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.common.grading import GradedFields
from mash.common.models import TimeStampedModel
from mash.common.versioning import VersionedModel


class Scheme(models.TextChoices):
    RIGHT_TO_ASK = "dvds_ask", "Clare's Law: Right to Ask"
    RIGHT_TO_KNOW = "dvds_know", "Clare's Law: Right to Know"
    SARAHS_LAW = "csods", "Sarah's Law (Child Sex Offender Disclosure Scheme)"


CLARES_LAW = (Scheme.RIGHT_TO_ASK, Scheme.RIGHT_TO_KNOW)


class Route(models.TextChoices):
    PHONE = "phone", "Phone call (101)"
    IN_PERSON = "in_person", "In person at a police station"
    ONLINE = "online", "Online form"
    PARTNER = "partner", "Through a partner agency"
    POLICE = "police", "Police information (Right to Know)"


class Stage(models.TextChoices):
    INITIAL_CHECKS = "initial_checks", "Initial risk checks"
    VERIFICATION = "verification", "Identity verification and meeting"
    RESEARCH = "research", "Research"
    DECISION = "decision", "Decision"
    DISCLOSURE = "disclosure", "Disclosure to be made"
    CLOSED = "closed", "Closed"


OPEN_STAGES = (Stage.INITIAL_CHECKS, Stage.VERIFICATION, Stage.RESEARCH, Stage.DECISION, Stage.DISCLOSURE)


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosure made"
    NOT_DISCLOSED = "not_disclosed", "No disclosure"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReferenceCounter(models.Model):
    """The last application number issued in a year (DISC-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Application(VersionedModel, TimeStampedModel):
    """One disclosure application (or a Right to Know case the police start), through to closure."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    scheme = models.CharField(max_length=12, choices=Scheme.choices)
    route = models.CharField(max_length=12, choices=Route.choices)
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applicant_relation = models.CharField(
        max_length=200, blank=True, help_text="The applicant's relation to the person at risk or the child."
    )
    applicant_contact = models.CharField(
        max_length=300, blank=True, help_text="How to reach the applicant safely."
    )
    circumstances = models.TextField(
        help_text="Why the application is made: what the applicant is worried about."
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.INITIAL_CHECKS)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    clock = models.OneToOneField(
        "clocks.Clock",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="28 calendar days (Clare's Law) or 45 (Sarah's Law) to the decision.",
    )
    initial_check_clock = models.OneToOneField(
        "clocks.Clock",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Initial risk checks within 24 hours.",
    )
    meeting_clock = models.OneToOneField(
        "clocks.Clock",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Sarah's Law: the interview within 10 days.",
    )
    immediate_risk = models.BooleanField(null=True, blank=True)
    initial_check_notes = models.TextField(blank=True)
    initial_check_at = models.DateTimeField(null=True, blank=True)
    initial_check_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_verified = models.BooleanField(default=False)
    identity_method = models.CharField(max_length=200, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True, help_text="The face-to-face meeting.")
    meeting_notes = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forum_open = models.BooleanField(default=False, help_text="A multi-agency forum is considering it now.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change (optimistic locking).")

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="closed") | ~Q(outcome=""), name="disclosures_closed_has_outcome"
            ),
        ]
        indexes = [
            # The data administrator's queue: open applications by stage.
            models.Index(fields=["stage", "received_at"], name="disclosures_stage"),
        ]

    def __str__(self) -> str:
        return self.reference


class PersonRole(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    SUBJECT = "subject", "Subject (about whom disclosure may be made)"
    AT_RISK = "at_risk", "Person at risk"
    CHILD = "child", "Child involved"


class ApplicationPerson(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disclosure_links")
    role = models.CharField(max_length=12, choices=PersonRole.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person", "role"], name="disclosures_person_once_per_role"
            ),
        ]
        indexes = [models.Index(fields=["person"], name="disclosures_person")]  # a person's history

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.application}"


class SectionKind(models.TextChoices):
    PNC = "pnc", "Police National Computer"
    PND = "pnd", "Police National Database"
    LOCAL_INTELLIGENCE = "local_intelligence", "Local intelligence"
    CUSTODY = "custody", "Custody records"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse incident history"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    HEALTH = "health", "Health"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


# Police systems: their entries carry the 3x5x2 grading.
POLICE_SECTIONS = (
    SectionKind.PNC,
    SectionKind.PND,
    SectionKind.LOCAL_INTELLIGENCE,
    SectionKind.CUSTODY,
    SectionKind.DOMESTIC_ABUSE,
)


class PackageStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"


class ResearchPackage(VersionedModel, TimeStampedModel):
    """One version of the research package. A submitted version is locked; a returned one stays as it
    was and the next version starts from a copy of it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="packages")
    number = models.PositiveSmallIntegerField(help_text="The version: 1, 2, ...")
    status = models.CharField(max_length=12, choices=PackageStatus.choices, default=PackageStatus.DRAFT)
    researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comments = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="The researcher's summary for the decision maker.")
    summary_version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every summary save (its own lock: entries do not touch it)."
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change (optimistic locking).")

    class Meta:
        ordering = ["application", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="disclosures_package_number"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="draft"), name="disclosures_one_draft_package"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_comments=""),
                name="disclosures_return_has_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} research package v{self.number}"


class PackageSection(VersionedModel):
    """One system or agency checked: graded entries, or explicitly 'checked, nothing found'."""

    package = models.ForeignKey(ResearchPackage, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=24, choices=SectionKind.choices)
    nothing_found = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="What was checked, and how.")
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    stale_name = "section"

    class Meta:
        ordering = ["package", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "kind"], name="disclosures_section_once_per_package"),
        ]

    def __str__(self) -> str:
        return f"{self.package}: {self.get_kind_display()}"

    @property
    def is_police(self) -> bool:
        return self.kind in POLICE_SECTIONS


class PackageEntry(VersionedModel, GradedFields, TimeStampedModel):
    """One graded piece of information found in a section."""

    section = models.ForeignKey(PackageSection, on_delete=models.CASCADE, related_name="entries")
    version = models.PositiveIntegerField(default=1)

    stale_name = "entry"

    class Meta:
        ordering = ["section", "created_at", "pk"]
        verbose_name_plural = "package entries"
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="disclosures_entry_has_summary"),
            models.CheckConstraint(
                condition=~Q(handling_code="C") | ~Q(handling_conditions=""),
                name="disclosures_entry_conditions_for_code_c",
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class Decision(TimeStampedModel):
    """The police decision maker's decision, with the multi-agency forum that informed it."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    package = models.ForeignKey(ResearchPackage, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    forum_held_at = models.DateTimeField(null=True, blank=True)
    forum_participants = models.TextField(blank=True, help_text="Who took part in the multi-agency forum.")
    forum_agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    marac_referral = models.BooleanField(default=False, help_text="High risk: referred to MARAC.")
    disclose = models.BooleanField()
    lawful = models.TextField(help_text="Why disclosure is (or is not) lawful.")
    necessary = models.TextField(help_text="Why it is (or is not) necessary.")
    proportionate = models.TextField(help_text="Why it is (or is not) proportionate.")
    wording = models.TextField(blank=True, help_text="What will be disclosed, in the words to be used.")
    recipient_name = models.CharField(
        max_length=200, blank=True, help_text="The person best placed to protect."
    )
    recipient_relation = models.CharField(max_length=200, blank=True)
    no_disclosure_reason = models.TextField(blank=True)
    applicant_told = models.TextField(blank=True, help_text="No disclosure: what the applicant was told.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(disclose=False) | (~Q(wording="") & ~Q(recipient_name="")),
                name="disclosures_disclose_has_wording_and_recipient",
            ),
            models.CheckConstraint(
                condition=Q(disclose=True) | ~Q(no_disclosure_reason=""),
                name="disclosures_no_disclosure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {'disclose' if self.disclose else 'no disclosure'}"


class DisclosureRecord(TimeStampedModel):
    """The disclosure as it was made: in person, to the person best placed to protect."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="disclosure")
    disclosed_at = models.DateTimeField()
    place = models.CharField(max_length=300)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200)
    recipient_relation = models.CharField(max_length=200, blank=True)
    wording_used = models.TextField()
    warning_given = models.BooleanField(help_text="Told they may not share it further.")
    warning_acknowledged = models.BooleanField()
    safety_plan = models.TextField()
    dissemination = models.OneToOneField(
        "sharing.Dissemination", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(warning_given=True, warning_acknowledged=True),
                name="disclosures_confidentiality_warning_given_and_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure on {self.application}"


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ResearchPackageUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ResearchPackage, on_delete=models.CASCADE)


class ResearchPackageGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ResearchPackage, on_delete=models.CASCADE)
