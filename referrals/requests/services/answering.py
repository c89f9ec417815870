"""Answering a request: a researcher of the agency asked claims it, writes graded entries (one, or
'nothing known', per subject) into a draft, submits it, and after submission adds addenda, never an
overwrite."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mash.agencies.models import AgencyKind
from mash.clocks.services import clock_stop
from mash.common.errors import RoleRefused
from mash.common.grading import Grading, grading_errors, information_date_errors
from mash.common.versioning import bump
from mash.notifications.services import notify
from referrals.models import InformationRequest, Referral, RequestStatus, ResponseEntry
from referrals.requests.services.common import event, lead_practitioners, locked_request, may_answer
from referrals.requests.services.withdrawal import _advance_if_all_answered


@transaction.atomic
def information_request_claim(*, request: InformationRequest, by) -> InformationRequest:
    """Assign an open request to oneself (one researcher at a time)."""
    if not may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may claim this request.")
    claimed = InformationRequest.objects.filter(pk=request.pk, status=RequestStatus.OPEN).update(
        assigned_to=by, version=F("version") + 1
    )
    if claimed != 1:
        raise ValidationError("This request is no longer open.")
    request.refresh_from_db()
    return request


@dataclass(kw_only=True)
class EntryInput(Grading):
    """One entry of an answer as typed in: about one of the referral's subjects, either graded (the
    fields of ``Grading``) or 'nothing known'."""

    person_id: int
    nothing_known: bool = False


def _entry(request: InformationRequest, by, data: EntryInput, *, addendum_reason: str = "") -> ResponseEntry:
    subject_ids = set(request.referral.subjects.values_list("person_id", flat=True))
    if data.person_id not in subject_ids:
        raise ValidationError({"person": "Choose one of the referral's subjects."})
    errors = (
        information_date_errors(data)
        if data.nothing_known
        else grading_errors(data, police=request.agency.kind == AgencyKind.POLICE)
    )
    if errors:
        raise ValidationError(errors)
    entry = ResponseEntry(
        request=request,
        person_id=data.person_id,
        nothing_known=data.nothing_known,
        **data.cleaned(),
        author=by,
        is_addendum=bool(addendum_reason),
        addendum_reason=addendum_reason.strip(),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def response_entry_add(
    *, request: InformationRequest, by, data: EntryInput, expected_version: int | None = None
) -> ResponseEntry:
    """Add an entry to the draft answer (saved, not yet submitted)."""
    request = locked_request(request, expected_version)
    if not may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may answer this request.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("The answer has been submitted: add an addendum instead.")
    entry = _entry(request, by, data)
    bump(request)
    return entry


@transaction.atomic
def response_entry_remove(*, entry: ResponseEntry, by, expected_version: int | None = None) -> None:
    request = locked_request(entry.request, expected_version)
    if not may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may change this answer.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("A submitted answer cannot be changed: add an addendum instead.")
    entry.delete()
    bump(request)


@transaction.atomic
def information_request_submit(
    *, request: InformationRequest, by, expected_version: int | None = None
) -> InformationRequest:
    """Submit the answer: it is locked, the clock stops, the lead agency is told. When every live
    request of the referral is answered, the referral moves to awaiting threshold decision."""
    request = locked_request(request, expected_version)
    if not may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may submit this answer.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError(
            f"This request is {request.get_status_display().lower()}; it cannot be submitted."
        )
    subjects = list(request.referral.subjects.select_related("person"))
    answered = set(request.entries.values_list("person_id", flat=True))
    missing = [link.person.full_name for link in subjects if link.person_id not in answered]
    if missing:
        raise ValidationError(f"Add an entry, or 'nothing known', for: {', '.join(missing)}.")
    now = timezone.now()
    bump(request, status=RequestStatus.ANSWERED, answered_at=now, answered_by=by)
    clock_stop(clock=request.clock, stopped_at=now)
    referral = Referral.objects.select_for_update().get(pk=request.referral_id)
    event(referral, by=by, note=f"{request.agency.name} answered")
    notify(
        recipients=lead_practitioners(referral),
        event="information_request.answered",
        idempotency_key=f"information_request:{request.pk}:answered",
        title=f"{request.agency.name} answered about {referral.reference}",
        body="Their answer is in the collation.",
        url=reverse("referrals:collation", args=[referral.pk]),
        subject=referral,
    )
    _advance_if_all_answered(referral, now)
    request.refresh_from_db()
    return request


@transaction.atomic
def response_addendum_add(*, request: InformationRequest, by, data: EntryInput, reason: str) -> ResponseEntry:
    """A correction or addition after submission: a new, audited entry, never an overwrite."""
    request = locked_request(request)
    if not may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may add to this answer.")
    if request.status == RequestStatus.WITHDRAWN:
        raise ValidationError("This request was withdrawn: nothing more can be added to it.")
    if request.status != RequestStatus.ANSWERED:
        raise ValidationError("An addendum is for a submitted answer; this one can still be edited.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the answer is being added to or corrected."})
    entry = _entry(request, by, data, addendum_reason=reason)
    bump(request)
    referral = request.referral
    event(referral, by=by, note=f"{request.agency.name} added to its answer: {reason.strip()}")
    notify(
        recipients=lead_practitioners(referral),
        event="information_request.addendum",
        idempotency_key=f"response_entry:{entry.pk}:addendum",
        title=f"{request.agency.name} added to its answer about {referral.reference}",
        body="The answer has an addendum.",
        detail=reason.strip(),
        url=reverse("referrals:collation", args=[referral.pk]),
        subject=referral,
    )
    return entry
