"""Referrals made the way the system makes them: through the services, never by saving a model."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mash.clocks.calendar import Calendar
from referrals import services
from referrals.models import Rag, ReferralKind, State
from referrals.services import SubjectInput

LONDON = ZoneInfo("Europe/London")
REFERRER_EMAIL = "dsl@orwell-primary.example"


def at(*args) -> datetime:
    """A fixed local time in London: at(2026, 11, 20, 15, 0)."""
    return datetime(*args, tzinfo=LONDON)


def working_days_ago(days: int) -> datetime:
    """10:00 on the working day ``days`` working days before today (the real calendar)."""
    calendar = Calendar()
    day = timezone.localtime(timezone.now(), LONDON).date()
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return datetime.combine(day, time(10, 0), tzinfo=LONDON)


def new_subject(**fields) -> SubjectInput:
    """The details of a person not yet on the system."""
    values = {"given_name": "Jayden", "family_name": "Smith", "date_of_birth": date(2017, 3, 14)}
    values.update(fields)
    return SubjectInput(**values)


def referral_fields(**overrides) -> dict:
    fields = {
        "kind": ReferralKind.CHILD,
        "channel": "marf",
        "referrer_name": "Mrs Joan Price",
        "referrer_organisation": "Orwell Primary School",
        "referrer_role": "Designated safeguarding lead",
        "referrer_email": REFERRER_EMAIL,
        "account": "Jayden arrived with bruising to his upper arm and said mum's boyfriend grabbed him.",
        "concerns": ["physical"],
        "consent": "given",
    }
    fields.update(overrides)
    return fields


def make_referral(*, by, person=None, subjects=None, **overrides):
    """A referral through ``referral_create``: about ``person``, or a new person by default."""
    if subjects is None:
        subjects = [SubjectInput(person=person)] if person is not None else [new_subject()]
    return services.referral_create(by=by, subjects=subjects, **referral_fields(**overrides))


def outcome_for(kind: str) -> str:
    return "s42_enquiry" if kind == ReferralKind.ADULT else "early_help"


def move_to(referral, state: str, *, cast):
    """Walk ``referral`` along the usual path to ``state``, each step through its service.

    Information gathering is reached with a Red rating; decided and closed by way of awaiting a
    threshold decision.
    """
    path = {
        State.RECEIVED: [],
        State.SCREENING: [State.SCREENING],
        State.INFORMATION_GATHERING: [State.SCREENING, State.INFORMATION_GATHERING],
        State.AWAITING_THRESHOLD_DECISION: [State.SCREENING, State.AWAITING_THRESHOLD_DECISION],
        State.STRATEGY_DISCUSSION: [
            State.SCREENING,
            State.AWAITING_THRESHOLD_DECISION,
            State.STRATEGY_DISCUSSION,
        ],
        State.DECIDED: [State.SCREENING, State.AWAITING_THRESHOLD_DECISION, State.DECIDED],
        State.CLOSED: [State.SCREENING, State.AWAITING_THRESHOLD_DECISION, State.DECIDED, State.CLOSED],
    }[State(state)]
    for step in path:
        if step == State.INFORMATION_GATHERING:
            services.referral_rate(
                referral=referral, by=cast.triage, rating=Rag.RED, rationale="Bruising on a child of 9."
            )
        if step == State.DECIDED:
            services.referral_record_outcome(
                referral=referral,
                by=cast.decision_maker,
                outcome=outcome_for(referral.kind),
                rationale="Needs are met by support.",
            )
        elif step == State.STRATEGY_DISCUSSION:
            services.referral_refer_to_strategy(
                referral=referral,
                by=cast.decision_maker,
                note="Reasonable cause to suspect significant harm.",
            )
        elif step == State.CLOSED:
            services.referral_close(referral=referral, by=cast.triage, feedback_note="Told by phone.")
        else:
            services.referral_transition(
                referral=referral, by=cast.triage, to_state=step, note="No partner information needed."
            )
    referral.refresh_from_db()
    return referral
