"""Writes of the requests to share outside the MASH: ask, decide each item, cancel; and the log entry of
an e-mail the system sent outside the MASH. The log entry of an approved request is written in the
transaction of the decision that completes it (docs/style.md: the audit row with the change)."""

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.common.errors import RoleRefused
from mash.sharing import dissemination
from mash.sharing.models import (
    SHARING_BASES,
    Dissemination,
    DisseminationCounter,
    DisseminationItem,
    DisseminationKind,
    DisseminationMethod,
    DisseminationRequest,
    ItemDecision,
    RequestState,
)

logger = logging.getLogger(__name__)

NO_ITEMS = "Choose at least one item to share."
UNKNOWN_ITEM = (
    "Choose the items from the list: one of those chosen is not an item of this record you may see."
)
CONDITIONS_NOT_MET = "Handling code C: confirm that the conditions of sharing are met, or withhold the item."


def _next_reference(year: int) -> str:
    counter, _ = DisseminationCounter.objects.select_for_update().get_or_create(year=year)
    DisseminationCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"DR-{year}-{counter.last:04d}"


def request_errors(
    *,
    item_keys,
    recipient_organisation: str,
    recipient_name: str,
    method: str,
    need: str,
    lawful_basis: str,
    known_keys=None,
) -> dict[str, str]:
    """What is wrong with a request, by field (the page's form shows them with its own)."""
    errors = {}
    if not item_keys:
        errors["items"] = NO_ITEMS
    elif known_keys is not None and not set(item_keys) <= set(known_keys):
        errors["items"] = UNKNOWN_ITEM
    if not recipient_organisation.strip():
        errors["recipient_organisation"] = "Enter the recipient's organisation."
    if not recipient_name.strip():
        errors["recipient_name"] = "Enter the name of the person the information goes to."
    if method not in DisseminationMethod.values:
        errors["method"] = "Choose how the information will be sent."
    if not need.strip():
        errors["need"] = "Say what need sharing this information meets."
    if lawful_basis not in SHARING_BASES:
        errors["lawful_basis"] = "Choose the lawful basis for sharing."
    return errors


