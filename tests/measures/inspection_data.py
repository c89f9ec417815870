"""Known data for the inspection lists' tests: contacts and referrals in, before and after a period, and
section 47 enquiries with their findings and conferences, each made through the services (times older
than the services let anyone backdate are then moved with a plain update, as a year-old record would be)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mash.clocks.models import Clock
from mash.measures import periods
from referrals import services as referral_services
from referrals.models import Referral, State
from referrals.services import SubjectInput
from strategy import services
from strategy.models import Attendance, Decision, Mode, StrategyDiscussion, SubjectDecision
from tests.factories import PersonFactory
from tests.referrals.factories import make_referral, move_to, new_subject
from tests.strategy.support import every_child

LONDON = ZoneInfo("Europe/London")
PLANTED = "=cmd|' /C calc'!A0"


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def months_before(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 - months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1, day=min(moment.day, 28))


def contact(cast, people, received_at, *, outcome="", **fields) -> Referral:
    """A child referral about ``people`` received at ``received_at``, with ``outcome`` recorded (none: it
    is still being screened)."""
    now = timezone.now()
    backdated = received_at < now - timedelta(days=360)
    referral = make_referral(
        by=cast.triage,
        subjects=[SubjectInput(person=person) for person in people],
        received_at=now - timedelta(days=300) if backdated else received_at,
        **fields,
    )
    if outcome:
        move_to(referral, State.AWAITING_THRESHOLD_DECISION, cast=cast)
        referral_services.referral_record_outcome(
            referral=referral, by=cast.decision_maker, outcome=outcome, rationale="Decided on the facts."
        )
    if backdated:
        Referral.objects.filter(pk=referral.pk).update(received_at=received_at)
    referral.refresh_from_db()
    return referral


@dataclass
class Contacts:
    period: periods.Period
    jayden: object
    amy: object
    first: Referral  # Jayden and Amy, 5 days into the period: a referral (assessment)
    second: Referral  # Jayden, 10 days in: a police notification ending in no further action
    last: Referral  # Amy, the last minute of the period: not decided yet
    jayden_dob: date


def contacts(cast) -> Contacts:
    today = timezone.localdate()
    since, until = today - timedelta(days=60), today - timedelta(days=31)
    period = periods.period_of(periods.DATES, since, until)
    first_day = since + timedelta(days=5)
    # Nine years old the day after the first contact: 8 at it, 9 at the second.
    jayden_dob = date(first_day.year - 9, first_day.month, first_day.day) + timedelta(days=1)
    jayden = PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=jayden_dob, gender="male")
    amy = PersonFactory(
        given_name="Amy", family_name="Smith", date_of_birth=None, approximate_age=5, gender="female"
    )
    first_at = local(first_day)
    first = contact(
        cast,
        [jayden, amy],
        first_at,
        outcome="s17_assessment",
        referrer_organisation=PLANTED,
        assigned_to=cast.triage,
    )
    second = contact(
        cast,
        [jayden],
        local(since + timedelta(days=10), 9),
        outcome="nfa",
        channel="police_notification",
        referrer_organisation="",
    )
    last = contact(cast, [amy], local(until, 23, 59))
    # Jayden's earlier contacts: three referrals in the twelve months (365 days) before the first (one the
    # evening before the period, one exactly 365 days before), a contact that was not a referral, and
    # referrals a minute more than 365 days and thirteen months before.
    contact(cast, [jayden], local(since - timedelta(days=1), 23, 30), outcome="s17_assessment")
    contact(cast, [jayden], first_at - timedelta(days=300), outcome="immediate_protection")
    contact(cast, [jayden], first_at - timedelta(days=20), outcome="early_help")
    contact(cast, [jayden], first_at - timedelta(days=365), outcome="s17_assessment")
    contact(cast, [jayden], first_at - timedelta(days=365, minutes=1), outcome="s17_assessment")
    contact(cast, [jayden], months_before(first_at, 13), outcome="s17_assessment")
    # After the period: not listed, and not before the first.
    contact(cast, [jayden], local(until + timedelta(days=1)), outcome="s17_assessment")
    # An adult referral in the period: not children's services' contact.
    adult = new_subject(given_name="Margaret", family_name="Jones", date_of_birth=date(1950, 1, 1))
    make_referral(
        by=cast.triage, subjects=[adult], kind="adult", received_at=local(since + timedelta(days=2))
    )
    return Contacts(period, jayden, amy, first, second, last, jayden_dob)


def enquiry(cast, person, *, decision=Decision.S47_JOINT, finding="", conference=False, sign_off=True):
    """A referral about ``person`` taken through a threshold decision to a strategy discussion held a
    minute ago that decides ``decision`` for them; signed off, with ``finding`` and the conference held
    when asked."""
    now = timezone.now()
    referral = make_referral(by=cast.triage, person=person, received_at=now - timedelta(hours=2))
    move_to(referral, State.AWAITING_THRESHOLD_DECISION, cast=cast)
    services.threshold_decide(
        referral=referral,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect harm.",
    )
    discussion = services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=(now - timedelta(minutes=1)).replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        location="Teams",
        chair=cast.decision_maker,
        invitees=[services.Invitee(agency=cast.police, user=cast.police_decision_maker)],
    )
    attendance = {pk: Attendance.ATTENDED for pk in discussion.invitations.values_list("pk", flat=True)}
    services.attendance_record(discussion=discussion, by=cast.decision_maker, attendance=attendance)
    services.record_update(
        discussion=discussion, by=cast.decision_maker, notes="Discussed.", rationale="Harm."
    )
    services.decisions_record(
        discussion=discussion, by=cast.decision_maker, decisions=every_child(discussion, decision, "Agreed.")
    )
    if sign_off:
        services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
    subject_decision = SubjectDecision.objects.get(discussion=discussion, person=person)
    if finding:
        subject_decision = services.finding_record(
            decision=subject_decision, by=cast.decision_maker, finding=finding
        )
    if conference:
        services.conference_held(decision=subject_decision, by=cast.decision_maker, held_at=timezone.now())
    subject_decision.refresh_from_db()
    return subject_decision


def move_enquiry(subject_decision, held_at: datetime, conference_at: datetime | None = None) -> None:
    """Move an enquiry's strategy discussion (and its conference) back in time."""
    StrategyDiscussion.objects.filter(pk=subject_decision.discussion_id).update(scheduled_at=held_at)
    if conference_at is not None:
        Clock.objects.filter(pk=subject_decision.conference_clock_id).update(
            started_at=held_at, stopped_at=conference_at
        )
