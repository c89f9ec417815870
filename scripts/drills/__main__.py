"""`make drills` (python -m scripts.drills): the notification fault drills of issue 14.

Starts its own PostgreSQL, Redis and SMTP sink on their own ports, runs the project's worker against
them, runs each drill, prints the table and writes it to scripts/drills/results.md; stops everything
it started, on success, error or Ctrl-C.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from scripts.drills.services import ROOT, Services

RESULTS = ROOT / "scripts" / "drills" / "results.md"
# Quick runs also shorten the outbox's own waits (names from mash/config/settings.py).
QUICK_ENV = {
    "NOTIFICATION_SWEEP_AFTER_SECONDS": "5",
    "NOTIFICATION_BACKOFF_BASE_SECONDS": "5",
    "NOTIFICATION_BACKOFF_CAP_SECONDS": "60",
}


def arguments():
    parser = argparse.ArgumentParser(prog="make drills", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter outages and backoff (a smoke run)")
    parser.add_argument(
        "--only", nargs="+", metavar="DRILL", help="run only these drills (names in drills.py)"
    )
    parser.add_argument("--cap", type=float, default=900, help="longest wait for recovery, in seconds")
    parser.add_argument("--refuse-minutes", type=float, help="how long SMTP answers 451 (default 9)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="for the worker")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--redis-port", type=int, default=56379)
    parser.add_argument("--smtp-port", type=int, default=58025)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary directory's logs")
    return parser.parse_args()


def environment(services: Services, args) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "mash.config.settings",
        "DATABASE_URL": services.postgres.url,
        "CELERY_BROKER_URL": services.redis.url,
        "CACHE_URL": services.redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(services.sink.port),
        "SECRET_KEY": "drills-only-secret-key",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "NOTIFICATION_SWEEP_AFTER_SECONDS": "30",
        "PYTHONUNBUFFERED": "1",
    }
    if args.quick:
        env |= QUICK_ENV
    env |= dict(item.split("=", 1) for item in args.env)
    return env


def header(args, started: float) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    from scripts.drills.services import WORKER_SCRIPT

    worker = "scripts/worker.sh" if WORKER_SCRIPT.exists() else "celery worker + celery beat (unsupervised)"
    when = datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"# Notification fault drills (`make drills{' --quick' if args.quick else ''}`)\n\n"
        f"{when}, commit {commit}, worker: {worker}, {(time.time() - started) / 60:.0f} minutes. "
        "See the README's notifications section for what each column means.\n\n"
    )


def run(args, services: Services):
    import django

    os.environ |= environment(services, args)
    django.setup()
    # The project's own log (an enqueue that failed, with its traceback) goes beside the other logs.
    root = logging.getLogger()
    root.handlers = [logging.FileHandler(services.base / "drills.log")]
    from django.core.management import call_command

    from scripts.drills.drills import DRILLS, Params
    from scripts.drills.lab import Lab
    from scripts.drills.measure import Outcome
    from scripts.drills.table import plain

    unknown = set(args.only or []) - set(DRILLS)
    if unknown:
        raise SystemExit(f"No such drill: {', '.join(sorted(unknown))}; the drills are {', '.join(DRILLS)}.")
    call_command("migrate", verbosity=0, interactive=False)
    params = Params().quick() if args.quick else Params()
    if args.refuse_minutes is not None:
        params = params.__class__(**{**params.__dict__, "refuse_for": args.refuse_minutes * 60})
    lab = Lab(services, worker_env={**os.environ}, cap=args.cap)
    outcomes = []
    for name in args.only or list(DRILLS):
        print(f"drills: {name} ...", flush=True)
        started = time.time()
        try:
            outcome = DRILLS[name](lab, params)
        except Exception as exc:
            traceback.print_exc()
            outcome = Outcome(name, "the drill itself failed", notes=[f"error: {exc!r}"[:300]])
        outcomes.append(outcome)
        print(plain([outcome]).splitlines()[-1], f"({time.time() - started:.0f} s)", flush=True)
    return outcomes


def main() -> int:
    args = arguments()
    started = time.time()
    # Ctrl-C raises KeyboardInterrupt; a plain kill is turned into the same clean exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    services = Services(
        pg_port=args.pg_port, redis_port=args.redis_port, smtp_port=args.smtp_port, keep=args.keep_logs
    )
    try:
        services.start()
        outcomes = run(args, services)
    finally:
        services.close()
    from scripts.drills.table import failures, markdown, plain

    print()
    print(plain(outcomes))
    args.results.write_text(header(args, started) + markdown(outcomes))
    print(f"\nWritten to {args.results}")
    return 1 if any(failures(o) for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