@transaction.atomic
def dissemination_request_create(
    *,
    by,
    record: models.Model,
    item_keys: list[str],
    recipient_organisation: str,
    recipient_name: str,
    method: str,
    need: str,
    lawful_basis: str,
    recipient_role: str = "",
    recipient_contact: str = "",
) -> DisseminationRequest:
    """Ask to send chosen items of ``record`` outside the MASH. Each item waits for its owner agency."""
    if not dissemination.may_request(by, record):
        raise RoleRefused("You may not share information from a record you may not see.")
    choices = {choice.key: choice for choice in dissemination.items_for(by, record)}
    item_keys = list(dict.fromkeys(item_keys))
    errors = request_errors(
        item_keys=item_keys,
        recipient_organisation=recipient_organisation,
        recipient_name=recipient_name,
        method=method,
        need=need,
        lawful_basis=lawful_basis,
        known_keys=choices,
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    source = dissemination.source_for(record)
    request = DisseminationRequest(
        reference=_next_reference(timezone.localdate(now).year),
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        object_repr=source.label(record)[:200],
        person=source.person(record),
        requested_by=by,
        requested_at=now,
        recipient_organisation=recipient_organisation.strip(),
        recipient_role=recipient_role.strip(),
        recipient_name=recipient_name.strip(),
        recipient_contact=recipient_contact.strip(),
        method=method,
        need=need.strip(),
        lawful_basis=lawful_basis,
    )
    request.full_clean()
    request.save()
    order = {key: position for position, key in enumerate(choices)}
    for key in sorted(item_keys, key=order.__getitem__):
        choice = choices[key]
        item = DisseminationItem(
            request=request,
            position=order[key],
            key=key,
            content_type=ContentType.objects.get_for_model(choice.record),
            object_id=str(choice.record.pk),
            kind=choice.kind[:100],
            owner_agency=choice.owner_agency,
            text=choice.text,
            source_evaluation=choice.source_evaluation,
            intelligence_assessment=choice.intelligence_assessment,
            handling_code=choice.handling_code,
            handling_conditions=choice.handling_conditions,
        )
        item.full_clean()
        item.save()
    return request


@transaction.atomic
def dissemination_item_decide(
    *, item: DisseminationItem, by, decision: str, conditions_met: bool = False, reason: str = ""
) -> DisseminationItem:
    """Release or withhold one item, as a decision maker or MASH manager of its owner agency (never the
    requester). A code C item is released only with its conditions confirmed met. The decision that
    completes the request writes the dissemination log entry, or records the request withheld."""
    # The request's row first: two approvers deciding the request's last two items queue here, so the
    # second sees the first's decision and exactly one of them completes the request.
    request = DisseminationRequest.objects.select_for_update().get(pk=item.request_id)
    item = DisseminationItem.objects.select_for_update().select_related("owner_agency").get(pk=item.pk)
    item.request = request
    actor = actor_for(by)
    if by.pk == request.requested_by_id:
        raise RoleRefused(
            f"You asked to share this: another decision maker or MASH manager of {item.owner_agency} "
            "must decide it."
        )
    if not dissemination.may_decide(actor, item):
        raise RoleRefused(
            f"Only a decision maker or MASH manager of {item.owner_agency} may release or withhold this item."
        )
    if request.state != RequestState.AWAITING_APPROVAL:
        raise ValidationError(
            f"This request is {RequestState(request.state).label.lower()}: nothing more to decide."
        )
    if item.decision != ItemDecision.PENDING:
        who = item.decided_by.get_full_name() or item.decided_by.get_username()
        raise ValidationError(
            f"This item was already {ItemDecision(item.decision).label.lower()} by {who}. Reload the page."
        )
    reason = (reason or "").strip()
    if decision == ItemDecision.RELEASE:
        if item.is_code_c and not conditions_met:
            raise ValidationError({"conditions_met": CONDITIONS_NOT_MET})
    elif decision == ItemDecision.WITHHOLD:
        if not reason:
            raise ValidationError({"reason": "Say why the item is withheld."})
    else:
        raise ValidationError({"decision": "Choose whether to release or withhold the item."})
    now = timezone.now()
    item.decision, item.decided_by, item.decided_at = decision, by, now
    item.conditions_met = bool(conditions_met) and decision == ItemDecision.RELEASE and item.is_code_c
    item.reason = reason
    item.full_clean()
    item.save()
    items = list(request.items.select_related("decided_by"))
    if all(i.decision != ItemDecision.PENDING for i in items):
        _complete(request, items, by=by, now=now)
    return item


def _complete(request: DisseminationRequest, items: list[DisseminationItem], *, by, now) -> None:
    released = [i for i in items if i.decision == ItemDecision.RELEASE]
    request.completed_at = now
    if not released:
        request.state = RequestState.WITHHELD
        request.save(update_fields=["state", "completed_at", "updated_at"])
        return
    request.state = RequestState.APPROVED
    request.save(update_fields=["state", "completed_at", "updated_at"])
    entry = Dissemination(
        kind=DisseminationKind.APPROVED,
        disseminated_at=now,
        disseminated_by_id=request.requested_by_id,
        approved_by=by,
        recipient_name=request.recipient_name,
        recipient_organisation=request.recipient_organisation,
        recipient_contact=request.recipient_contact,
        method=request.method,
        what=f"{request.reference} ({request.object_repr}): " + "; ".join(i.kind for i in released),
        lawful_basis=request.lawful_basis,
        need=request.need,
        handling_conditions=conditions_text(released),
        content_type_id=request.content_type_id,
        object_id=request.object_id,
        person_id=request.person_id,
        request=request,
    )
    entry.full_clean()
    entry.save()


def conditions_text(items) -> str:
    """The handling conditions of the released code C items and how each was confirmed met."""
    lines = []
    for item in items:
        if item.is_code_c:
            who = item.decided_by.get_full_name() or item.decided_by.get_username()
            confirmed = f" Confirmed met by {who}" + (f": {item.reason}" if item.reason else ".")
            lines.append(f"{item.kind}: {item.handling_conditions}.{confirmed}")
    return "\n".join(lines)


@transaction.atomic
def dissemination_request_cancel(*, request: DisseminationRequest, by) -> DisseminationRequest:
    request = DisseminationRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk != request.requested_by_id:
        raise RoleRefused("Only the person who asked may cancel the request.")
    if request.state != RequestState.AWAITING_APPROVAL:
        raise ValidationError(
            f"This request is {RequestState(request.state).label.lower()}: it cannot be cancelled."
        )
    request.state, request.completed_at, request.cancelled_by = RequestState.CANCELLED, timezone.now(), by
    request.save(update_fields=["state", "completed_at", "cancelled_by", "updated_at"])
    return request


# --- E-mails the system sends outside the MASH ----------------------------------------------------


def is_outside_address(notification) -> bool:
    """Is this e-mail going to someone outside the MASH: no user of the system, not a user's address?"""
    from django.contrib.auth import get_user_model

    if notification.recipient_id is not None or not notification.address:
        return False
    return not get_user_model().objects.filter(email__iexact=notification.address, is_active=True).exists()


def email_sent_log(*, notification, sent_at=None) -> Dissemination | None:
    """Write the log entry of an e-mail that left the MASH, once per e-mail (a unique link to its outbox
    row): a send repeated after a crash writes nothing more. Returns the entry written, or None."""
    if not is_outside_address(notification):
        return None
    rule = dissemination.email_rule_for(notification.event)
    subject = notification.subject if notification.subject_type_id else None
    name, organisation = rule.recipient(subject)
    about = f" (about {subject})" if subject is not None else ""
    entry = Dissemination(
        kind=DisseminationKind.AUTOMATIC,
        disseminated_at=sent_at or notification.sent_at or timezone.now(),
        recipient_name=(name or notification.address)[:200],
        recipient_organisation=(organisation or "Outside the MASH")[:200],
        recipient_contact=notification.address[:200],
        method=DisseminationMethod.EMAIL,
        what=f"E-mail '{notification.title}'{about}",
        lawful_basis=rule.lawful_basis,
        need=rule.need,
        content_type_id=notification.subject_type_id,
        object_id=notification.subject_id or "",
        notification=notification,
    )
    entry.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        if Dissemination.objects.filter(notification_id=notification.pk).exists():
            return None  # already logged: the same e-mail sent again
        raise
    return entry


def email_sent_log_safely(row, sent_at) -> None:
    """Called by the delivery the moment the mail server accepts an e-mail: log it if it left the
    MASH. A failure here never makes the message be sent again: the sweep writes the entries still
    missing (``email_log_catch_up``)."""
    if row.recipient_id is not None:
        return
    try:
        email_sent_log(notification=row, sent_at=sent_at)
    except DatabaseError:
        logger.warning(
            "Could not log e-mail %s in the dissemination log; the sweep will", row.pk, exc_info=True
        )


def email_log_catch_up(*, now) -> int:
    """Log the e-mails sent outside the MASH in the last day that have no log entry yet."""
    from mash.notifications.models import Channel, Notification, Status

    logged = Dissemination.objects.filter(notification_id=OuterRef("pk"))
    rows = Notification.objects.filter(
        ~Exists(logged),
        recipient__isnull=True,
        channel=Channel.EMAIL,
        status=Status.SENT,
        sent_at__gte=now - timedelta(days=1),
    )
    return sum(email_sent_log(notification=row) is not None for row in rows.order_by("pk")[:500])
