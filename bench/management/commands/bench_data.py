"""Build a realistic MASH of several years for the benchmark, in minutes, reproducibly from a seed.

Rows are written with PostgreSQL's COPY (psycopg 3), not through the services: the services are what
the benchmark measures, and making 200,000 referrals one by one would take hours. What the services
would have written is written here too: the decision and request clocks, the subjects, the answers,
and the object grants the sharing policy makes when an agency is asked (its request, the referral and
the referral's subjects, each to the agency's group).

The shape (defaults): 500,000 people (identity matching is measured among all of them), 200,000
referrals over four years (the last 60 days still open, across the states), about four information
requests per referral past screening with answers, the threshold decisions of those waiting for a
strategy discussion, 20 agencies (one lead) and 500 users, of whom six
partner agencies have 25 researchers each (the fan-out figure), consultations and missing episodes in
proportion. Every user's password is ``bench-password``.
"""

import itertools
import random
import time
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from psycopg.types.json import Jsonb

from mash.agencies.models import Agency, AgencyKind, Membership
from mash.agencies.roles import Role
from mash.clocks.models import Clock, ClockBasis
from mash.people.identifiers import phonetic_key
from mash.people.models import Person, PersonGroupObjectPermission
from missing_persons.models import Episode, EpisodeStatus, ReporterKind, Risk
from referrals.models import (
    Channel,
    Concern,
    Consent,
    Consultation,
    EventKind,
    InformationRequest,
    InformationRequestGroupObjectPermission,
    Outcome,
    Rag,
    RagRating,
    Referral,
    ReferralGroupObjectPermission,
    ReferralKind,
    ReferralSubject,
    RequestStatus,
    ResponseEntry,
    State,
    SubjectRole,
    TimelineEvent,
)
from strategy.models import ThresholdDecision

PASSWORD = "bench-password"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # fixed, so the same seed builds the same MASH
YEARS = 4
OPEN_DAYS = 60
NOT_SOUGHT = "Seeking consent would place the child at risk."
KNOWN = "Known to the service: contact in the last two years."
DETAIL = "Details of the contact, the concern raised and the action taken."

GIVEN = (  # noqa: SIM905
    "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie "
    "Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Logan Lucas Daniel Theo Arthur "
    "Mohammed Harrison Benjamin Mason Finley Sebastian Adam Dylan Zachary Riley Teddy Theodore David Toby "
    "Jake Louie Elijah Reuben Arlo Hugo Luca Jaxon Matthew Harvey Reggie Michael Harley Jude Albert Tommy "
    "Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Evie Grace Sophia Sophie Florence Freya "
    "Charlotte Jessica Daisy Sienna Alice Phoebe Matilda Ruby Evelyn Willow Ivy Elsie Rosie Millie Esme "
    "Harper Emilia Chloe Eva Lucy Layla Ellie Maya Lola Erin Holly Imogen Emma Scarlett Thea Aria Hannah "
    "Bethany Megan Courtney Chantelle Jade Kayleigh Stacey Kirsty Leanne Aaliyah Zara Amira Fatima Aisha "
    "Jayden Kai Tyler Kyle Connor Callum Liam Declan Ryan Kieran Shannon Tia Demi Kacey Ricky Wayne Dean "
    "Gary Darren Craig Lee Stuart Paul Mark Andrew Stephen Karen Sharon Tracey Nicola Joanne Claire Lisa"
).split()
FAMILY = (  # noqa: SIM905
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
    "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill "
    "Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker "
    "Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman "
    "Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight "
    "Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher "
    "Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks "
    "West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry "
    "Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr "
    "Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson "
    "Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess "
    "Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton "
    "McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers "
    "O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan "
    "Hutchinson Rahman Akhtar Mahmood Iqbal Nowak Kowalski Wisniewski Popescu Ionescu Okafor Adeyemi "
    "Mensah Osei Nguyen Chen Wang Kaya Demir Yilmaz Silva Santos Ferreira Costa Rossi Russo Doherty"
).split()
STREETS = "High Street;Station Road;Church Lane;Park Avenue;Victoria Road;Mill Lane;Queens Road;York Street"
STREETS = STREETS.split(";")

