"""The reads of retention: the review queue (records past their period, by kind, oldest first), the
records on hold, the rules and the holds (docs/retention.md)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Subquery, Value
from django.db.models.functions import Coalesce

from mash.retention.models import Decision, Erasure, LegalHold, RetentionDecision, RetentionRule
from mash.retention.registry import RetentionKind, kinds
from mash.retention.registry import kind as registry_kind


@dataclass(frozen=True)
class Row:
    """One record past its period, described without personal data."""

    kind: RetentionKind
    content_type_id: int
    pk: int
    description: str
    counted_on: date | None
    due_on: date | None


@dataclass(frozen=True)
class KindSummary:
    kind: RetentionKind
    rule: RetentionRule | None
    due: int
    held: int


def rules_by_kind() -> dict[str, RetentionRule]:
    return {rule.kind: rule for rule in RetentionRule.objects.all()}


def _past_period(kind: RetentionKind, rule: RetentionRule | None, today: date) -> models.QuerySet:
    if rule is None:
        return kind.model._default_manager.none()
    ct = ContentType.objects.get_for_model(kind.model)
    erased = Erasure.objects.filter(content_type=ct).values("object_id")
    return kind.due(rule.period_months, today).exclude(pk__in=erased)


def _held(kind: RetentionKind):
    ct = ContentType.objects.get_for_model(kind.model)
    return LegalHold.objects.filter(content_type=ct, lifted_at__isnull=True).values("object_id")


def due_for_review(kind: RetentionKind, rule: RetentionRule | None, today: date) -> models.QuerySet:
    """Past the period, not erased, not kept until a future review date, not on hold: oldest first."""
    ct = ContentType.objects.get_for_model(kind.model)
    kept = RetentionDecision.objects.filter(
        content_type=ct, decision=Decision.KEEP, next_review_on__gt=today
    ).values("object_id")
    return (
        _past_period(kind, rule, today)
        .exclude(pk__in=kept)
        .exclude(pk__in=_held(kind))
        .order_by(kind.date_field, "pk")
    )


def on_hold(kind: RetentionKind, rule: RetentionRule | None, today: date) -> models.QuerySet:
    """Past the period but under a live legal hold: shown apart, never erased."""
    return _past_period(kind, rule, today).filter(pk__in=_held(kind)).order_by(kind.date_field, "pk")


def rows(kind: RetentionKind, rule: RetentionRule | None, records, user) -> list[Row]:
    """The records as rows, each named as the sharing policy lets ``user`` see it."""
    out = []
    content_type_id = ContentType.objects.get_for_model(kind.model).pk
    for record in records:
        counted = kind.counted_date(record)
        due = counted + relativedelta(months=rule.period_months) if counted and rule else None
        out.append(Row(kind, content_type_id, record.pk, kind.title(record, user), counted, due))
    return out


def queue_summary(today: date) -> list[KindSummary]:
    rules = rules_by_kind()
    return [
        KindSummary(
            kind=k,
            rule=rules.get(k.key),
            due=due_for_review(k, rules.get(k.key), today).count(),
            held=on_hold(k, rules.get(k.key), today).count(),
        )
        for k in kinds()
    ]


def due_counts(today: date) -> list[tuple[RetentionKind, int]]:
    """How many records of each kind are due for a review, in two queries whatever the kinds (the
    periods, then every count as a subquery of one select): the work tray's numbers."""
    rules = rules_by_kind()
    counted = [k for k in kinds() if k.key in rules]
    if not counted:
        return []
    counts = {
        f"n{i}": Coalesce(
            Subquery(
                due_for_review(k, rules[k.key], today)
                .order_by()
                .annotate(group=Value(1))
                .values("group")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
        for i, k in enumerate(counted)
    }
    row = RetentionRule.objects.annotate(**counts).values(*counts)[:1].get()
    return [(k, row[f"n{i}"]) for i, k in enumerate(counted)]


def record_history(record) -> dict:
    """The decisions, holds and erasure of one record, newest first."""
    ct = ContentType.objects.get_for_model(record)
    return {
        "decisions": list(
            RetentionDecision.objects.filter(content_type=ct, object_id=record.pk).select_related(
                "decided_by"
            )
        ),
        "holds": list(
            LegalHold.objects.filter(content_type=ct, object_id=record.pk).select_related(
                "placed_by", "lifted_by"
            )
        ),
        "erasure": Erasure.objects.filter(content_type=ct, object_id=record.pk).first(),
        "live_hold": LegalHold.objects.filter(content_type=ct, object_id=record.pk, lifted_at__isnull=True)
        .select_related("placed_by")
        .first(),
    }


def live_holds() -> models.QuerySet:
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related("placed_by", "content_type")


def describe_holds(holds, user) -> None:
    """Set each hold's ``description`` (its record's reference and state), a query per kind."""
    by_kind: dict[str, list[LegalHold]] = {}
    for hold in holds:
        by_kind.setdefault(hold.kind, []).append(hold)
    for key, group in by_kind.items():
        k = registry_kind(key)
        records = k.model._default_manager.in_bulk([h.object_id for h in group]) if k else {}
        for hold in group:
            record = records.get(hold.object_id)
            hold.description = (
                k.title(record, user) if record else f"{hold.content_type.name} {hold.object_id}"
            )
