"""The known data of the demand dashboard's tests: contacts from every source across January to March
2026, some accepted as referrals, consultation calls (one made a referral), repeat referrals of the same
person within and just outside 12 months. Made through the services, then moved to their dates (the
services take no time more than a year back, and stamp decisions with the time they are made)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mash.measures.periods import period_of
from referrals import services
from referrals.models import Consultation, Referral, State, SubjectRole
from referrals.services import SubjectInput
from tests.factories import PersonFactory
from tests.referrals.factories import make_referral

LONDON = ZoneInfo("Europe/London")
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
PARAMS = {"period": "dates", "since": FIRST.isoformat(), "until": LAST.isoformat()}


def at(*args) -> datetime:
    return datetime(*args, 10, 0, tzinfo=LONDON) if len(args) == 3 else datetime(*args, tzinfo=LONDON)


def period():
    return period_of("dates", FIRST, LAST)


@dataclass
class Demand:
    referrals: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)


def _contact(cast, channel, received, person, *, others=()):
    subjects = [SubjectInput(person=person), *[SubjectInput(person=p, role=role) for p, role in others]]
    referral = make_referral(by=cast.triage, channel=channel, subjects=subjects)
    Referral.objects.filter(pk=referral.pk).update(received_at=received)
    referral.refresh_from_db()
    return referral


def _decide(cast, referral, outcome, decided):
    services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING, note="Seen.")
    services.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note="No checks."
    )
    services.referral_record_outcome(
        referral=referral, by=cast.decision_maker, outcome=outcome, rationale="Seen."
    )
    Referral.objects.filter(pk=referral.pk).update(outcome_at=decided)


def _call(cast, called, *, advised=False, person=None):
    call = services.consultation_create(
        by=cast.triage,
        caller_name="Ms Dee Hale",
        caller_organisation="Orwell Primary School",
        question="A pupil keeps arriving hungry.",
        advice="Talk to the family; refer if it continues.",
        person=person,
        anonymous_description="" if person else "girl, 8, Year 3",
        referral_advised=advised,
    )
    Consultation.objects.filter(pk=call.pk).update(called_at=called)
    call.refresh_from_db()
    return call


def build(cast) -> Demand:
    people = {name: PersonFactory(given_name=name, family_name="Known") for name in "ABCDEFGH"}
    data = Demand()
    r = data.referrals
    # Before the period: E 364 days before r6 (a repeat), F 366 days before r7 (just outside: no repeat).
    r["old_e"] = _contact(cast, "email", at(2025, 3, 4), people["E"])
    r["old_f"] = _contact(cast, "phone", at(2025, 3, 8), people["F"])
    # In the period.
    r["r1"] = _contact(
        cast, "phone", at(2026, 1, 10), people["A"], others=[(people["B"], SubjectRole.SIBLING)]
    )
    r["r2"] = _contact(
        cast, "police_notification", at(2026, 1, 20), people["B"]
    )  # B a sibling before: no repeat
    r["r3"] = _contact(cast, "police_notification", at(2026, 2, 5), people["C"])
    r["r4"] = _contact(cast, "police_notification", at(2026, 2, 15), people["D"])
    r["r5"] = _contact(cast, "marf", at(2026, 2, 20), people["A"])  # A in r1: a repeat
    r["r6"] = _contact(cast, "email", at(2026, 3, 3), people["E"])  # a repeat (364 days)
    r["r7"] = _contact(cast, "marf", at(2026, 3, 9), people["F"])  # 366 days after old_f: not a repeat
    # After the period.
    r["late"] = _contact(cast, "phone", at(2026, 4, 5), people["A"])
    _decide(cast, r["old_e"], "nfa", at(2026, 1, 5))  # decided in the period, received before it
    _decide(cast, r["r1"], "s17_assessment", at(2026, 1, 11))
    _decide(cast, r["r2"], "nfa", at(2026, 1, 21))
    _decide(cast, r["r3"], "nfa", at(2026, 2, 6))
    _decide(cast, r["r4"], "strategy_discussion", at(2026, 2, 16))
    _decide(cast, r["r5"], "early_help", at(2026, 2, 21))
    _decide(cast, r["r7"], "immediate_protection", at(2026, 4, 2))  # decided after the period
    c = data.calls
    c["c1"] = _call(cast, at(2026, 3, 12), advised=True, person=people["G"])
    r["r8"] = services.consultation_convert(consultation=c["c1"], by=cast.triage)
    Referral.objects.filter(pk=r["r8"].pk).update(received_at=at(2026, 3, 12))
    c["c2"] = _call(cast, at(2026, 1, 15))
    c["c3"] = _call(cast, at(2026, 2, 10), advised=True)
    c["c4"] = _call(cast, at(2026, 2, 11))
    c["c0"] = _call(cast, at(2025, 12, 20), advised=True)  # before the period
    for item in (*r.values(), *c.values()):
        item.refresh_from_db()
    return data
