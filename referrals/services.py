"""Every write to a referral or a consultation. States move only through here: _move(), by TRANSITIONS."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start, clock_stop
from mash.common.backdating import recorded_time_error
from mash.common.errors import RoleRefused
from mash.common.versioning import lock_for_change, save_change
from mash.notifications.services import notify_address
from mash.people.models import Person
from mash.people.services import PersonChoice, person_resolve
from referrals import policy as referral_policy
from referrals.models import (
    ADULT_OUTCOMES,
    CHILD_OUTCOMES,
    Channel,
    Concern,
    Consent,
    Consultation,
    EventKind,
    RagRating,
    ReferenceCounter,
    Referral,
    ReferralKind,
    ReferralSubject,
    RequestStatus,
    State,
    SubjectRole,
    TimelineEvent,
)

DECISION_CLOCK = "referral decision"
DECISION_WORKING_DAYS = 1  # Working Together 2023: decide next steps within one working day


@dataclass(frozen=True)
class Move:
    """One allowed move of a referral's state: what it means (the timeline's note when the service gives
    none) and the services that make it (by name: each is a function of this module)."""

    note: str
    services: tuple[str, ...]


# The allowed transitions, in one place: (from, to) -> what the move means and which services make it.
# Every change of state goes through _move(), which refuses a move, or a service, not named here.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (State.RECEIVED, State.SCREENING): Move("Screening started", ("referral_transition",)),
    (State.SCREENING, State.INFORMATION_GATHERING): Move(
        "Partner information requested", ("referral_transition",)
    ),
    (State.SCREENING, State.AWAITING_THRESHOLD_DECISION): Move(
        "Ready for decision without partner information", ("referral_transition",)
    ),
    (State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION): Move(
        "Information collated", ("referral_transition", "referral_all_partners_answered")
    ),
    (State.SCREENING, State.DECIDED): Move("Outcome recorded at screening", ("referral_record_outcome",)),
    (State.AWAITING_THRESHOLD_DECISION, State.DECIDED): Move(
        "Outcome recorded", ("referral_record_outcome",)
    ),
    (State.AWAITING_THRESHOLD_DECISION, State.STRATEGY_DISCUSSION): Move(
        "Strategy discussion required", ("referral_refer_to_strategy",)
    ),
    (State.STRATEGY_DISCUSSION, State.DECIDED): Move(
        "Decided at the strategy discussion", ("referral_record_strategy_outcome",)
    ),
    (State.DECIDED, State.CLOSED): Move("Closed", ("referral_close",)),
    (State.CLOSED, State.SCREENING): Move("Reopened", ("referral_reopen",)),
}
# Moves made by referral_transition(); the others carry more than a note and have their own service.
SIMPLE_TRANSITIONS = {move for move, row in TRANSITIONS.items() if "referral_transition" in row.services}
# Where a decision maker records the outcome by hand; from a strategy discussion the signed-off record
# sets it (referral_record_strategy_outcome), so the referral page does not offer it there.
MANUAL_OUTCOME_FROM = {
    from_state for (from_state, _), row in TRANSITIONS.items() if "referral_record_outcome" in row.services
}
# Moves that need a written reason.
NOTE_REQUIRED = {(State.SCREENING, State.AWAITING_THRESHOLD_DECISION)}
RATEABLE_STATES = {State.SCREENING, State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION}
DUPLICATE_WINDOW_DAYS = 30


def allowed_next_states(state: str) -> list[str]:
    """The simple moves open from ``state``, in the order of the flow."""
    return [to for to in State.values if (state, to) in SIMPLE_TRANSITIONS]


@dataclass(kw_only=True)
class SubjectInput(PersonChoice):
    """A subject of a new referral, in a role: a known person (or their id), or a new one's details."""

    role: str = SubjectRole.SUBJECT


def _next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"MASH-{year}-{counter.last:06d}"


def timeline_add(referral, *, by, kind, note="", from_state="", to_state="", at=None) -> TimelineEvent:
    """Add an event to a referral's timeline (also used by the strategy app)."""
    return TimelineEvent.objects.create(
        referral=referral,
        at=at or timezone.now(),
        by=by,
        kind=kind,
        note=note,
        from_state=from_state,
        to_state=to_state,
    )


