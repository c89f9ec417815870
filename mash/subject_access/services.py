"""The writes of subject access: log a request, verify identity, extend, compile, decide each item,
record the response or close the request. Each is one transaction with the request's row locked, so two
officers cannot act on one request at once; the trail is auditlog's (both models are registered) and the
access log's (compiling and downloading are exports)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.clocks.services import clock_start, clock_stop
from mash.common.backdating import MAX_BACKDATING
from mash.common.errors import require, require_role
from mash.common.versioning import lock_for_change, save_change
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write, access_response_record
from mash.subject_access import deadlines
from mash.subject_access.compiling import SAR_REASON, gather
from mash.subject_access.models import (
    OPEN_STATES,
    Decision,
    IdentityMethod,
    State,
    SubjectAccessCounter,
    SubjectAccessItem,
    SubjectAccessRequest,
)

ROLE_REFUSAL = "Only information governance handles subject access requests."
MIN_REASON = 10

# The one table of moves: which states each action starts from.
TRANSITIONS = {
    "verify": {State.RECEIVED},
    "extend": set(OPEN_STATES),
    "compile": {State.RECEIVED, State.COMPILED, State.DECIDED},
    "decide": {State.COMPILED, State.DECIDED},
    "respond": {State.DECIDED},
    "close": set(OPEN_STATES),
    "bundle": {State.DECIDED, State.RESPONDED},
}


def may(action: str, sar: SubjectAccessRequest) -> bool:
    return sar.state in TRANSITIONS[action]


def _require_state(action: str, sar: SubjectAccessRequest, message: str) -> None:
    require(may(action, sar), message)


def _require_governance(by) -> None:
    require_role(is_information_governance(actor_for(by)), ROLE_REFUSAL)


def _reason(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    require(len(text) >= MIN_REASON, {field: f"Give {what} (at least {MIN_REASON} characters)."})
    return text


def next_reference(year: int) -> str:
    SubjectAccessCounter.objects.get_or_create(year=year)
    SubjectAccessCounter.objects.filter(pk=year).update(last=F("last") + 1)
    return f"SAR-{year}-{SubjectAccessCounter.objects.get(pk=year).last:04d}"


def request_errors(*, received_on, requester_name: str = "", requester_contact: str = "") -> dict:
    """The rules on what is typed, checked here for the page, the API and the service alike."""
    errors = {}
    today = timezone.localdate()
    if received_on and received_on > today:
        errors["received_on"] = "The date received must be today or in the past."
    elif received_on and received_on < today - MAX_BACKDATING:
        # As every case record (mash/common/backdating.py): logged late is still logged within the year.
        errors["received_on"] = "The date received cannot be more than a year ago."
    if not (requester_name or "").strip():
        errors["requester_name"] = "Enter the name of the person asking."
    if not (requester_contact or "").strip():
        errors["requester_contact"] = "Enter where the response goes (address, e-mail or telephone)."
    return errors


@transaction.atomic
def request_create(
    *, by, person, requester_name: str, relationship: str, requester_contact: str, received_on
) -> SubjectAccessRequest:
    """Log a request; its one-calendar-month clock starts from the day of receipt."""
    _require_governance(by)
    errors = request_errors(
        received_on=received_on, requester_name=requester_name, requester_contact=requester_contact
    )
    require(not errors, errors)
    due = deadlines.due_on(received_on)
    sar = SubjectAccessRequest(
        reference=next_reference(received_on.year),
        requester_name=requester_name.strip(),
        relationship=relationship,
        requester_contact=requester_contact.strip(),
        person=person,
        received_on=received_on,
        logged_by=by,
        due_on=due,
        clock=clock_start(kind=deadlines.KIND, **deadlines.clock_fields(received_on, due)),
    )
    sar.full_clean()
    sar.save()
    return sar


@transaction.atomic
def identity_verify(*, sar, by, method: str, note: str = "", expected_version=None) -> SubjectAccessRequest:
    _require_governance(by)
    sar = lock_for_change(sar, expected_version)
    _require_state(
        "verify", sar, "Identity can be verified only while the request is waiting to be compiled."
    )
    require(method in IdentityMethod.values, {"method": "Choose how the identity was verified."})
    require(
        method != IdentityMethod.OTHER or note.strip(), {"note": "Describe how the identity was verified."}
    )
    sar.identity_method, sar.identity_note = method, note.strip()
    sar.identity_verified_by, sar.identity_verified_at = by, timezone.now()
    save_change(sar, ["identity_method", "identity_note", "identity_verified_by", "identity_verified_at"])
    return sar


@transaction.atomic
def request_extend(*, sar, by, reason: str, expected_version=None) -> SubjectAccessRequest:
    """Extend once by up to two further months (complex or numerous requests), while the first month
    runs: the person must be told within it. The first clock stops (met), a longer one starts."""
    _require_governance(by)
    sar = lock_for_change(sar, expected_version)
    _require_state("extend", sar, "Only an open request can be extended.")
    require(sar.extended_due_on is None, "This request has already been extended: it can be extended once.")
    require(
        timezone.localdate() <= sar.due_on,
        "The first month has passed: an extension must be made, and the person told, within it.",
    )
    sar.extension_reason = _reason(reason, "reason", "the reason for the extension")
    sar.extended_due_on = deadlines.due_on(sar.received_on, deadlines.EXTENDED_MONTHS)
    sar.extended_by, sar.extended_at = by, timezone.now()
    clock_stop(clock=sar.clock)
    sar.extension_clock = clock_start(
        kind=deadlines.KIND_EXTENDED, **deadlines.clock_fields(sar.received_on, sar.extended_due_on)
    )
    save_change(sar, ["extension_reason", "extended_due_on", "extended_by", "extended_at", "extension_clock"])
    return sar


@transaction.atomic
def request_compile(*, sar, by, expected_version=None, request=None) -> SubjectAccessRequest:
    """Snapshot everything held about the person (mash/subject_access/compiling.py). Flagged items need
    a decision; the others are released unless changed. Compiling again before any decision replaces
    the snapshot; after one it is refused, so no decision is lost. Each record included is logged as
    exported for this request."""
    _require_governance(by)
    sar = lock_for_change(sar, expected_version)
    require(sar.identity_verified, "Verify the identity of the person asking before compiling.")
    _require_state("compile", sar, "Only an open request can be compiled.")
    require(
        not sar.items.filter(decided_by__isnull=False).exists(),
        "Decisions have been recorded on this compilation: it cannot be compiled again.",
    )
    sar.items.all().delete()
    drafts = gather(sar.person)
    now = timezone.now()
    items = []
    for position, draft in enumerate(drafts, start=1):
        item = SubjectAccessItem(
            request=sar,
            position=position,
            source=draft.source,
            at=draft.at,
            kind=draft.kind[:100],
            title=draft.title[:300],
            text=draft.text,
            agency=draft.agency,
            release_flags=draft.release_flags,
            decision=Decision.PENDING if draft.release_flags else Decision.RELEASE,
        )
        if draft.record is not None:
            item.record = draft.record
        # The foreign keys are the compilation's own, already checked: no query per item.
        item.full_clean(exclude=["request", "content_type", "agency"])
        items.append(item)
    SubjectAccessItem.objects.bulk_create(items)
    reason = f"{SAR_REASON} {sar.reference}"
    seen = set()
    for draft in drafts:
        if draft.record is None or draft.source == "access":
            continue
        key = (type(draft.record), draft.record.pk)
        if key not in seen:
            seen.add(key)
            access_log_write(
                user=by, obj=draft.record, action=AccessAction.EXPORT, request=request, reason=reason
            )
    sar.state = State.DECIDED if not any(i.decision == Decision.PENDING for i in items) else State.COMPILED
    sar.compiled_at, sar.compiled_by = now, by
    save_change(sar, ["state", "compiled_at", "compiled_by"])
    return sar


@transaction.atomic
def item_decide(
    *,
    item,
    by,
    decision: str,
    exemption: str = "",
    reason: str = "",
    redacted_text: str = "",
    expected_version=None,
) -> SubjectAccessItem:
    """Record the decision on one item: release, release redacted (with its exemption and reason, and
    the text as released, or nothing for the whole item) or withhold (exemption and reason)."""
    _require_governance(by)
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=item.request_id)
    _require_state(
        "decide", sar, "Items can be decided once the request is compiled and until it is answered."
    )
    item = lock_for_change(item, expected_version)
    errors = {}
    if decision not in (Decision.RELEASE, Decision.REDACT, Decision.WITHHOLD):
        errors["decision"] = "Choose release, release redacted or withhold."
    if decision in (Decision.REDACT, Decision.WITHHOLD):
        if not exemption:
            errors["exemption"] = "Choose the exemption the decision relies on."
        if len((reason or "").strip()) < MIN_REASON:
            errors["reason"] = f"Give the reason for the decision (at least {MIN_REASON} characters)."
    if decision == Decision.REDACT and " ".join(redacted_text.split()) == " ".join(item.text.split()):
        errors["redacted_text"] = (
            "The text as released is the whole text: take out the redacted parts, or leave it empty to "
            "redact the item whole."
        )
    require(not errors, errors)
    item.decision = decision
    keeps = decision != Decision.RELEASE
    item.exemption = exemption if keeps else ""
    item.reason = reason.strip() if keeps else (reason or "").strip()
    item.redacted_text = redacted_text.strip() if decision == Decision.REDACT else ""
    item.decided_by, item.decided_at = by, timezone.now()
    save_change(item, ["decision", "exemption", "reason", "redacted_text", "decided_by", "decided_at"])
    state = State.COMPILED if sar.items.filter(decision=Decision.PENDING).exists() else State.DECIDED
    if state != sar.state:
        sar.state = state
        save_change(sar, ["state"])
    return item


@transaction.atomic
def request_respond(*, sar, by, expected_version=None) -> SubjectAccessRequest:
    """The response has been sent: the request closes and its clock stops."""
    _require_governance(by)
    sar = lock_for_change(sar, expected_version)
    _require_state("respond", sar, "Decide every flagged item before recording the response.")
    counts = {decision: sar.items.filter(decision=decision).count() for decision in Decision.values}
    access_response_record(
        by=by,
        recipient_name=sar.requester_name,
        recipient_relationship=sar.get_relationship_display(),
        recipient_contact=sar.requester_contact.splitlines()[0] if sar.requester_contact else "",
        what=(
            f"The response bundle of subject access request {sar.reference}: "
            f"{counts[Decision.RELEASE]} items released, {counts[Decision.REDACT]} redacted, "
            f"{counts[Decision.WITHHOLD]} withheld."
        ),
        record=sar,
        person=sar.person,
    )
    return _close(sar, by, State.RESPONDED)


@transaction.atomic
def request_close(*, sar, by, state: str, reason: str, expected_version=None) -> SubjectAccessRequest:
    """Refuse the request (manifestly unfounded or excessive, identity not shown) or record that it was
    withdrawn, with the reason."""
    _require_governance(by)
    sar = lock_for_change(sar, expected_version)
    _require_state("close", sar, "This request is already closed.")
    require(state in (State.REFUSED, State.WITHDRAWN), {"state": "Choose refused or withdrawn."})
    return _close(sar, by, state, reason=_reason(reason, "reason", "the reason"))


def _close(sar, by, state, *, reason: str = ""):
    sar.state, sar.closed_at, sar.closed_by, sar.closed_reason = state, timezone.now(), by, reason
    clock_stop(clock=sar.current_clock)
    save_change(sar, ["state", "closed_at", "closed_by", "closed_reason"])
    return sar


def bundle_export_log(*, sar, by, request=None) -> None:
    """The response bundle leaves the MASH: one export of the person, for this request."""
    if not may("bundle", sar):
        raise ValidationError("Decide every flagged item before producing the response.")
    access_log_write(
        user=by,
        obj=sar.person,
        action=AccessAction.EXPORT,
        request=request,
        reason=f"{SAR_REASON} {sar.reference}",
    )
