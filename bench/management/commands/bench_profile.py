"""Profile the hot pages at MASH scale and write where their time goes to bench/profiles/<name>.md."""

import gc
import logging
import os
import platform
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import profiling, timing
from bench.data import data_summary

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


class Command(BaseCommand):
    help = "Profile the hot list pages and the referral page with pyinstrument; write bench/profiles/NAME.md."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The profile's file name, e.g. before-issue-19.")
        parser.add_argument("--requests", type=int, default=100, help="Requests per page (default 100).")
        parser.add_argument(
            "--page",
            action="append",
            help="Only this page: a label of the hot pages or of bench/endpoints.py (repeatable).",
        )

    def handle(self, *args, name, requests, page=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The profile runs on PostgreSQL: set DATABASE_URL=postgres://...")
        logging.getLogger("axes").setLevel(logging.WARNING)
        # Pages requested in-process run as in a web worker, which keeps what it loaded out of the garbage
        # collector's full collections (mash/config/wsgi.py): without it, a 100 ms collection of this
        # process lands on one page in 150.
        gc.freeze()
        summary = data_summary()
        if not summary["referrals"]:
            raise CommandError("No benchmark data: run `manage.py bench_data` first (or `make bench`).")
        pages = profiling.HOT if not page else [profiling.page_named(label) for label in page]
        results = []
        for each in pages:
            self.stdout.write(f"Profiling {each.label}...")
            with timing.unthrottled():
                results.append(profiling.profile(each, requests))
            self.stdout.write(f"  median {results[-1]['median_ms']:.1f} ms")
        meta = (
            f"Profiled {timezone.now():%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; data: " + ", ".join(f"{v:,} {k}" for k, v in summary.items()) + "."
        )
        PROFILES.mkdir(exist_ok=True)
        out = PROFILES / f"{name}.md"
        out.write_text(profiling.markdown(results, heading=f"Where a request's time goes: {name}", meta=meta))
        self.stdout.write(self.style.SUCCESS(f"Wrote {out}"))