_event = timeline_add


def _move(
    referral: Referral,
    to_state: str,
    *,
    by,
    service: str,
    fields: tuple[str, ...] = (),
    kind: str = EventKind.TRANSITION,
    note: str = "",
    at: datetime | None = None,
) -> TimelineEvent:
    """The one step that changes a referral's state, for every service that does: the move must be one
    of TRANSITIONS and ``service`` one of the services its row names. Sets the state, saves it (with
    the other changed ``fields``) validated and with the version bumped, and writes the timeline event,
    with the move's meaning from TRANSITIONS unless a ``note`` is given. The referral is locked by the
    caller (lock_for_change), which has already refused, in the user's words, what it does not allow."""
    from_state = referral.state
    row = TRANSITIONS.get((from_state, to_state))
    if row is None or service not in row.services:
        raise ValidationError(
            f"{service} cannot move a referral from {State(from_state).label.lower()} to "
            + (State(to_state).label.lower() if to_state in State.values else repr(to_state))
            + "."
        )
    referral.state = to_state
    save_change(referral, ["state", *fields])
    return _event(
        referral,
        by=by,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note.strip() or row.note,
        at=at,
    )


def _validate_concerns(concerns: list[str]) -> list[str]:
    unknown = set(concerns) - set(Concern.values)
    if not concerns:
        raise ValidationError({"concerns": "Choose at least one concern category."})
    if unknown:
        raise ValidationError({"concerns": f"Unknown concern categories: {', '.join(sorted(unknown))}."})
    return [c for c in Concern.values if c in set(concerns)]  # stored in a stable order


def _validate_consent(consent: str, reason: str, decided_by: str) -> None:
    if consent in (Consent.NOT_SOUGHT, Consent.OVERRIDDEN) and not reason.strip():
        raise ValidationError({"consent_reason": "Say why consent was not sought or was overridden."})
    if consent == Consent.OVERRIDDEN and not decided_by.strip():
        raise ValidationError({"consent_decided_by": "Say who decided to override consent."})


@transaction.atomic
def referral_create(
    *,
    by,
    kind: str,
    channel: str,
    referrer_name: str,
    account: str,
    concerns: list[str],
    consent: str,
    subjects: list[SubjectInput],
    received_at: datetime | None = None,
    referrer_organisation: str = "",
    referrer_role: str = "",
    referrer_email: str = "",
    referrer_phone: str = "",
    referrer_relationship: str = "",
    consent_reason: str = "",
    consent_decided_by: str = "",
    adult_wishes: str = "",
    assigned_to=None,
) -> Referral:
    """Record a referral with its subjects (existing people or new ones) and start its decision clock."""
    if not referral_policy.may_record_referrals(actor_for(by)) and not (
        channel == Channel.POLICE_NOTIFICATION and referral_policy.may_send_police_notification(actor_for(by))
    ):
        raise RoleRefused("Only the lead agency's triage team may record referrals.")
    # The known people named are checked first (one the user may not see is refused as one who does
    # not exist); new people are made once the referral is found valid.
    subjects = [
        replace(subject, person=person_resolve(by=by, choice=subject, prefix=f"subjects-{index}-"))
        if subject.person is not None
        else subject
        for index, subject in enumerate(subjects)
    ]
    now = timezone.now()
    received_at = received_at or now
    if error := recorded_time_error(received_at, the="The time received", now=now):
        raise ValidationError({"received_at": error})
    concerns = _validate_concerns(concerns)
    _validate_consent(consent, consent_reason, consent_decided_by)
    if not subjects:
        raise ValidationError({"subjects": "Add at least one person."})
    if not any(s.role == SubjectRole.SUBJECT for s in subjects):
        raise ValidationError({"subjects": "At least one person must be the subject of the referral."})
    for index, subject in enumerate(subjects):
        if subject.role not in SubjectRole.values:
            raise ValidationError(
                {f"subjects-{index}-role": f"{subject.role!r} is not a role in a referral."}
            )
    if assigned_to is not None and not referral_policy.may_triage(actor_for(assigned_to)):
        raise ValidationError(
            {"assigned_to": "Assign the referral to a triage practitioner of the lead agency."}
        )

    clock = clock_start(
        kind=DECISION_CLOCK,
        basis=ClockBasis.WORKING_DAYS,
        amount=DECISION_WORKING_DAYS,
        started_at=received_at,
    )
    referral = Referral(
        reference=_next_reference(timezone.localtime(received_at).year),
        kind=kind,
        received_at=received_at,
        channel=channel,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_role=referrer_role.strip(),
        referrer_email=referrer_email.strip(),
        referrer_phone=referrer_phone.strip(),
        referrer_relationship=referrer_relationship.strip(),
        concerns=concerns,
        account=account.strip(),
        consent=consent,
        consent_reason=consent_reason.strip(),
        consent_decided_by=consent_decided_by.strip(),
        adult_wishes=adult_wishes.strip(),
        recorded_by=by,
        assigned_to=assigned_to,
        decision_clock=clock,
        decision_due_at=clock.due_at,
    )
    referral.full_clean()
    referral.save()

    seen: set[int] = set()
    for index, subject in enumerate(subjects):
        person = person_resolve(by=by, choice=subject, prefix=f"subjects-{index}-")
        if person.pk in seen:
            raise ValidationError({f"subjects-{index}-person": f"{person} is already in this referral."})
        seen.add(person.pk)
        ReferralSubject.objects.create(referral=referral, person=person, role=subject.role)

    _event(
        referral,
        by=by,
        kind=EventKind.RECEIVED,
        to_state=State.RECEIVED,
        at=received_at,
        note=f"Received by {referral.get_channel_display().lower()} from {referral.referrer_name}",
    )
    return referral