# 20 agencies: (name, kind, weight of being asked about a referral). The lead asks the others.
AGENCIES = [
    ("Bench MASH Children's and Adults' Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, 0),
    ("Bench Police", AgencyKind.POLICE, 95),
    ("Bench Community Health", AgencyKind.HEALTH, 85),
    ("Bench Education Safeguarding", AgencyKind.EDUCATION, 70),
    ("Bench Early Help", AgencyKind.CHILDREN_YOUNG_PEOPLE, 40),
    ("Bench Adult Social Care", AgencyKind.ADULT_SERVICES, 25),
    ("Bench Acute Hospital Trust", AgencyKind.HEALTH, 30),
    ("Bench Mental Health Trust", AgencyKind.HEALTH, 20),
    ("Bench Probation", AgencyKind.OTHER, 12),
    ("Bench Housing", AgencyKind.OTHER, 10),
    ("Bench Youth Justice", AgencyKind.CHILDREN_YOUNG_PEOPLE, 10),
    ("Bench Ambulance Service", AgencyKind.HEALTH, 6),
    ("Bench Substance Misuse Service", AgencyKind.HEALTH, 6),
    ("Bench Domestic Abuse Service", AgencyKind.OTHER, 8),
    ("Bench Fire and Rescue", AgencyKind.OTHER, 3),
    ("Bench GP Safeguarding", AgencyKind.HEALTH, 8),
    ("Bench Independent Schools", AgencyKind.EDUCATION, 4),
    ("Bench Further Education", AgencyKind.EDUCATION, 3),
    ("Bench Leaving Care", AgencyKind.CHILDREN_YOUNG_PEOPLE, 3),
    ("Bench Immigration Enforcement", AgencyKind.OTHER, 2),
]
# The six partner agencies of the fan-out figure: 25 researchers each.
FANOUT_AGENCIES = 6
FANOUT_RESEARCHERS = 25


def data_summary() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "information requests": InformationRequest.objects.count(),
        "answer entries": ResponseEntry.objects.count(),
        "referral grants": ReferralGroupObjectPermission.objects.count(),
        "agencies": Agency.objects.count(),
        "users": Membership.objects.count(),
    }


