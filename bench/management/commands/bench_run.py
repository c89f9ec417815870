"""Run the benchmark's figures against the generated MASH and write bench/results.md and .json."""

import gc
import importlib
import logging
import os
import platform
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import report, timing
from bench.baseline import checkout
from bench.context import Context
from bench.data import data_summary

# In the order: each module's measure(ctx) returns its Figures.
FIGURES = {
    1: "bench.figures.lists",
    2: "bench.figures.queries",
    3: "bench.figures.sql",
    4: "bench.figures.fanout",
    5: "bench.figures.matching",
    6: "bench.figures.audit",
    7: "bench.figures.load",
    8: "bench.figures.access_log",
    9: "bench.figures.measures",
}
RESULTS = Path(__file__).resolve().parents[2]


class Command(BaseCommand):
    help = "Measure the benchmark's figures on PostgreSQL and write bench/results.md and results.json."

    def add_arguments(self, parser):
        parser.add_argument("--only", type=int, action="append", help="Run only this figure (repeatable).")
        parser.add_argument("--quick", action="store_true", help="Few repetitions: a smoke run.")
        parser.add_argument("--out", default=str(RESULTS), help="Folder for results.md and results.json.")
        parser.add_argument(
            "--readme",
            help="Put the table in this file, between its bench:start and bench:end markers (not --quick).",
        )
        parser.add_argument(
            "--baseline",
            help="A git revision (or another checkout) of the code before a change: figure 7 serves it "
            "beside this code, on the same data, and compares their saturation throughput.",
        )

    def handle(self, *args, only=None, quick=False, out=None, readme=None, baseline=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        # The figures sign their users in (force_login); django-axes would log every one of them.
        logging.getLogger("axes").setLevel(logging.WARNING)
        # Pages requested in-process run as in a web worker, which keeps what it loaded out of the garbage
        # collector's full collections (mash/config/wsgi.py): without it, a 100 ms collection of this
        # process lands on one page in 150.
        gc.freeze()
        summary = data_summary()
        if not summary["referrals"]:
            raise CommandError("No benchmark data: run `manage.py bench_data` first (or `make bench`).")
        ctx = Context(
            out=lambda line: self.stdout.write(line),
            quick=quick,
            database_url=os.environ.get("DATABASE_URL", ""),
            broker_url=os.environ.get("CELERY_BROKER_URL", ""),
        )
        if baseline and (not only or 7 in only):  # the load figure is the one that serves it
            ctx.baseline, ctx.baseline_name = checkout(baseline)
            self.stdout.write(f"Baseline: {ctx.baseline_name}, checked out at {ctx.baseline}")
        figures = []
        for number, module in FIGURES.items():
            if only and number not in only:
                continue
            self.stdout.write(f"Figure {number} ({module.rsplit('.', 1)[-1]})...")
            with timing.unthrottled():
                measured = importlib.import_module(module).measure(ctx)
            for figure in measured:
                self.stdout.write(
                    f"  {figure.name}: {figure.value:.2f} {figure.unit}"
                    + (f" / {figure.baseline:.2f} = {figure.ratio:.2f}x" if figure.ratio is not None else "")
                    + (
                        f" (target {'>=' if figure.at_least else '<='} {figure.target:g}): "
                        + ("met" if figure.met else "MISSED")
                        if figure.target is not None
                        else " (recorded)"
                    )
                )
            figures.extend(measured)
        meta = {
            "at": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}",
            "data": ", ".join(f"{v:,} {k}" for k, v in summary.items()),
            "quick": quick,
        }
        if only and not quick:  # the other figures stay as their last full run measured them
            figures, meta = report.merge(figures, meta, Path(out) / "results.json")
        md, js = report.write(figures, meta=meta, directory=Path(out))
        self.stdout.write(self.style.SUCCESS(f"Wrote {md} and {js}"))
        if readme and not quick:
            report.update_readme(Path(readme), md.read_text())
            self.stdout.write(self.style.SUCCESS(f"Updated the table in {readme}"))
