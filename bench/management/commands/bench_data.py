"""Build a realistic MASH of several years for the benchmark, in minutes, reproducibly from a seed.

Rows are written with PostgreSQL's COPY (psycopg 3), not through the services: the services are what
the benchmark measures, and making 200,000 referrals one by one would take hours. What the services
would have written is written here too: the decision and request clocks, the subjects, the answers,
and the object grants the sharing policy makes when an agency is asked (its request, the referral and
the referral's subjects, each to the agency's group). Each part is a module of bench/data/.

The shape (defaults): 500,000 people (identity matching is measured among all of them), 200,000
referrals over four years (the last 60 days still open, across the states), about four information
requests per referral past screening with answers, the threshold decisions of those waiting for a
strategy discussion, 20 agencies (one lead) and 500 users, of whom six partner agencies have 25
researchers each (the fan-out figure), consultations and missing episodes in proportion, the strategy
work of the closed referrals (threshold decisions, discussions, decisions, actions, conference clocks),
disclosure applications, return home interviews and repeat flags in proportion too (what the
dashboards measure: bench/data/measured.py), and 20 million access-log rows over the four years
(figure 8; bench/data/access_log.py). Every user's password is ``bench-password``. On a database
built before the dashboards' work or the access log were part of the benchmark, ``--if-empty`` adds
them alone.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.data import data_summary
from bench.data.access_log import make_access_log
from bench.data.agencies import make_agencies_and_users
from bench.data.build import Build
from bench.data.bulk import reset_sequences
from bench.data.information_requests import make_requests
from bench.data.measured import make_measured_work, missing_parts
from bench.data.missing import make_episodes
from bench.data.people import make_people
from bench.data.reference import OPEN_DAYS
from bench.data.referrals import make_consultations, make_referrals
from bench.data.strategy import make_threshold_decisions
from mash.people.models import Person
from mash.sharing.models import AccessLog
from referrals.models import Referral

__all__ = ["Command", "data_summary"]


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
            "--access-log", type=int, default=20_000_000, help="Access-log rows over the period (figure 8)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and say so) when referrals already exist."
        )

    def handle(self, *args, seed, people, referrals, users, if_empty, open_days, access_log, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark data is written with PostgreSQL's COPY: set DATABASE_URL.")
        if people < 10 or referrals < 1 or open_days < 0:
            raise CommandError("--people must be at least 10, --referrals at least 1, --open-days 0 or more.")
        if Referral.objects.exists() or Person.objects.exists():
            if if_empty:
                if missing_parts():
                    self.measured_work(random.Random(seed))
                if access_log and not AccessLog.objects.exists():
                    self.access_log(access_log)
                self.stdout.write(f"Benchmark data already there: {data_summary()}")
                return
            raise CommandError("The database already holds people or referrals: use an empty one.")
        build = Build(rng=random.Random(seed), open_days=open_days)

        def consultations_and_episodes():
            make_consultations(build)
            make_episodes(build)

        started = time.monotonic()
        with transaction.atomic():
            self.step("agencies and users", lambda: make_agencies_and_users(build, users))
            self.step("people", lambda: make_people(build, people))
            self.step("referrals", lambda: make_referrals(build, referrals))
            self.step("information requests, answers and grants", lambda: make_requests(build))
            self.step("threshold decisions", lambda: make_threshold_decisions(build))
            self.step("consultations and missing episodes", consultations_and_episodes)
            self.step("the work the dashboards measure", lambda: make_measured_work(build.rng, self.note))
            self.step("sequences", reset_sequences)
            self.step(f"access log ({access_log:,} rows)", lambda: make_access_log(access_log))
        if not connection.in_atomic_block:  # (a test's transaction cannot vacuum)
            self.step("vacuum and analyse", lambda: connection.cursor().execute("VACUUM (ANALYZE)"))
        self.stdout.write(self.style.SUCCESS(f"Built in {time.monotonic() - started:.0f}s: {data_summary()}"))

    def measured_work(self, rng) -> None:
        with transaction.atomic():
            self.step("the work the dashboards measure", lambda: make_measured_work(rng, self.note))
            self.step("sequences", reset_sequences)
        if not connection.in_atomic_block:
            self.step("vacuum and analyse", lambda: connection.cursor().execute("VACUUM (ANALYZE)"))

    def note(self, line: str) -> None:
        self.stdout.write(f"\n    {line}", ending="")

    def access_log(self, rows: int) -> None:
        with transaction.atomic():
            self.step(f"access log ({rows:,} rows)", lambda: make_access_log(rows))
        if not connection.in_atomic_block:
            self.step(
                "vacuum and analyse",
                lambda: connection.cursor().execute("VACUUM (ANALYZE) sharing_accesslog"),
            )

    def step(self, label, fn):
        started = time.monotonic()
        self.stdout.write(f"  {label}...", ending="")
        self.stdout.flush()
        fn()
        self.stdout.write(f" {time.monotonic() - started:.1f}s")