@transaction.atomic
def referral_transition(
    *, referral: Referral, by, to_state: str, note: str = "", expected_version: int | None = None
) -> Referral:
    """Move a referral along one of the simple transitions (see TRANSITIONS)."""
    referral = lock_for_change(referral, expected_version)
    move = (referral.state, to_state)
    if move not in SIMPLE_TRANSITIONS:
        raise ValidationError(
            {
                "to_state": f"A referral cannot move from {State(referral.state).label.lower()} to "
                + (State(to_state).label.lower() if to_state in State.values else repr(to_state))
                + "."
            }
        )
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may move a referral.")
    if move in NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": "Say why no partner information is needed."})
    if (
        move == (State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION)
        and referral.information_requests.filter(status="open").exists()
        and not note.strip()
    ):
        raise ValidationError(
            {"note": "Some agencies have not answered yet: say why the decision cannot wait."}
        )
    if to_state == State.INFORMATION_GATHERING and not referral.rag:
        raise ValidationError({"to_state": "RAG-rate the referral before asking partners for information."})
    fields = ()
    if move == (State.RECEIVED, State.SCREENING) and referral.assigned_to_id is None:
        referral.assigned_to = by
        fields = ("assigned_to",)
    _move(referral, to_state, by=by, service="referral_transition", fields=fields, note=note)
    return referral


def partners_all_answered(referral: Referral) -> bool:
    """Whether a referral gathering information has no request still open and at least one answered."""
    requests = referral.information_requests
    return (
        referral.state == State.INFORMATION_GATHERING
        and not requests.filter(status=RequestStatus.OPEN).exists()
        and requests.filter(status=RequestStatus.ANSWERED).exists()
    )


@transaction.atomic
def referral_all_partners_answered(*, referral: Referral, at: datetime | None = None) -> Referral:
    """The system's move (by no one): every partner agency asked has answered (or been withdrawn, with
    one answer at least), so the referral is ready for the threshold decision."""
    referral = lock_for_change(referral)
    if not partners_all_answered(referral):
        raise ValidationError("The referral is not waiting for partner agencies that have all answered.")
    _move(
        referral,
        State.AWAITING_THRESHOLD_DECISION,
        by=None,
        service="referral_all_partners_answered",
        note="Every partner agency has answered",
        at=at,
    )
    return referral


