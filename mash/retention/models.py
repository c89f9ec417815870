"""Retention: the periods (reference data), the decisions taken on records past their period, legal
holds, and the record of each erasure (docs/retention.md)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mash.common.dates import format_date
from mash.common.models import TimeStampedModel


class RetentionRule(TimeStampedModel):
    """How long records of one kind are kept (reference data, set by each MASH)."""

    kind = models.CharField(max_length=64, unique=True, help_text="The kind of record (its registry key).")
    period_months = models.PositiveSmallIntegerField(help_text="The retention period, in months.")
    counted_from = models.CharField(max_length=200, help_text="The date the period counts from.")
    note = models.TextField(blank=True, help_text="Why this period: the policy or guidance it follows.")
    local_policy = models.BooleanField(
        default=True, help_text="A placeholder the MASH must set under its own retention policy."
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=Q(period_months__gte=1), name="retention_period_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.period_months} months"


class Decision(models.TextChoices):
    KEEP = "keep", "Keep"
    ERASE = "erase", "Erase"


class RetentionDecision(models.Model):
    """Information governance's decision on one record past its period: keep it until a review date,
    or erase it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=64)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reason = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="retention_decision_has_reason"),
            models.CheckConstraint(
                condition=~Q(decision="keep") | Q(next_review_on__isnull=False),
                name="retention_keep_has_review_date",
            ),
        ]
        indexes = [
            # The queue: records kept until a review date in the future.
            models.Index(fields=["content_type", "decision", "next_review_on"], name="retention_kept"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.content_type.model} {self.object_id}"


class LegalHold(models.Model):
    """A record that must not be erased (litigation, an inquiry, a complaint) until the hold is lifted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=64)
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="retention_hold_has_reason"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(lifted_at__isnull=True),
                name="retention_one_live_hold_per_record",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""), name="retention_lift_has_reason"
            ),
        ]
        indexes = [
            # 'Is this record on hold?' and the queue's 'on hold' list: live holds by record.
            models.Index(
                fields=["content_type", "object_id"],
                condition=Q(lifted_at__isnull=True),
                name="retention_live_holds",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.content_type.model} {self.object_id} from {format_date(self.placed_at)}"

    @property
    def is_live(self) -> bool:
        return self.lifted_at is None


class Erasure(models.Model):
    """One record erased: what, when, by whom, why and how many rows. It holds no personal data; its
    creation is the DPA 2018 s62 'erasure' entry of the audit trail (mash/sharing/governance.py)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=64)
    description = models.CharField(max_length=200, help_text="The record's reference and state.")
    reason = models.TextField(help_text="The reason given for the decision to erase.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    counts = models.JSONField(default=dict, help_text="Rows anonymised, by model.")

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="retention_erased_once"),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.description}"
