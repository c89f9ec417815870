"""Referrals and consultations for the page tests, made through the services as the pages make them."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mash.clocks.calendar import Calendar
from mash.sharing.models import AccessAction, AccessLog
from referrals import services
from referrals.models import State
from referrals.services import SubjectInput

LONDON = ZoneInfo("Europe/London")
REFERRER_EMAIL = "dsl@oak-primary.example"
REFERRER_PHONE = "01632 960123"


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
    values = {"given_name": "Ann", "family_name": "Lee", "date_of_birth": date(2016, 4, 1)}
    values.update(fields)
    return SubjectInput(**values)


def make_referral(cast, *, subjects=None, **overrides):
    """A child referral recorded by the triage practitioner, about a new person unless told."""
    fields = {
        "kind": "child",
        "channel": "phone",
        "referrer_name": "Pat Price",
        "referrer_organisation": "Oak Primary School",
        "referrer_role": "Designated safeguarding lead",
        "referrer_email": REFERRER_EMAIL,
        "referrer_phone": REFERRER_PHONE,
        "account": "Ann came to school with bruising to her arm.",
        "concerns": ["physical"],
        "consent": "given",
    }
    fields.update(overrides)
    return services.referral_create(by=cast.triage, subjects=subjects or [new_subject()], **fields)


# The path a referral takes through the services, one step at a time.
def _screen(referral, cast):
    return services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)


def _gather(referral, cast):
    if not referral.rag:
        referral = services.referral_rate(
            referral=referral, by=cast.triage, rating="amber", rationale="Bruising"
        )
    return services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING
    )


def _await(referral, cast):
    return services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION
    )


def _decide(referral, cast):
    outcome = "nfa"
    return services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome=outcome, rationale="Explained by a fall."
    )


def _close(referral, cast):
    return services.referral_close(referral=referral, by=cast.triage, feedback_note="Phoned the referrer.")


PATH = [
    (State.SCREENING, _screen),
    (State.INFORMATION_GATHERING, _gather),
    (State.AWAITING_THRESHOLD_DECISION, _await),
    (State.DECIDED, _decide),
    (State.CLOSED, _close),
]


def move_to(referral, state: str, cast):
    """Walk a received referral along the usual path until it reaches ``state``."""
    if state == State.RECEIVED:
        return referral
    for target, step in PATH:
        referral = step(referral, cast)
        if target == state:
            referral.refresh_from_db()
            return referral
    raise ValueError(state)


def make_consultation(cast, **overrides):
    fields = {
        "caller_name": "Dr Rowan Hale",
        "caller_organisation": "Elm Surgery",
        "caller_phone": "01632 960999",
        "caller_email": "rowan.hale@elm-surgery.example",
        "question": "A mother said her partner hits the children. Should I refer?",
        "advice": "Yes: refer today, and do not tell the partner.",
        "anonymous_description": "girl, 7",
        "referral_advised": True,
    }
    fields.update(overrides)
    return services.consultation_create(by=cast.triage, **fields)


def intake_data(subjects=None, **overrides) -> dict:
    """A valid intake form post; ``subjects`` is a list of dicts, one per row (field: value)."""
    if subjects is None:
        subjects = [{"given_name": "Ann", "family_name": "Lee", "date_of_birth": "2016-04-01"}]
    data = {
        "kind": "child",
        "received_at": "",
        "channel": "phone",
        "referrer_name": "Pat Price",
        "referrer_organisation": "Oak Primary School",
        "referrer_email": REFERRER_EMAIL,
        "referrer_phone": REFERRER_PHONE,
        "concerns": ["physical", "neglect"],
        "account": "Ann came to school with bruising to her arm.",
        "consent": "given",
        "consent_reason": "",
        "subjects-TOTAL_FORMS": str(len(subjects)),
        "subjects-INITIAL_FORMS": "0",
        "subjects-MIN_NUM_FORMS": "0",
        "subjects-MAX_NUM_FORMS": "12",
    }
    for index, row in enumerate(subjects):
        values = {"role": "subject", "gender": "unknown", "person": ""}
        values.update(row)
        for field, value in values.items():
            data[f"subjects-{index}-{field}"] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def access_rows(user, obj, action: str) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


def views_of(user, obj) -> int:
    return access_rows(user, obj, AccessAction.VIEW)


def snapshot(referral) -> dict:
    """What an action could change on a referral, to compare before and after."""
    referral.refresh_from_db()
    return {
        "version": referral.version,
        "state": referral.state,
        "rag": referral.rag,
        "assigned_to": referral.assigned_to_id,
        "outcome": referral.outcome,
        "closed_at": referral.closed_at,
        "events": referral.timeline.count(),
        "ratings": referral.rag_history.count(),
    }