@transaction.atomic
def referral_rate(
    *, referral: Referral, by, rating: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """RAG-rate (or re-rate) a referral. Every rating keeps the one before and needs a rationale."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may RAG-rate a referral.")
    if referral.state not in RATEABLE_STATES:
        raise ValidationError(f"A {State(referral.state).label.lower()} referral cannot be RAG-rated.")
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale for this rating."})
    if rating == referral.rag:
        raise ValidationError({"rating": f"The referral is already rated {referral.get_rag_display()}."})
    previous = referral.rag
    referral.rag, referral.rag_rationale = rating, rationale.strip()
    save_change(referral, ["rag", "rag_rationale"])
    RagRating.objects.create(
        referral=referral,
        rating=rating,
        previous=previous,
        rationale=rationale.strip(),
        at=timezone.now(),
        by=by,
    )
    label = referral.get_rag_display()
    _event(
        referral,
        by=by,
        kind=EventKind.RAG,
        note=(
            f"Re-rated {Referral(rag=previous).get_rag_display()} to {label}"
            if previous
            else f"Rated {label}"
        )
        + f": {rationale.strip()}",
    )
    return referral


@transaction.atomic
def referral_assign(*, referral: Referral, by, assignee, expected_version: int | None = None) -> Referral:
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may assign referrals.")
    if assignee is not None and not referral_policy.may_triage(actor_for(assignee)):
        raise ValidationError(
            {"assignee": "Assign the referral to a triage practitioner of the lead agency."}
        )
    referral.assigned_to = assignee
    save_change(referral, ["assigned_to"])
    _event(
        referral,
        by=by,
        kind=EventKind.ASSIGNED,
        note=f"Assigned to {assignee.get_full_name() or assignee}" if assignee else "Unassigned",
    )
    return referral


def outcomes_for(kind: str) -> tuple:
    return ADULT_OUTCOMES if kind == ReferralKind.ADULT else CHILD_OUTCOMES


def _decide(referral: Referral, *, by, outcome: str, rationale: str, service: str) -> None:
    """Record the outcome on a locked referral that may take it: the move to decided, and the decision
    clock stops."""
    if outcome not in outcomes_for(referral.kind):
        raise ValidationError(
            {
                "outcome": "Choose one of the outcomes for "
                f"{'an adult' if referral.kind == ReferralKind.ADULT else 'a child'} referral."
            }
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale for the outcome."})
    now = timezone.now()
    referral.outcome, referral.outcome_rationale = outcome, rationale.strip()
    referral.outcome_at, referral.outcome_by = now, by
    _move(
        referral,
        State.DECIDED,
        by=by,
        service=service,
        fields=("outcome", "outcome_rationale", "outcome_at", "outcome_by"),
        kind=EventKind.OUTCOME,
        note=f"{referral.get_outcome_display()}: {rationale.strip()}",
    )
    clock_stop(clock=referral.decision_clock, stopped_at=now)


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, by, outcome: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """The MASH decision: the outcome and its rationale. Stops the decision clock.

    A referral at a strategy discussion gets its outcome when the discussion's record is signed off
    (referral_record_strategy_outcome), never by hand.
    """
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_decide_outcome(actor_for(by)):
        raise RoleRefused("Only the lead agency's decision makers may record the outcome.")
    if referral.state not in MANUAL_OUTCOME_FROM:
        if referral.state == State.STRATEGY_DISCUSSION:
            raise ValidationError(
                "This referral is at a strategy discussion: its outcome is recorded when the "
                "discussion's record is signed off."
            )
        raise ValidationError(
            f"An outcome cannot be recorded on a {State(referral.state).label.lower()} referral."
        )
    _decide(referral, by=by, outcome=outcome, rationale=rationale, service="referral_record_outcome")
    return referral


@transaction.atomic
def referral_record_strategy_outcome(
    *, referral: Referral, by, outcome: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """The outcome set by a strategy discussion's signed-off record (strategy.services). Who may sign
    off is the strategy policy's rule, checked there: the signing chair may be a police decision maker."""
    referral = lock_for_change(referral, expected_version)
    if referral.state != State.STRATEGY_DISCUSSION:
        raise ValidationError(
            f"A {State(referral.state).label.lower()} referral is not at a strategy discussion: "
            "no discussion's record can decide it."
        )
    _decide(referral, by=by, outcome=outcome, rationale=rationale, service="referral_record_strategy_outcome")
    return referral


FEEDBACK_EXPLANATIONS = {
    "nfa": "The MASH has decided that no further action is needed from children's or adult services "
    "at this time.",
    "information_advice": "The MASH has given information and advice; no further statutory action is "
    "planned.",
    "early_help": "The family will be offered early help support.",
    "s17_assessment": "A social worker will carry out a child and family assessment.",
    "strategy_discussion": "A strategy discussion will be held with partner agencies.",
    "immediate_protection": "Action has been taken to protect the child immediately.",
    "s42_enquiry": "An enquiry under section 42 of the Care Act 2014 will be made.",
    "other_enquiry": "A safeguarding enquiry will be made.",
}


def feedback_message(referral: Referral) -> tuple[str, str]:
    """The referrer's feedback, composed from the outcome. It names no subject: e-mail is not secure."""
    subject = f"Your referral {referral.reference}"
    body = (
        f"Dear {referral.referrer_name},\n\n"
        f"Thank you for your referral {referral.reference}, received on "
        f"{timezone.localtime(referral.received_at):%d %B %Y}.\n\n"
        f"{FEEDBACK_EXPLANATIONS[referral.outcome]}\n\n"
        "If you have new concerns, or think this decision is wrong, please call the MASH and quote the "
        "reference.\n\n"
        "MASH triage team"
    )
    return subject, body


@transaction.atomic
def referral_close(
    *, referral: Referral, by, feedback_note: str = "", expected_version: int | None = None
) -> Referral:
    """Close a decided referral and tell the referrer: by e-mail through the outbox when we have their
    address, otherwise the practitioner records how they were told."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)) and not referral_policy.may_decide_outcome(
        actor_for(by)
    ):
        raise RoleRefused("Only the lead agency's triage team may close a referral.")
    if (referral.state, State.CLOSED) not in TRANSITIONS:
        raise ValidationError(
            f"Only a decided referral can be closed; this one is {State(referral.state).label.lower()}."
        )
    if not referral.referrer_email and not feedback_note.strip():
        raise ValidationError(
            {
                "feedback_note": "There is no e-mail address for the referrer: say how they were told "
                "the outcome."
            }
        )
    now = timezone.now()
    if referral.referrer_email:
        title, body = feedback_message(referral)
        notify_address(
            address=referral.referrer_email,
            event="referral.feedback",
            idempotency_key=f"referral:{referral.pk}:feedback:{referral.version}",
            title=title,
            body=body,
            subject=referral,
        )
        _event(
            referral,
            by=by,
            kind=EventKind.FEEDBACK,
            at=now,
            note=f"E-mailed to {referral.referrer_email}:\n\n{body}",
        )
    else:
        _event(referral, by=by, kind=EventKind.FEEDBACK, at=now, note=feedback_note.strip())
    referral.closed_at = now
    _move(referral, State.CLOSED, by=by, service="referral_close", fields=("closed_at",), at=now)
    return referral


@transaction.atomic
def referral_refer_to_strategy(*, referral: Referral, by, note: str, expected_version: int | None = None):
    """A Strategy Threshold Decision says a strategy discussion is required: the referral waits for it.
    The decision on next steps is made, so the referral's decision clock stops."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_decide_outcome(actor_for(by)):
        raise RoleRefused("Only the lead agency's decision makers may make the threshold decision.")
    if referral.state != State.AWAITING_THRESHOLD_DECISION:
        raise ValidationError(
            f"A {State(referral.state).label.lower()} referral is not awaiting a threshold decision."
        )
    now = timezone.now()
    _move(referral, State.STRATEGY_DISCUSSION, by=by, service="referral_refer_to_strategy", note=note, at=now)
    clock_stop(clock=referral.decision_clock, stopped_at=now)
    return referral


@transaction.atomic
def referral_reopen(*, referral: Referral, by, reason: str, expected_version: int | None = None) -> Referral:
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may reopen a referral.")
    if referral.state != State.CLOSED:
        raise ValidationError("Only a closed referral can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is being reopened."})
    referral.closed_at = None
    referral.outcome, referral.outcome_rationale, referral.outcome_at, referral.outcome_by = (
        "",
        "",
        None,
        None,
    )
    # A reopened referral needs a new decision, on a new one-working-day clock from now.
    referral.decision_clock = clock_start(
        kind=DECISION_CLOCK, basis=ClockBasis.WORKING_DAYS, amount=DECISION_WORKING_DAYS
    )
    referral.decision_due_at = referral.decision_clock.due_at
    _move(
        referral,
        State.SCREENING,
        by=by,
        service="referral_reopen",
        fields=(
            "closed_at",
            "outcome",
            "outcome_rationale",
            "outcome_at",
            "outcome_by",
            "decision_clock",
            "decision_due_at",
        ),
        kind=EventKind.REOPENED,
        note=reason.strip(),
    )
    return referral


