"""Information requests to partner agencies: sending (with the fan-out and the grants), answering,
submitting, addenda, withdrawal, reminders and escalation. Every write to a request is here."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.clocks.calendar import Calendar, time_between
from mash.clocks.models import Clock
from mash.clocks.services import clock_start, clock_stop
from mash.common.errors import RoleRefused
from mash.common.grading import grading_errors
from mash.common.versioning import StaleVersion, bump, lock_for_change
from mash.notifications.services import notify, notify_once
from mash.sharing.services import grant_view, revoke_view
from referrals import policy as referral_policy
from referrals import services as referral_services
from referrals.models import (
    EventKind,
    InformationRequest,
    Rag,
    RagTimescale,
    Referral,
    RequestStatus,
    ResponseEntry,
    State,
    TimelineEvent,
)
from referrals.signals import agencies_asked

REQUEST_CLOCK = "partner information"
DEFAULT_TIMESCALES = {
    Rag.RED: ("working_hours", 4),
    Rag.AMBER: ("working_days", 1),
    Rag.GREEN: ("working_days", 3),
}
REMINDER_FRACTION = 0.75


def timescale_for(rag: str) -> tuple[str, int]:
    row = RagTimescale.objects.filter(rag=rag).first()
    if row is not None:
        return row.basis, row.amount
    return DEFAULT_TIMESCALES[rag]


def _event(referral, *, by, note, kind=EventKind.NOTE):
    TimelineEvent.objects.create(referral=referral, at=timezone.now(), by=by, kind=kind, note=note)


def _researchers(agency_id: int):
    return list(members_with_role(agency_id, Role.AGENCY_RESEARCHER))


def _lead_practitioners(referral: Referral):
    if referral.assigned_to_id:
        return [referral.assigned_to]
    lead = Agency.objects.filter(is_lead=True).first()
    return list(members_with_role(lead.pk, Role.TRIAGE_PRACTITIONER)) if lead else []


def _request_url(request: InformationRequest) -> str:
    return reverse("referrals:request", args=[request.pk])


@dataclass
class RequestInput:
    agency: Agency
    questions: str


@transaction.atomic
def information_requests_send(
    *, referral: Referral, by, requests: list[RequestInput], expected_version: int | None = None
) -> list[InformationRequest]:
    """Ask partner agencies about a referral: one request per agency, due by the referral's RAG clock.

    Each agency's group is granted sight of its own request, the referral's summary and its subjects,
    and nothing else; every researcher of the agency is notified after commit.
    """
    referral = lock_for_change(referral, expected_version, stale=lambda r: r.stale(then="Reload the page."))
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may ask partner agencies.")
    if referral.state != State.INFORMATION_GATHERING:
        raise ValidationError("Move the referral to information gathering before asking partner agencies.")
    if referral.rag in ("", Rag.BLUE):
        raise ValidationError("A referral rated Blue (not shared), or not rated, cannot be sent to partners.")
    if not requests:
        raise ValidationError({"agencies": "Choose at least one agency to ask."})
    seen = set()
    for index, item in enumerate(requests):
        if item.agency.is_lead or not item.agency.is_active:
            raise ValidationError(
                {"agencies": f"{item.agency} cannot be asked: it is the lead agency or inactive."}
            )
        if item.agency.pk in seen:
            raise ValidationError({"agencies": f"{item.agency} is chosen twice."})
        seen.add(item.agency.pk)
        if not item.questions.strip():
            raise ValidationError({f"questions-{index}": f"Write what {item.agency} should answer."})
    live = set(
        referral.information_requests.exclude(status=RequestStatus.WITHDRAWN).values_list(
            "agency_id", flat=True
        )
    )
    already = [item.agency.name for item in requests if item.agency.pk in live]
    if already:
        raise ValidationError({"agencies": f"Already asked: {', '.join(already)}."})

    basis, amount = timescale_for(referral.rag)
    now = timezone.now()
    subjects = [link.person for link in referral.subjects.select_related("person")]
    sent = []
    for item in requests:
        clock = clock_start(kind=REQUEST_CLOCK, basis=basis, amount=amount, started_at=now)
        request = InformationRequest(
            referral=referral,
            agency=item.agency,
            questions=item.questions.strip(),
            clock=clock,
            sent_by=by,
            sent_at=now,
        )
        request.full_clean()
        request.save()
        grant_view(obj=request, agency=item.agency)
        grant_view(obj=referral, agency=item.agency)
        for person in subjects:
            grant_view(obj=person, agency=item.agency)
        notify(
            recipients=_researchers(item.agency.pk),
            event="information_request.sent",
            idempotency_key=f"information_request:{request.pk}:sent",
            title=f"Information requested: {referral.reference} ({referral.get_rag_display()})",
            body=f"The MASH asks {item.agency.name} about referral {referral.reference}. "
            f"Answer by {timezone.localtime(clock.due_at):%a %d %b %H:%M}.",
            url=_request_url(request),
            subject=request,
        )
        sent.append(request)
    _event(referral, by=by, note="Information requested from " + ", ".join(r.agency.name for r in sent))
    agencies_asked.send(sender=Referral, referral=referral, agencies=[r.agency for r in sent])
    bump(referral)
    return sent


def _advance_if_all_answered(referral: Referral, now) -> None:
    """When no request is still open and at least one was answered, the referral is ready for the
    threshold decision: the system moves it (referral_all_partners_answered)."""
    if referral_services.partners_all_answered(referral):
        referral_services.referral_all_partners_answered(referral=referral, at=now)


def _may_answer(by, request: InformationRequest) -> bool:
    actor = actor_for(by)
    return actor.agency_id == request.agency_id and actor.has(Role.AGENCY_RESEARCHER)


def _request_changed(current: InformationRequest) -> StaleVersion:
    who = (
        (current.answered_by.get_full_name() or current.answered_by.get_username())
        if current.answered_by_id
        else "Someone else"
    )
    return StaleVersion(
        f"{who} changed this request since you opened it"
        + (" and submitted the answer" if current.status == RequestStatus.ANSWERED else "")
        + ". Your work has not been saved over theirs: reload the page to see it."
    )


def _locked_request(request: InformationRequest, expected_version: int | None = None) -> InformationRequest:
    return lock_for_change(
        request,
        expected_version,
        queryset=InformationRequest.objects.select_related("referral", "agency", "clock"),
        stale=_request_changed,
    )


@transaction.atomic
def information_request_claim(*, request: InformationRequest, by) -> InformationRequest:
    """Assign an open request to oneself (one researcher at a time)."""
    if not _may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may claim this request.")
    claimed = InformationRequest.objects.filter(pk=request.pk, status=RequestStatus.OPEN).update(
        assigned_to=by, version=F("version") + 1
    )
    if claimed != 1:
        raise ValidationError("This request is no longer open.")
    request.refresh_from_db()
    return request


@dataclass
class EntryInput:
    person_id: int
    nothing_known: bool = False
    source_system: str = ""
    information_date: date | None = None
    summary: str = ""
    detail: str = ""
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    handling_conditions: str = ""
    security_marking: str = "official_sensitive"


def _entry(request: InformationRequest, by, data: EntryInput, *, addendum_reason: str = "") -> ResponseEntry:
    subject_ids = set(request.referral.subjects.values_list("person_id", flat=True))
    if data.person_id not in subject_ids:
        raise ValidationError({"person": "Choose one of the referral's subjects."})
    errors = (
        {} if data.nothing_known else grading_errors(data, police=request.agency.kind == AgencyKind.POLICE)
    )
    if errors:
        raise ValidationError(errors)
    entry = ResponseEntry(
        request=request,
        person_id=data.person_id,
        nothing_known=data.nothing_known,
        source_system=data.source_system.strip(),
        information_date=data.information_date,
        summary=data.summary.strip(),
        detail=data.detail.strip(),
        source_evaluation=data.source_evaluation,
        intelligence_assessment=data.intelligence_assessment,
        handling_code=data.handling_code,
        handling_conditions=data.handling_conditions.strip(),
        security_marking=data.security_marking,
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
    request = _locked_request(request, expected_version)
    if not _may_answer(by, request):
        raise RoleRefused("Only a researcher of the agency asked may answer this request.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("The answer has been submitted: add an addendum instead.")
    entry = _entry(request, by, data)
    bump(request)
    return entry


@transaction.atomic
def response_entry_remove(*, entry: ResponseEntry, by, expected_version: int | None = None) -> None:
    request = _locked_request(entry.request, expected_version)
    if not _may_answer(by, request):
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
    request = _locked_request(request, expected_version)
    if not _may_answer(by, request):
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
    _event(referral, by=by, note=f"{request.agency.name} answered")
    notify(
        recipients=_lead_practitioners(referral),
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
    request = _locked_request(request)
    if not _may_answer(by, request):
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
    _event(referral, by=by, note=f"{request.agency.name} added to its answer: {reason.strip()}")
    notify(
        recipients=_lead_practitioners(referral),
        event="information_request.addendum",
        idempotency_key=f"response_entry:{entry.pk}:addendum",
        title=f"{request.agency.name} added to its answer about {referral.reference}",
        body=reason.strip(),
        url=reverse("referrals:collation", args=[referral.pk]),
        subject=referral,
    )
    return entry


@transaction.atomic
def information_request_withdraw(*, request: InformationRequest, by, reason: str) -> InformationRequest:
    """Withdraw a request: the agency loses sight of it (and of the referral, unless asked again)."""
    request = _locked_request(request)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may withdraw a request.")
    if request.status == RequestStatus.WITHDRAWN:
        raise ValidationError("This request has already been withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is withdrawn."})
    now = timezone.now()
    bump(
        request,
        status=RequestStatus.WITHDRAWN,
        withdrawn_at=now,
        withdrawn_by=by,
        withdrawal_reason=reason.strip(),
    )
    clock_stop(clock=request.clock, stopped_at=now)
    referral = request.referral
    revoke_view(obj=request, agency=request.agency)
    if (
        not referral.information_requests.filter(agency=request.agency)
        .exclude(status=RequestStatus.WITHDRAWN)
        .exists()
    ):
        revoke_view(obj=referral, agency=request.agency)
    # A person's grant is shared by every referral they are in: keep it while the agency is still
    # asked (a live request) about any referral naming them.
    still_asked = set(
        InformationRequest.objects.filter(agency=request.agency)
        .exclude(status=RequestStatus.WITHDRAWN)
        .values_list("referral__subjects__person_id", flat=True)
    )
    for link in referral.subjects.select_related("person"):
        if link.person_id not in still_asked:
            revoke_view(obj=link.person, agency=request.agency)
    _event(referral, by=by, note=f"Request to {request.agency.name} withdrawn: {reason.strip()}")
    _advance_if_all_answered(Referral.objects.select_for_update().get(pk=referral.pk), now)
    notify(
        recipients=_researchers(request.agency_id),
        event="information_request.withdrawn",
        idempotency_key=f"information_request:{request.pk}:withdrawn",
        title=f"Request withdrawn: {referral.reference}",
        body=f"The MASH no longer needs {request.agency.name}'s answer: {reason.strip()}",
        url="/inbox/",
        subject=request,
    )
    request.refresh_from_db()
    return request


def _elapsed_fraction(clock: Clock, now, calendar: Calendar) -> float:
    total = time_between(clock, clock.started_at, clock.due_at, calendar=calendar).total_seconds()
    done = time_between(clock, clock.started_at, now, calendar=calendar).total_seconds()
    return 1.0 if total <= 0 else done / total


def send_reminders_and_escalations(*, now=None) -> tuple[int, int]:
    """Beat task: remind at 75% of the time, escalate at breach. Each is sent once: a request is
    claimed with a conditional update before anything is written for it (``notify_once``)."""
    now = now or timezone.now()
    calendar = Calendar()
    open_requests = InformationRequest.objects.filter(status=RequestStatus.OPEN).select_related(
        "clock", "referral", "agency", "assigned_to"
    )

    def escalation(request) -> dict:
        Clock.objects.filter(pk=request.clock_id, breached_at__isnull=True).update(breached_at=now)
        managers = list(members_with_role(request.agency_id, Role.DECISION_MAKER)) + list(
            members_with_role(request.agency_id, Role.MASH_MANAGER)
        )
        return {
            "recipients": list({u.pk: u for u in managers}.values()),
            "event": "information_request.escalated",
            "idempotency_key": f"information_request:{request.pk}:escalated",
            "title": f"Overdue: {request.agency.name}'s answer about {request.referral.reference}",
            "body": f"The answer was due {timezone.localtime(request.clock.due_at):%a %d %b %H:%M} "
            "and has not been submitted.",
            "url": _request_url(request),
            "subject": request,
        }

    def reminder(request) -> dict:
        return {
            "recipients": [request.assigned_to]
            if request.assigned_to_id
            else _researchers(request.agency_id),
            "event": "information_request.reminder",
            "idempotency_key": f"information_request:{request.pk}:reminder",
            "title": f"Reminder: answer due about {request.referral.reference}",
            "body": f"Due {timezone.localtime(request.clock.due_at):%a %d %b %H:%M}.",
            "url": _request_url(request),
            "subject": request,
        }

    overdue = open_requests.filter(escalated_at__isnull=True, clock__due_at__lte=now)
    escalated = notify_once(overdue, mark="escalated_at", now=now, notice=escalation)
    running = open_requests.filter(
        reminder_sent_at__isnull=True, escalated_at__isnull=True, clock__due_at__gt=now
    )
    late_enough = (r for r in running if _elapsed_fraction(r.clock, now, calendar) >= REMINDER_FRACTION)
    reminded = notify_once(late_enough, mark="reminder_sent_at", now=now, notice=reminder)
    return reminded, escalated
