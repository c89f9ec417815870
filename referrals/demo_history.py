"""Demo history for seed_demo: the MASH's last five months, so that the measures (/measures/) have
months to compare, sources to break down and deadlines both met and missed.

Every record is made through the services at the time it happened (mash/common/demo_clock.py), so its
clocks, states, timeline and timestamps are real: about thirty contacts from every channel, each
screened, rated and decided (most within the working day, some late), a third of them with partner
agencies asked (most answers on time, some late, some 'nothing known', one with an addendum), a few
people referred again within the year, and the consultation line's calls, some of which became
referrals. Everything here is closed by now; the open work of today is referrals/demo.py's.
Deterministic: the same history, relative to today, at every run; idempotent.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.clocks.calendar import Calendar
from mash.common.demo_clock import at
from mash.notifications.models import Notification
from referrals import services
from referrals.models import Referral, State
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from referrals.services import SubjectInput

HISTORY_DAYS = 150
# The last fortnight is today's demo (referrals/demo.py): the history ends before it.
QUIET_DAYS = 15
CONTACTS = 32
CALLS = 9

# Channel -> (weight, the outcomes it tends to end in: weighted by repetition).
CHANNELS = {
    "police_notification": (12, ["nfa", "nfa", "nfa", "information_advice", "early_help", "s17_assessment"]),
    "marf": (10, ["s17_assessment", "s17_assessment", "early_help", "information_advice", "nfa"]),
    "phone": (8, ["information_advice", "early_help", "nfa", "s17_assessment", "immediate_protection"]),
    "email": (6, ["early_help", "information_advice", "nfa", "s17_assessment"]),
}
ADULT_OUTCOMES = ["s42_enquiry", "other_enquiry", "nfa"]
REFERRERS = {
    "police_notification": ("PC 2291 Ward", "Suffolk Constabulary"),
    "marf": ("Designated safeguarding lead", "Northgate High School"),
    "phone": ("Health visitor", "East Suffolk Community Health"),
    "email": ("Practice safeguarding lead", "Chantry Medical Practice"),
}
CONCERNS = ["neglect", "domestic_abuse", "emotional", "physical", "cce", "cse"]
GIVEN = ["Ava", "Noah", "Isla", "Leo", "Freya", "Oscar", "Poppy", "Theo", "Evie", "Alfie", "Ruby", "Finley"]
FAMILY = ["Turner", "Cooper", "Barker", "Fletcher", "Holt", "Mason", "Pryce", "Sutton", "Vaughan", "Quinn"]
RAGS = ["red", "amber", "amber", "green", "green"]


def load_demo_history(sender, users, stdout, **kwargs):
    now = timezone.now()
    if Referral.objects.filter(
        received_at__range=(now - timedelta(days=HISTORY_DAYS + 30), now - timedelta(days=QUIET_DAYS))
    ).exists():
        return
    agencies = {a.kind: a for a in Agency.objects.filter(is_active=True, is_lead=False).order_by("pk")}
    if AgencyKind.POLICE not in agencies or AgencyKind.HEALTH not in agencies:
        return
    first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    history = History(users, agencies, Calendar(), random.Random(18), timezone.localdate())
    history.contacts()
    history.consultations()
    # Demo data only: the history's messages were read at the time.
    Notification.objects.filter(pk__gt=first_notification, read_at__isnull=True).update(read_at=now)
    stdout.write(
        f"  Demo history: {history.made} contacts and {history.calls} consultation calls over the last "
        f"{HISTORY_DAYS} days, for the measures."
    )


class History:
    """Makes the history's records through the services, each step at its own time. The strategy app's
    history (strategy/demo_history.py) makes its threshold decisions by overriding ``decide``."""

    def __init__(self, users, agencies, calendar: Calendar, rng: random.Random, today: date):
        self.users, self.agencies, self.calendar, self.rng, self.today = users, agencies, calendar, rng, today
        self.triage, self.decision = users["triage"], users["la.decision"]
        self.people: list = []
        self.made = self.calls = 0

    # -- when ------------------------------------------------------------------------------------

    def _working_moment(self, days_ago: int) -> datetime:
        day = self.today - timedelta(days=days_ago)
        moment = datetime.combine(day, time(9 + self.rng.randrange(6), self.rng.randrange(60)))
        return self.calendar.working_start(timezone.make_aware(moment))

    # -- who -------------------------------------------------------------------------------------

    def _subject(self, index: int, kind: str) -> SubjectInput:
        """A new person, or (every tenth contact) someone referred before: a repeat referral."""
        if index % 10 == 9 and self.people:
            return SubjectInput(person=self.people[-5 if len(self.people) >= 5 else 0])
        given, family = GIVEN[index % len(GIVEN)], FAMILY[(index * 7) % len(FAMILY)]
        age = self.rng.randrange(70, 90) if kind == "adult" else self.rng.randrange(1, 17)
        born = date(self.today.year - age, self.today.month, min(self.today.day, 28))
        born -= timedelta(days=self.rng.randrange(300))
        return SubjectInput(given_name=given, family_name=family, date_of_birth=born)

    # -- a contact, from intake to closing ---------------------------------------------------------

    def contacts(self, count: int = CONTACTS, *, ask_every: int = 3, names_from: int = 0) -> None:
        """``count`` contacts spread over the history; every ``ask_every``-th has partners asked."""
        channels = [c for c, (weight, _) in CHANNELS.items() for _ in range(weight)]
        span = HISTORY_DAYS - QUIET_DAYS
        for index in range(count):
            days_ago = HISTORY_DAYS - index * span // count
            channel = self.rng.choice(channels)
            kind = "adult" if index % 7 == 3 else "child"
            referrer, organisation = REFERRERS[channel]
            received = self._working_moment(days_ago)
            with at(received):
                referral = services.referral_create(
                    by=self.triage,
                    kind=kind,
                    channel=channel,
                    received_at=received,
                    referrer_name=referrer,
                    referrer_organisation=organisation,
                    account="A contact from the demo's history.",
                    concerns=["self_neglect"] if kind == "adult" else [self.rng.choice(CONCERNS)],
                    consent="given",
                    subjects=[self._subject(names_from + index, kind)],
                )
            self._remember(referral)
            outcomes = ADULT_OUTCOMES if kind == "adult" else CHANNELS[channel][1]
            asked = index % ask_every == ask_every // 2
            self._work(referral, received, self.rng.choice(outcomes), ask=asked, late=index % 5 == 2)
            self.made += 1

    def _remember(self, referral: Referral) -> None:
        person = referral.subjects.first().person
        if person not in self.people:
            self.people.append(person)

    def _work(self, referral: Referral, received: datetime, outcome: str, *, ask: bool, late: bool) -> None:
        screened = received + timedelta(minutes=20 + self.rng.randrange(40))
        rag = self.rng.choice(RAGS)
        with at(screened):
            services.referral_transition(referral=referral, by=self.triage, to_state=State.SCREENING)
            services.referral_rate(referral=referral, by=self.triage, rating=rag, rationale="Screened.")
        ready = screened
        if ask:
            ready = self._ask_partners(referral, screened + timedelta(minutes=10))
        due = referral.decision_clock.due_at
        if late:
            decided = max(ready, due) + timedelta(hours=3 + self.rng.randrange(40))
        else:
            decided = max(
                ready + timedelta(minutes=30), min(ready + timedelta(hours=2), due - timedelta(minutes=5))
            )
        referral.refresh_from_db()  # every partner's answer moved it on to the threshold decision
        decided = self.decide(referral, decided, outcome)
        with at(decided + timedelta(hours=1)):
            services.referral_close(referral=referral, by=self.triage, feedback_note="Told by phone.")

    def decide(self, referral: Referral, decided: datetime, outcome: str) -> datetime:
        """Record the outcome at ``decided``; returns when the referral was decided."""
        with at(decided):
            services.referral_record_outcome(
                referral=referral,
                by=self.decision,
                outcome=outcome,
                rationale="Decided on the information held.",
            )
        return decided

    def _ask_partners(self, referral: Referral, asked: datetime) -> datetime:
        """Police and health (and education for a school's referral) asked; each answers on time, but
        about one in seven late; 'nothing known' about half the time. Returns when the last answer came."""
        agencies = [self.agencies[AgencyKind.POLICE], self.agencies[AgencyKind.HEALTH]]
        if referral.channel == "marf" and AgencyKind.EDUCATION in self.agencies:
            agencies.append(self.agencies[AgencyKind.EDUCATION])
        with at(asked):
            services.referral_transition(
                referral=referral, by=self.triage, to_state=State.INFORMATION_GATHERING
            )
            requests = request_services.information_requests_send(
                referral=referral,
                by=self.triage,
                requests=[RequestInput(agency=agency, questions="What do you know?") for agency in agencies],
            )
        last = asked
        for number, request in enumerate(requests):
            due = request.clock.due_at
            if self.rng.random() < 0.15:
                answered = due + timedelta(hours=2 + self.rng.randrange(30))
            else:
                soon = self.calendar.add_working_hours(asked, 1 + number)
                answered = min(due - timedelta(minutes=10), soon)
            self._answer(request, answered)
            last = max(last, answered)
        return last

    def _researcher(self, agency: Agency):
        return {
            AgencyKind.POLICE: self.users["police.researcher"],
            AgencyKind.HEALTH: self.users["health.researcher"],
            AgencyKind.EDUCATION: self.users["education.researcher"],
        }[agency.kind]

    def _answer(self, request, answered: datetime) -> None:
        researcher = self._researcher(request.agency)
        person = request.referral.subjects.first().person
        police = request.agency.kind == AgencyKind.POLICE
        if self.rng.random() < 0.5:
            entry = EntryInput(person_id=person.pk, nothing_known=True)
        else:
            entry = EntryInput(
                person_id=person.pk,
                source_system="Niche RMS" if police else "Local record",
                summary="Known to the agency.",
                source_evaluation=self.rng.choice("112") if police else "",
                intelligence_assessment=self.rng.choice("ABBC") if police else "",
                handling_code=self.rng.choice("PPC") if police else "",
                handling_conditions="Not to be shared with the family." if police else "",
            )
        with at(answered):
            request_services.information_request_claim(request=request, by=researcher)
            request_services.response_entry_add(request=request, by=researcher, data=entry)
            request_services.information_request_submit(request=request, by=researcher)
        if police and self.rng.random() < 0.2:
            with at(answered + timedelta(hours=1)):
                request_services.response_addendum_add(
                    request=request,
                    by=researcher,
                    data=EntryInput(
                        person_id=person.pk,
                        source_system="PNC",
                        summary="A later record.",
                        source_evaluation="1",
                        intelligence_assessment="A",
                        handling_code="P",
                    ),
                    reason="A record found after the answer was sent.",
                )

    # -- the consultation line ----------------------------------------------------------------------

    def consultations(self) -> None:
        """Calls to the consultation line, about two a month; one in three became a referral."""
        span = HISTORY_DAYS - QUIET_DAYS
        for index in range(CALLS):
            called = self._working_moment(HISTORY_DAYS - 5 - index * span // CALLS)
            with at(called):
                call = services.consultation_create(
                    by=self.triage,
                    caller_name="Caller",
                    caller_organisation=self.rng.choice(["Primary school", "GP surgery", "Housing officer"]),
                    question="Should I refer?",
                    advice="Advice given.",
                    anonymous_description="A child the caller is worried about.",
                    referral_advised=index % 3 == 0,
                )
            self.calls += 1
            if index % 3 != 0:
                continue
            with at(called + timedelta(minutes=30)):
                referral = services.consultation_convert(
                    consultation=call, by=self.triage, subjects=[self._subject(100 + index, "child")]
                )
            self._remember(referral)
            self._work(
                referral, called, self.rng.choice(["s17_assessment", "early_help"]), ask=False, late=False
            )
            self.made += 1