@transaction.atomic
def consultation_create(
    *,
    by,
    caller_name: str,
    caller_organisation: str,
    question: str,
    advice: str,
    kind: str = ReferralKind.CHILD,
    called_at: datetime | None = None,
    caller_role: str = "",
    caller_phone: str = "",
    caller_email: str = "",
    person: Person | int | None = None,
    anonymous_description: str = "",
    referral_advised: bool = False,
) -> Consultation:
    if not referral_policy.may_record_referrals(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage team may log consultation calls.")
    if person is not None:
        person = person_resolve(by=by, choice=PersonChoice(person=person))
    called_at = called_at or timezone.now()
    if error := recorded_time_error(called_at, the="The time of the call"):
        raise ValidationError({"called_at": error})
    if person is None and not anonymous_description.strip():
        raise ValidationError({"anonymous_description": "Describe who was discussed, or choose the person."})
    consultation = Consultation(
        called_at=called_at,
        caller_name=caller_name.strip(),
        caller_organisation=caller_organisation.strip(),
        caller_role=caller_role.strip(),
        caller_phone=caller_phone.strip(),
        caller_email=caller_email.strip(),
        kind=kind,
        person=person,
        anonymous_description=anonymous_description.strip(),
        question=question.strip(),
        advice=advice.strip(),
        referral_advised=referral_advised,
        logged_by=by,
    )
    consultation.full_clean()
    consultation.save()
    return consultation


@transaction.atomic
def consultation_convert(
    *,
    consultation: Consultation,
    by,
    subjects: list[SubjectInput] | None = None,
    concerns: list[str] | None = None,
    consent: str = Consent.NOT_SOUGHT,
    consent_reason: str = "",
    consent_decided_by: str = "",
) -> Referral:
    """Turn a consultation call into a referral, carrying its details over. Once only."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.referral_id:
        raise ValidationError(f"This call already became referral {consultation.referral.reference}.")
    if subjects is None:
        if consultation.person is None:
            raise ValidationError(
                {"subjects": "The call was anonymous: add the person the referral is about."}
            )
        subjects = [SubjectInput(person=consultation.person)]
    referral = referral_create(
        by=by,
        kind=consultation.kind,
        channel="consultation",
        received_at=consultation.called_at,
        referrer_name=consultation.caller_name,
        referrer_organisation=consultation.caller_organisation,
        referrer_role=consultation.caller_role,
        referrer_phone=consultation.caller_phone,
        referrer_email=consultation.caller_email,
        account=f"{consultation.question}\n\nAdvice given on the consultation line: {consultation.advice}",
        concerns=concerns or ["other"],
        consent=consent,
        consent_reason=consent_reason
        or (
            ""
            if consent in (Consent.GIVEN, Consent.REFUSED)
            else "Consent to be sought at screening: referral made from a consultation call."
        ),
        consent_decided_by=consent_decided_by,
        subjects=subjects,
    )
    # The row is locked above, so this claims it once.
    updated = Consultation.objects.filter(pk=consultation.pk, referral__isnull=True).update(referral=referral)
    if updated != 1:
        raise ValidationError("This call already became a referral.")
    return referral