def _copy(model: type[models.Model], rows, *, columns: list[str] | None = None) -> int:
    """COPY rows (dicts keyed by field name) into the model's table; unset fields take their default."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = [
        f
        for f in model._meta.concrete_fields
        if (columns is None or f.name in columns) and (not f.primary_key or f.name in first)
    ]
    defaults = {}
    for f in fields:
        if f.has_default():
            defaults[f.name] = f.get_default()
        elif f.null:
            defaults[f.name] = None
        elif f.empty_strings_allowed:
            defaults[f.name] = ""
    json_fields = {f.name for f in fields if isinstance(f, models.JSONField)}
    names = [f.name for f in fields]
    quoted = ", ".join(f'"{f.column}"' for f in fields)
    sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
    count = 0
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for row in itertools.chain([first], rows):
            values = []
            for name in names:
                value = row[name] if name in row else defaults[name]
                values.append(Jsonb(value) if name in json_fields else value)
            copy.write_row(values)
            count += 1
    return count


def _working_due(start: datetime, hours: float) -> datetime:
    """About the due time the calendar gives (working days Monday to Friday): cheap, for the bench."""
    due = start + timedelta(hours=hours)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def _nhs_number(i: int) -> str:
    digits = f"{400_000_000 + i * 3:09d}"
    total = sum(int(d) * (10 - n) for n, d in enumerate(digits))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return "" if check == 10 else digits + str(check)


class Command(BaseCommand):
    help = "Generate the benchmark's MASH (bulk COPY): people, referrals, requests, answers, grants."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261126)
        parser.add_argument("--people", type=int, default=500_000)
        parser.add_argument("--referrals", type=int, default=200_000)
        parser.add_argument(
            "--users", type=int, default=500, help="At least the 312 the agencies' roles need."
        )
        parser.add_argument(
            "--open-days", type=int, default=OPEN_DAYS, help="Referrals younger than this are still open."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and say so) when referrals already exist."
        )

    def handle(self, *args, seed, people, referrals, users, if_empty, open_days, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark data is written with PostgreSQL's COPY: set DATABASE_URL.")
        if people < 10 or referrals < 1 or open_days < 0:
            raise CommandError("--people must be at least 10, --referrals at least 1, --open-days 0 or more.")
        if Referral.objects.exists() or Person.objects.exists():
            if if_empty:
                self.stdout.write(f"Benchmark data already there: {data_summary()}")
                return
            raise CommandError("The database already holds people or referrals: use an empty one.")
        self.rng = random.Random(seed)
        self.open_days = open_days
        started = time.monotonic()
        with transaction.atomic():
            self.step("agencies and users", lambda: self.make_agencies_and_users(users))
            self.step("people", lambda: self.make_people(people))
            self.step("referrals", lambda: self.make_referrals(referrals))
            self.step("information requests, answers and grants", self.make_requests)
            self.step("threshold decisions", self.make_threshold_decisions)
            self.step("consultations and missing episodes", self.make_consultations_and_episodes)
            self.step("sequences", self.reset_sequences)
        if not connection.in_atomic_block:  # (a test's transaction cannot vacuum)
            self.step("vacuum and analyse", lambda: connection.cursor().execute("VACUUM (ANALYZE)"))
        self.stdout.write(self.style.SUCCESS(f"Built in {time.monotonic() - started:.0f}s: {data_summary()}"))

    def step(self, label, fn):
        started = time.monotonic()
        self.stdout.write(f"  {label}...", ending="")
        self.stdout.flush()
        fn()
        self.stdout.write(f" {time.monotonic() - started:.1f}s")

    # --- agencies and users -----------------------------------------------------------------------

    def make_agencies_and_users(self, total_users: int) -> None:
        User = get_user_model()
        roles = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        self.agencies = []
        for name, kind, weight in AGENCIES:
            group = Group.objects.create(name=f"agency: {name}")
            agency = Agency.objects.create(name=name, kind=kind, is_lead=weight == 0, group=group)
            agency.weight = weight
            self.agencies.append(agency)
        self.lead = self.agencies[0]
        self.partners = self.agencies[1:]

        # The lead: triage practitioners, decision makers, managers, governance, a data administrator.
        plan = [(self.lead, Role.TRIAGE_PRACTITIONER, 60), (self.lead, Role.DECISION_MAKER, 15)]
        plan += [(self.lead, Role.MASH_MANAGER, 5), (self.lead, Role.INFORMATION_GOVERNANCE, 5)]
        plan += [(self.lead, Role.DATA_ADMINISTRATOR, 5)]
        for agency in self.partners[:FANOUT_AGENCIES]:
            plan += [(agency, Role.AGENCY_RESEARCHER, FANOUT_RESEARCHERS), (agency, Role.DECISION_MAKER, 2)]
            plan += [(agency, Role.MASH_MANAGER, 1)]
        planned = sum(n for _, _, n in plan)
        rest = self.partners[FANOUT_AGENCIES:]
        per_agency = max(4, (total_users - planned) // len(rest))
        for agency in rest:
            plan += [(agency, Role.AGENCY_RESEARCHER, per_agency - 3), (agency, Role.DECISION_MAKER, 2)]
            plan += [(agency, Role.MASH_MANAGER, 1)]
        police = self.partners[0]
        plan.append((police, Role.DATA_ADMINISTRATOR, 2))
        needed = sum(n for _, _, n in plan)
        if total_users < needed:
            raise CommandError(
                f"--users {total_users} is too few: the roles of the 20 agencies need at least {needed} "
                f"(the lead's team, {FANOUT_RESEARCHERS} researchers in each of {FANOUT_AGENCIES} agencies)."
            )
        # Whatever rounding left over: more researchers for the police, the agency asked most.
        plan.append((police, Role.AGENCY_RESEARCHER, max(0, total_users - sum(n for _, _, n in plan))))

        password = make_password(PASSWORD)
        self.users_by = {}
        number = 0
        for agency, role, count in plan:
            for _ in range(count):
                number += 1
                slug = role.lower().replace(" ", "-")
                given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
                user = User.objects.create(
                    username=f"bench-{number:03d}-{slug}",
                    password=password,
                    first_name=given,
                    last_name=family,
                    email=f"bench-{number:03d}@mash.invalid",
                )
                membership = Membership.objects.create(user=user, agency=agency, job_title=role.label)
                membership.roles.set([roles[role]])
                user.groups.set([agency.group, roles[role]])
                self.users_by.setdefault((agency.pk, role), []).append(user.pk)
        self.practitioners = self.users_by[(self.lead.pk, Role.TRIAGE_PRACTITIONER)]
        self.deciders = self.users_by[(self.lead.pk, Role.DECISION_MAKER)]

    # --- people -------------------------------------------------------------------------------------

    def make_people(self, total: int) -> None:
        rng = self.rng
        keys = {}

        def key(name):
            if name not in keys:
                keys[name] = phonetic_key(name)
            return keys[name]

        today = NOW.date()

        def rows():
            for i in range(1, total + 1):
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                child = rng.random() < 0.6
                age_days = rng.randint(0, 17 * 365) if child else rng.randint(18 * 365, 90 * 365)
                dob = today - timedelta(days=age_days) if rng.random() < 0.95 else None
                yield {
                    "id": i,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": dob,
                    "approximate_age": None if dob else rng.randint(1, 80),
                    "gender": rng.choice(("female", "male", "female", "male", "unknown")),
                    "nhs_number": _nhs_number(i) if rng.random() < 0.7 else "",
                    "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                    "postcode": f"BN{rng.randint(1, 45)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
                    f"{rng.choice('LNPQRSTU')}",
                    "given_name_key": key(given),
                    "family_name_key": key(family),
                }

        self.people = _copy(Person, rows())

    # --- referrals ----------------------------------------------------------------------------------

    def make_referrals(self, total: int) -> None:
        rng = self.rng
        span = timedelta(days=365 * YEARS)
        first = NOW - span
        open_states = [
            (State.RECEIVED, 10),
            (State.SCREENING, 15),
            (State.INFORMATION_GATHERING, 30),
            (State.AWAITING_THRESHOLD_DECISION, 15),
            (State.STRATEGY_DISCUSSION, 5),
            (State.DECIDED, 15),
            (State.CLOSED, 15),
        ]
        concerns = [c for c in Concern.values]
        clocks, referrals, subjects, timeline, ratings = [], [], [], [], []
        self.referral_rows = []  # (id, state, rag, received_at, decided_at, [person ids])
        self.strategy_rows = []  # (id, threshold decided at, rag): sent to a strategy discussion
        subject_id = 0
        for i in range(1, total + 1):
            received = first + span * (i / total) - timedelta(minutes=rng.randint(0, 90))
            age = NOW - received
            if age > timedelta(days=self.open_days):
                state = State.CLOSED
            else:
                state = rng.choices([s for s, _ in open_states], [w for _, w in open_states])[0]
            kind = ReferralKind.CHILD if rng.random() < 0.8 else ReferralKind.ADULT
            rated = state not in (State.RECEIVED,)
            rag = rng.choices([Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE], [15, 45, 35, 5])[0] if rated else ""
            decided = state in (State.DECIDED, State.CLOSED)
            due = _working_due(received, 24)
            decided_at = received + timedelta(hours=rng.uniform(2, 30)) if decided else None
            # A threshold decision that a strategy discussion is required stops the decision clock.
            stopped = decided_at or (
                received + timedelta(hours=rng.uniform(2, 30)) if state == State.STRATEGY_DISCUSSION else None
            )
            if state == State.STRATEGY_DISCUSSION:
                self.strategy_rows.append((i, stopped, rag))
            clocks.append(
                {
                    "id": i,
                    "created_at": received,
                    "updated_at": received,
                    "kind": "referral decision",
                    "basis": ClockBasis.WORKING_DAYS,
                    "amount": 1,
                    "started_at": received,
                    "due_at": due,
                    "stopped_at": stopped,
                    "breached_at": stopped if stopped and stopped > due else None,
                }
            )
            outcomes = (
                [
                    Outcome.NO_FURTHER_ACTION,
                    Outcome.INFORMATION_AND_ADVICE,
                    Outcome.EARLY_HELP,
                    Outcome.CHILD_AND_FAMILY_ASSESSMENT,
                ]
                if kind == ReferralKind.CHILD
                else [Outcome.SECTION_42_ENQUIRY, Outcome.OTHER_ENQUIRY, Outcome.NO_FURTHER_ACTION]
            )
            outcome = rng.choice(outcomes) if decided else ""
            assignee = rng.choice(self.practitioners) if state != State.RECEIVED else None
            consent = rng.choice(Consent.values)
            referrals.append(
                {
                    "id": i,
                    "created_at": received,
                    "updated_at": decided_at or received,
                    "reference": f"MASH-{received.year}-{i:06d}",
                    "kind": kind,
                    "received_at": received,
                    "channel": rng.choice([Channel.PHONE, Channel.EMAIL, Channel.MARF, Channel.MARF]),
                    "referrer_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    "referrer_organisation": rng.choice(["St Mary's Primary", "Bench Police", "GP surgery"]),
                    "referrer_role": "Designated safeguarding lead",
                    "referrer_email": "referrer@example.invalid",
                    "concerns": rng.sample(concerns, rng.randint(1, 3)),
                    "account": "The referrer describes the concern in their own words. " * 4,
                    "consent": consent,
                    "consent_reason": "" if consent in ("given", "refused") else NOT_SOUGHT,
                    "state": state,
                    "rag": rag,
                    "rag_rationale": f"Rated {rag} on the information at screening." if rag else "",
                    "assigned_to": assignee,
                    "recorded_by": rng.choice(self.practitioners),
                    "decision_clock": i,
                    "decision_due_at": due,
                    "outcome": outcome,
                    "outcome_rationale": "Decided on the information gathered." if outcome else "",
                    "outcome_at": decided_at,
                    "outcome_by": rng.choice(self.deciders) if decided else None,
                    "closed_at": decided_at + timedelta(hours=2) if state == State.CLOSED else None,
                    "version": 3,
                }
            )
            people = rng.sample(range(1, self.people + 1), rng.choice((1, 1, 2, 2, 3, 4)))
            for n, person in enumerate(people):
                subject_id += 1
                role = SubjectRole.SUBJECT if n == 0 else rng.choice(SubjectRole.values[1:])
                subjects.append({"id": subject_id, "referral": i, "person": person, "role": role})
            timeline.append(
                {"referral": i, "at": received, "by": None, "kind": EventKind.RECEIVED, "note": "Received"}
            )
            if rag:
                ratings.append(
                    {"referral": i, "rating": rag, "rationale": "Screening.", "at": received, "by": assignee}
                )
            self.referral_rows.append((i, state, rag, received, decided_at, people))
        _copy(Clock, clocks)
        self.next_clock = total + 1
        _copy(Referral, referrals, columns=None)
        _copy(ReferralSubject, subjects)
        _copy(TimelineEvent, ({k: v for k, v in t.items()} for t in timeline), columns=None)
        _copy(RagRating, ratings)

    # --- information requests, answers and the grants they make --------------------------------------

    def make_requests(self) -> None:
        rng = self.rng
        perm = {
            model: Permission.objects.get(
                content_type=ContentType.objects.get_for_model(model),
                codename=f"view_{model._meta.model_name}",
            ).pk
            for model in (Referral, InformationRequest, Person)
        }
        weights = [a.weight for a in self.partners]
        hours = {Rag.RED: 4, Rag.AMBER: 24, Rag.GREEN: 72}
        clocks, requests, entries = [], [], []
        grants_referral, grants_request, grants_person = [], [], []
        people_granted = set()
        asked_states = (
            State.INFORMATION_GATHERING,
            State.AWAITING_THRESHOLD_DECISION,
            State.STRATEGY_DISCUSSION,
            State.DECIDED,
            State.CLOSED,
        )
        request_id = entry_id = 0
        clock_id = self.next_clock
        for referral_id, state, rag, received, _decided, people in self.referral_rows:
            if state not in asked_states or rag in ("", Rag.BLUE):
                continue
            count = rng.choice((3, 4, 4, 4, 5))
            agencies = set()
            while len(agencies) < count:
                agencies.add(rng.choices(self.partners, weights)[0])
            sent = received + timedelta(hours=rng.uniform(0.5, 3))
            for agency in sorted(agencies, key=lambda a: a.pk):
                request_id += 1
                answered = state != State.INFORMATION_GATHERING or rng.random() < 0.4
                answered_at = sent + timedelta(hours=rng.uniform(1, hours[rag] * 1.2)) if answered else None
                due = _working_due(sent, hours[rag])
                clocks.append(
                    {
                        "id": clock_id,
                        "created_at": sent,
                        "updated_at": sent,
                        "kind": "information request",
                        "basis": ClockBasis.WORKING_HOURS,
                        "amount": hours[rag],
                        "started_at": sent,
                        "due_at": due,
                        "stopped_at": answered_at,
                        "breached_at": answered_at if answered_at and answered_at > due else None,
                    }
                )
                researchers = self.users_by.get((agency.pk, Role.AGENCY_RESEARCHER), [None])
                researcher = rng.choice(researchers)
                requests.append(
                    {
                        "id": request_id,
                        "created_at": sent,
                        "updated_at": answered_at or sent,
                        "referral": referral_id,
                        "agency": agency.pk,
                        "questions": "What do you know of the subjects? Any concerns in the household?",
                        "status": RequestStatus.ANSWERED if answered else RequestStatus.OPEN,
                        "clock": clock_id,
                        "sent_by": rng.choice(self.practitioners),
                        "sent_at": sent,
                        "assigned_to": researcher if answered or rng.random() < 0.5 else None,
                        "answered_at": answered_at,
                        "answered_by": researcher if answered else None,
                        "version": 2,
                    }
                )
                clock_id += 1
                grants_request.append((request_id, agency.group_id))
                grants_referral.append((referral_id, agency.group_id))
                for person in people:
                    if (person, agency.group_id) not in people_granted:
                        people_granted.add((person, agency.group_id))
                        grants_person.append((person, agency.group_id))
                if answered:
                    police = agency.kind == AgencyKind.POLICE
                    for person in people:
                        entry_id += 1
                        known = rng.random() < 0.6
                        entries.append(
                            {
                                "id": entry_id,
                                "created_at": answered_at,
                                "updated_at": answered_at,
                                "request": request_id,
                                "person": person,
                                "author": researcher,
                                "nothing_known": not known,
                                "source_system": f"{agency.name} records" if known else "",
                                "information_date": (answered_at - timedelta(days=rng.randint(5, 900))).date()
                                if known
                                else None,
                                "summary": KNOWN if known else "",
                                "detail": DETAIL if known else "",
                                "source_evaluation": "1" if police and known else "",
                                "intelligence_assessment": "A" if police and known else "",
                                "handling_code": "P" if police and known else "",
                            }
                        )
        _copy(Clock, clocks)
        self.next_clock = clock_id
        _copy(InformationRequest, requests)
        _copy(ResponseEntry, entries)
        _copy(
            InformationRequestGroupObjectPermission,
            (
                {"content_object": r, "group": g, "permission": perm[InformationRequest]}
                for r, g in grants_request
            ),
        )
        _copy(
            ReferralGroupObjectPermission,
            (
                {"content_object": r, "group": g, "permission": perm[Referral]}
                for r, g in sorted(set(grants_referral))
            ),
        )
        _copy(
            PersonGroupObjectPermission,
            ({"content_object": p, "group": g, "permission": perm[Person]} for p, g in grants_person),
        )

    # --- threshold decisions: the referrals waiting for their strategy discussion ----------------------

    def make_threshold_decisions(self) -> None:
        rng = self.rng
        deciders = self.deciders
        clocks, decisions = [], []
        clock_id = self.next_clock
        for referral_id, decided_at, rag in self.strategy_rows:
            # Red: by the end of the same working day; otherwise one working day (StrategyTimescale).
            red = rag == Rag.RED
            clocks.append(
                {
                    "id": clock_id,
                    "created_at": decided_at,
                    "updated_at": decided_at,
                    "kind": "strategy discussion",
                    "basis": ClockBasis.END_OF_WORKING_DAY if red else ClockBasis.WORKING_DAYS,
                    "amount": 0 if red else 1,
                    "started_at": decided_at,
                    "due_at": _working_due(decided_at, 6 if red else 24),
                }
            )
            decisions.append(
                {
                    "created_at": decided_at,
                    "updated_at": decided_at,
                    "referral": referral_id,
                    "required": True,
                    "rationale": "Reasonable cause to suspect significant harm: a discussion is needed.",
                    "information_relied_on": "The partner agencies' answers.",
                    "decided_by": rng.choice(deciders),
                    "decided_at": decided_at,
                    "strategy_clock": clock_id,
                }
            )
            clock_id += 1
        _copy(Clock, clocks)
        _copy(ThresholdDecision, decisions)

    # --- consultations and missing episodes -----------------------------------------------------------

    def make_consultations_and_episodes(self) -> None:
        rng = self.rng
        span = timedelta(days=365 * YEARS)
        first = NOW - span
        total = len(self.referral_rows) // 10
        _copy(
            Consultation,
            (
                {
                    "created_at": at,
                    "updated_at": at,
                    "called_at": at,
                    "caller_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    "caller_organisation": rng.choice(["St Mary's Primary", "Health visiting", "Nursery"]),
                    "person": rng.randint(1, self.people) if rng.random() < 0.5 else None,
                    "anonymous_description": "child, 8",
                    "question": "Does this meet the threshold for a referral?",
                    "advice": "Speak to the family first and consider early help.",
                    "referral_advised": rng.random() < 0.3,
                    "logged_by": rng.choice(self.practitioners),
                }
                for at in (first + span * (n / total) for n in range(1, total + 1))
            ),
        )
        police_admin = self.users_by[(self.partners[0].pk, Role.DATA_ADMINISTRATOR)][0]
        episodes = len(self.referral_rows) // 20
        rows = []
        for n in range(1, episodes + 1):
            reported = first + span * (n / episodes)
            recent = NOW - reported < timedelta(days=3)
            found = None if recent and rng.random() < 0.5 else reported + timedelta(hours=rng.uniform(2, 48))
            rows.append(
                {
                    "created_at": reported,
                    "updated_at": reported,
                    "police_reference": f"MP-{reported.year}-{n:06d}",
                    "person": rng.randint(1, self.people),
                    "is_child": rng.random() < 0.8,
                    "reported_at": reported,
                    "reported_by": "Care home staff",
                    "reporter_kind": rng.choice(ReporterKind.values),
                    "last_seen_at": reported - timedelta(hours=2),
                    "last_seen_place": "Town centre",
                    "risk": rng.choice([Risk.LOW, Risk.MEDIUM, Risk.MEDIUM, Risk.HIGH]),
                    "status": EpisodeStatus.MISSING if found is None else EpisodeStatus.CLOSED,
                    "found_at": found,
                    "recorded_by": police_admin,
                    "closed_at": found,
                    "indicators": [],
                }
            )
        _copy(Episode, rows)

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
