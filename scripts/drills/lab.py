"""The drill harness on the Django side: a clean start per drill, sends timed as requests, the
worker's answer to a ping, and the wait for the outbox to settle."""

import time

import redis
from django.db import transaction

from mash.notifications import delivery
from mash.notifications.models import Notification
from mash.notifications.services import notify
from scripts.drills.measure import Outcome, count, settle, with_database
from scripts.drills.services import Services, Worker, wait_for


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


class Lab:
    def __init__(self, services: Services, *, worker_env: dict, cap: float):
        self.services = services
        self.worker_env = worker_env
        self.cap = cap
        self.commits: dict[str, float] = {}

    @property
    def worker(self) -> Worker:
        return self.services.worker

    def fresh(self, *, pace: float = 0) -> None:
        """Before each drill: no worker, an empty broker and outbox, a normal sink; then a worker."""
        if self.services.worker:
            self.services.worker.stop()
        redis.Redis(port=self.services.redis.port).flushall()
        with_database(lambda: Notification.objects.all().delete())
        self.services.sink.behave(delay=pace)
        # Each drill's sends start as a fresh web process would, not paused by the last drill's outage.
        resume = getattr(delivery, "resume_enqueueing", None)
        if resume:
            resume()
        self.services.sink.clear()
        self.commits = {}
        self.services.worker = Worker(self.services.base, self.worker_env)
        self.services.worker.start()
        if self.wait_worker(timeout=90) is None:
            raise RuntimeError(f"the worker did not start: see {self.services.worker.log}")

    def ping(self) -> bool:
        from mash.config.celery import app

        try:
            return bool(app.control.ping(timeout=1))
        except Exception:
            return False

    def wait_worker(self, *, timeout: float) -> float | None:
        """Seconds until the worker answers a ping, or None after ``timeout``."""
        start = time.time()
        try:
            wait_for(self.ping, timeout=timeout, interval=0.5, what="the worker")
        except TimeoutError:
            return None
        return time.time() - start

    def send(self, outcome: Outcome, key: str, recipients, *, title: str = "Drill notification") -> None:
        """notify() in a transaction, as a request does; timed from its start until after commit
        (the enqueue runs on commit)."""
        start = time.monotonic()
        try:
            with transaction.atomic():
                notify(
                    recipients=recipients,
                    event="drill.sent",
                    idempotency_key=key,
                    title=title,
                    body="Sent by make drills.",
                    url="/notifications/",
                )
        except Exception as exc:
            outcome.request(time.monotonic() - start, ok=False)
            outcome.notes.append(f"a send failed: {exc!r}"[:200])
            return
        self.commits[key] = time.time()
        outcome.request(time.monotonic() - start, ok=True)

    def worker_returns(self, outcome: Outcome, *, since: float, timeout: float = 90) -> None:
        """After the broker returns: how long until the worker answers by itself. A worker that does
        not come back is restarted by the drill (so that the outbox can still be counted)."""
        back = self.wait_worker(timeout=max(1.0, timeout - (time.time() - since)))
        outcome.worker_back = None if back is None else time.time() - since
        if back is None:
            outcome.notes.append(
                f"worker not back {timeout:.0f} s after the broker returned "
                f"(process {'running' if self.worker.alive() else 'gone'}); the drill restarted it"
            )
            self.worker.stop()
            self.worker.start()
            self.wait_worker(timeout=60)

    def finish(self, outcome: Outcome, *, since: float) -> Outcome:
        """Wait (polling, up to the cap) until every row is sent or failed, then count."""
        outcome.recovery = settle(self.commits, since=since, cap=self.cap)
        if outcome.recovery is None:
            outcome.notes.append(f"rows still pending or sending {self.cap:.0f} s after the fault")
        count(outcome, self.commits, self.services.sink.accepted())
        return outcome
