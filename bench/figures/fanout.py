"""Figure 4, the fan-out: a referral asked of six agencies of 25 researchers each (150 recipients, in-app
and e-mail) through a real Celery worker on the real Redis broker.

(a) From the commit of `information_requests_send` to the last of its notifications delivered, p95.
(b) The throughput of one worker process: pending rows enqueued the way the app enqueues them (one
    task per send, i.e. per agency's rows), timed from the first enqueue to the last row sent.

The worker is a subprocess (`celery -A mash.config worker`) given the benchmark's database and broker, and
Django's in-memory e-mail backend: SMTP is not measured; every e-mail is built, rendered to MIME and
handed to a backend, which keeps it in memory.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q

from bench.context import Context
from bench.report import Figure, percentile
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import members_with_role
from mash.config.celery import app
from mash.notifications.delivery import enqueue
from mash.notifications.models import Channel, Notification, Status
from referrals import services as referral_services
from referrals.requests.services import RequestInput, information_requests_send
from referrals.services import SubjectInput

AGENCIES = 6
RESEARCHERS = 25
EVENT = "information_request.sent"
THROUGHPUT_EVENT = "bench.fanout_throughput"
POLL = 0.005  # seconds between looks at the outbox while a send is delivered
TIMEOUT = 120.0  # a send not delivered by then is a failure, not a slow sample
MANAGE = Path(settings.BASE_DIR) / "manage.py"


def measure(ctx: Context) -> list[Figure]:
    if not ctx.broker_url:
        raise RuntimeError("The fan-out needs a Redis broker: set CELERY_BROKER_URL.")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise RuntimeError("Celery runs eagerly in this process: set CELERY_BROKER_URL before Django starts.")
    agencies = _agencies()
    triage = _triage_practitioner()
    ctx.out(
        f"  agencies: {', '.join(f'{a.name} ({a.researchers})' for a in agencies)}; triage: {triage.username}"
    )
    with _Worker(ctx) as worker:
        latency = _latency(ctx, agencies, triage)
        throughput = _throughput(ctx, agencies)
        worker_detail = worker.describe()
    common = {
        "worker": worker_detail,
        "email": "Django's locmem backend: each e-mail is built, rendered and handed to a backend in "
        "memory; SMTP is not measured.",
        "broker": "Redis (the benchmark's CELERY_BROKER_URL); the worker's own queue, purged first.",
    }
    return [
        Figure(
            number=4,
            name="Fan-out: commit to last delivery, p95",
            value=latency["p95_ms"],
            unit="ms",
            target=2000,
            compare="value",
            detail={**latency, **common},
        ),
        Figure(
            number=4,
            name="Fan-out: single worker throughput",
            value=throughput["per_second"],
            unit="notifications/s",
            target=500,
            compare="value",
            at_least=True,
            detail={**throughput, **common},
        ),
    ]


# The cast ----------------------------------------------------------------------------------------


def _agencies() -> list[Agency]:
    """The six non-lead active agencies with the most active researchers."""
    agencies = list(
        Agency.objects.filter(is_lead=False, is_active=True)
        .annotate(
            researchers=Count(
                "memberships__user",
                filter=Q(
                    memberships__roles__name=Role.AGENCY_RESEARCHER,
                    memberships__user__is_active=True,
                ),
                distinct=True,
            )
        )
        .order_by("-researchers", "pk")[:AGENCIES]
    )
    if len(agencies) < AGENCIES or agencies[-1].researchers < RESEARCHERS:
        raise RuntimeError(
            f"The fan-out needs {AGENCIES} partner agencies of at least {RESEARCHERS} researchers; "
            f"found {[(a.name, a.researchers) for a in agencies]}."
        )
    return agencies


def _triage_practitioner():
    lead = Agency.objects.get(is_lead=True)
    practitioner = members_with_role(lead.pk, Role.TRIAGE_PRACTITIONER).first()
    if practitioner is None:
        raise RuntimeError("The lead agency has no active triage practitioner.")
    return practitioner


def _referral_in_gathering(triage, n: int):
    """A fresh red referral in information gathering, made by the real services (as the tests do)."""
    referral = referral_services.referral_create(
        by=triage,
        kind="child",
        channel="phone",
        referrer_name="Benchmark referrer",
        referrer_phone="01473 000000",
        account="Benchmark fan-out: a child seen with bruising.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(given_name="Fanout", family_name=f"Bench{n}", approximate_age=9)],
    )
    referral_services.referral_transition(referral=referral, by=triage, to_state="screening")
    referral_services.referral_rate(referral=referral, by=triage, rating="red", rationale="Benchmark.")
    referral_services.referral_transition(referral=referral, by=triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral


# (a) Commit to last delivery -----------------------------------------------------------------------


def _latency(ctx: Context, agencies, triage) -> dict:
    runs = ctx.repeat(20, 3)
    samples, seen, rows_per_send = [], [], set()
    ctx.out(f"  commit to last delivery: 1 warm-up + {runs} sends of {len(agencies)} agencies")
    for n in range(runs + 1):
        referral = _referral_in_gathering(triage, n)
        committed: list[float] = []
        with transaction.atomic():
            # Registered first, so it runs first after COMMIT: the clock starts at the commit, before
            # the send's own on-commit callbacks enqueue its deliveries.
            transaction.on_commit(lambda committed=committed: committed.append(time.time()))
            sent = information_requests_send(
                referral=referral,
                by=triage,
                requests=[
                    RequestInput(agency=a, questions="What do you know about this child?") for a in agencies
                ],
            )
        ids = list(
            Notification.objects.filter(
                idempotency_key__in=[f"information_request:{r.pk}:sent" for r in sent]
            ).values_list("pk", flat=True)
        )
        last_sent_at, all_seen_at = _wait_all_sent(ids)
        if n == 0:
            continue  # the warm-up: the worker's first task (imports, connections) is not a sample
        rows_per_send.add(len(ids))
        samples.append((last_sent_at - committed[0]) * 1000)
        seen.append((all_seen_at - committed[0]) * 1000)
    ctx.out(f"  median {statistics.median(samples):.0f} ms, p95 {percentile(samples, 95):.0f} ms")
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "poll_saw_all_sent_median_ms": round(statistics.median(seen), 1),
        "poll_saw_all_sent_p95_ms": round(percentile(seen, 95), 1),
        "agencies": {a.name: a.researchers for a in agencies},
        "recipients_per_send": sum(a.researchers for a in agencies),
        "rows_per_send": sorted(rows_per_send),
        "measured": "time.time() in an on-commit callback registered before the send (so at COMMIT, "
        "before the enqueue) to the largest sent_at of the send's rows (the worker's clock, same "
        f"machine); the outbox polled every {POLL * 1000:.0f} ms for undelivered rows. One warm-up send "
        "not counted; each send is a fresh red referral moved to information gathering by the services.",
    }


def _wait_all_sent(ids: list[int], poll: float = POLL) -> tuple[float, float]:
    """Poll until every row is sent; the largest sent_at, and when the poll saw them all sent.

    The poll asks only for rows of the id range still pending or sending (the partial index of the
    sweep), so it stays cheap while the worker runs beside it; the exact check comes after.
    """
    rows = Notification.objects.filter(pk__in=ids)
    undelivered = Notification.objects.filter(
        pk__gte=min(ids), pk__lte=max(ids), status__in=[Status.PENDING, Status.SENDING]
    )
    deadline = time.monotonic() + TIMEOUT
    while undelivered.exists():
        if time.monotonic() > deadline:
            stuck = dict(rows.exclude(status=Status.SENT).values_list("status").annotate(n=Count("pk")))
            raise RuntimeError(f"Notifications not delivered after {TIMEOUT:.0f} s: {stuck}")
        time.sleep(poll)
    seen = time.time()
    state = rows.aggregate(
        total=Count("pk"), sent=Count("pk", filter=Q(status=Status.SENT)), last=Max("sent_at")
    )
    if state["sent"] != len(ids):
        stuck = dict(rows.exclude(status=Status.SENT).values_list("status").annotate(n=Count("pk")))
        raise RuntimeError(f"{len(ids) - state['sent']} notification(s) not delivered: {stuck}")
    return state["last"].timestamp(), seen


# (b) Throughput -------------------------------------------------------------------------------------


def _throughput(ctx: Context, agencies) -> dict:
    """N pending rows written directly (bulk) for the agencies' researchers, enqueued as notify() would
    (one task per send: one agency's researchers' e-mails; in-app rows are delivered by the commit that
    writes them, so only e-mail goes through the worker), timed from the first enqueue to the
    last row sent."""
    total = ctx.repeat(6000, 600)
    per_send = RESEARCHERS
    researchers = [list(members_with_role(a.pk, Role.AGENCY_RESEARCHER)[:RESEARCHERS]) for a in agencies]
    run = uuid.uuid4().hex[:12]
    rows = []
    for send in range(total // per_send):
        key = f"bench:{run}:{send}"
        for user in researchers[send % len(researchers)]:
            for channel in (Channel.EMAIL,):
                rows.append(
                    Notification(
                        recipient=user,
                        channel=channel,
                        event=THROUGHPUT_EVENT,
                        idempotency_key=key,
                        title=f"Information requested: MASH-BENCH-{send:06d} (Red)",
                        body=f"The MASH asks your agency about referral MASH-BENCH-{send:06d}. "
                        "Answer by Mon 01 Jan 12:00.",
                        url=f"/referrals/requests/{send}/",
                    )
                )
    Notification.objects.bulk_create(rows, batch_size=1000)
    sends: dict[str, list[int]] = {}
    for pk, key in Notification.objects.filter(idempotency_key__startswith=f"bench:{run}:").values_list(
        "pk", "idempotency_key"
    ):
        sends.setdefault(key, []).append(pk)
    ids = [pk for group in sends.values() for pk in group]
    ctx.out(f"  throughput: {len(ids)} pending rows in {len(sends)} tasks of {per_send}")
    started = time.time()
    for group in sends.values():
        if not enqueue(group):
            raise RuntimeError("Could not enqueue to the broker.")
    enqueued = time.time()
    last_sent_at, _ = _wait_all_sent(ids, poll=0.05)
    seconds = last_sent_at - started
    per_second = len(ids) / seconds
    ctx.out(f"  {len(ids)} rows in {seconds:.2f} s: {per_second:.0f}/s")
    # The rows are synthetic (no send behind them): gone again, so the researchers' inboxes that
    # other figures read are not swollen by this one.
    Notification.objects.filter(pk__in=ids).delete()
    return {
        "rows": len(ids),
        "tasks": len(sends),
        "rows_per_task": per_send,
        "seconds": round(seconds, 3),
        "enqueue_seconds": round(enqueued - started, 3),
        "per_second": round(per_second, 1),
        "measured": "e-mail rows bulk-written as pending, then enqueue() once per send of one "
        "agency's researchers, as notify() does (each e-mail marked sent as the backend accepts it); "
        "from the first enqueue to the largest "
        "sent_at. The rows are deleted afterwards.",
    }


# The worker -------------------------------------------------------------------------------------------


class _Worker:
    """One `celery -A mash.config worker` subprocess on the benchmark's database and broker, no beat.

    --pool=solo: the task runs in the one process that also talks to the broker, so the throughput is
    that of a single worker process in the strict sense. (prefork with --concurrency=1 would put the
    broker I/O in a parent process and the task in a child: two processes, on a two-core machine.)
    """

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.name = f"fanout-bench-{os.getpid()}@{uuid.uuid4().hex[:6]}"
        self.log = tempfile.NamedTemporaryFile(prefix="fanout-worker-", suffix=".log", delete=False)  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def describe(self) -> str:
        return "one `celery -A mash.config worker --pool=solo --concurrency=1` subprocess, no beat, DEBUG=0"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mash.config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--hostname",
            self.name,
        ]

    def __enter__(self):
        app.control.purge()  # nothing left over from an earlier run is delivered during this one
        env = {
            **os.environ,
            "DATABASE_URL": self.ctx.database_url,
            "CELERY_BROKER_URL": self.ctx.broker_url,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-fanout-worker",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        self.process = subprocess.Popen(
            self.command(),
            cwd=MANAGE.parent,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[self.name], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._stop()
                raise RuntimeError(f"The Celery worker did not start:\n{self._log_tail()}")
        self.ctx.out(f"  worker {self.name} ready (pid {self.process.pid})")
        return self

    def __exit__(self, *exc):
        self._stop()
        Path(self.log.name).unlink(missing_ok=True)

    def _stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # a warm shutdown: the task in hand finishes
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _log_tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]
