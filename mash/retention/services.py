"""The writes of retention: decisions, legal holds and erasure (docs/retention.md)."""

from auditlog.context import disable_auditlog
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.common.dates import format_date
from mash.common.errors import RoleRefused
from mash.retention import copies
from mash.retention.models import Decision, Erasure, LegalHold, RetentionDecision, RetentionRule
from mash.retention.registry import RetentionKind, parts_of
from mash.retention.scrub import Scrub


def _require_governance(by) -> None:
    if not is_information_governance(actor_for(by)):
        raise RoleRefused("Only information governance may decide on retention.")


def _ct(model_or_obj) -> ContentType:
    return ContentType.objects.get_for_model(model_or_obj)


def live_hold(record) -> LegalHold | None:
    return LegalHold.objects.filter(
        content_type=_ct(record), object_id=record.pk, lifted_at__isnull=True
    ).first()


def is_erased(record) -> bool:
    return Erasure.objects.filter(content_type=_ct(record), object_id=record.pk).exists()


def _reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": f"Enter the reason for {what}."})
    return reason.strip()


def _due_check(record, kind: RetentionKind, today) -> None:
    rule = RetentionRule.objects.filter(kind=kind.key).first()
    if rule is None:
        raise ValidationError(f"There is no retention period for {kind.label.lower()}: set one first.")
    if not kind.records().filter(pk=record.pk).exists():
        raise ValidationError(f"This record is no longer one of the {kind.label.lower()}.")
    if not kind.due(rule.period_months, today).filter(pk=record.pk).exists():
        raise ValidationError(
            "This record's retention period has not run: it ends on "
            f"{format_date(kind.counted_date(record) + relativedelta(months=rule.period_months))}."
        )


def _lock(record) -> models.Model:
    return type(record)._base_manager.select_for_update().get(pk=record.pk)


@transaction.atomic
def decision_keep(*, record, kind: RetentionKind, by, reason: str, next_review_on) -> RetentionDecision:
    """Keep a record past its period, with the reason, until a review date in the future."""
    _require_governance(by)
    record = _lock(record)
    reason = _reason(reason, "keeping the record")
    today = timezone.localdate()
    if next_review_on is None:
        raise ValidationError({"next_review_on": "Enter the next review date."})
    if next_review_on <= today:
        raise ValidationError({"next_review_on": "The next review date must be in the future."})
    if is_erased(record):
        raise ValidationError("This record has already been erased.")
    return RetentionDecision.objects.create(
        content_type=_ct(record),
        object_id=record.pk,
        kind=kind.key,
        decision=Decision.KEEP,
        reason=reason,
        next_review_on=next_review_on,
        decided_by=by,
        decided_at=timezone.now(),
    )


@transaction.atomic
def erase_record(*, record, kind: RetentionKind, by, reason: str) -> Erasure:
    """Erase a record past its period: anonymise its personal data and free text, and those of the
    records under it and of the people no other live record names; remove the copies (audit trail,
    access log, notifications, dissemination log); keep the dates, states, outcomes and clocks.

    Refused for a record under a legal hold, already erased, or not yet past its period.
    """
    _require_governance(by)
    record = _lock(record)
    reason = _reason(reason, "erasing the record")
    hold = live_hold(record)
    if hold is not None:
        raise ValidationError(
            f"This record is under a legal hold placed on {format_date(hold.placed_at)}: "
            "it cannot be erased until the hold is lifted."
        )
    if is_erased(record):
        raise ValidationError("This record has already been erased.")
    now = timezone.now()
    _due_check(record, kind, timezone.localdate(now))
    description = kind.title(record)[:200]
    decision = RetentionDecision.objects.create(
        content_type=_ct(record),
        object_id=record.pk,
        kind=kind.key,
        decision=Decision.ERASE,
        reason=reason,
        decided_by=by,
        decided_at=now,
    )
    scrub = Scrub()
    # The anonymising updates write no trail of their own (they are queryset updates, and the trail is
    # off besides): the old values must not be copied into it.
    with disable_auditlog():
        kind.erase(record, scrub)
        for part in parts_of(kind.model):
            part(record, scrub)
        copies.anonymise_people(scrub, record=record)
        removed = copies.remove_copies(scrub)
    counts = {**dict(sorted(scrub.counts.items())), **{f"copies: {k}": v for k, v in removed.items()}}
    return Erasure.objects.create(
        content_type=decision.content_type,
        object_id=record.pk,
        kind=kind.key,
        description=description,
        reason=reason,
        decided_by=by,
        at=now,
        counts=counts,
    )


@transaction.atomic
def hold_place(*, record, kind: RetentionKind, by, reason: str) -> LegalHold:
    _require_governance(by)
    record = _lock(record)
    reason = _reason(reason, "the legal hold")
    if live_hold(record) is not None:
        raise ValidationError("This record is already under a legal hold.")
    if is_erased(record):
        raise ValidationError("This record has already been erased.")
    return LegalHold.objects.create(
        content_type=_ct(record),
        object_id=record.pk,
        kind=kind.key,
        reason=reason,
        placed_by=by,
        placed_at=timezone.now(),
    )


@transaction.atomic
def hold_lift(*, hold: LegalHold, by, reason: str) -> LegalHold:
    _require_governance(by)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError("This legal hold has already been lifted.")
    hold.lift_reason = _reason(reason, "lifting the hold")
    hold.lifted_by, hold.lifted_at = by, timezone.now()
    hold.full_clean()
    hold.save(update_fields=["lift_reason", "lifted_by", "lifted_at"])
    return hold
