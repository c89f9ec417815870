"""The faults of issue 14, one function each. Every drill starts from a clean outbox and worker,
causes its fault while notifications are being written or delivered, and returns its Outcome."""

import time
from dataclasses import dataclass, replace

import redis
from django.urls import reverse

from referrals.models import InformationRequest
from scripts.drills import data
from scripts.drills.lab import Lab, sleep_until
from scripts.drills.measure import Outcome


@dataclass(frozen=True)
class Params:
    """The issue's figures; `quick()` shortens the long waits for a smoke run."""

    fanout: int = 500  # recipients of the fan-out killed mid-way (an e-mail and an in-app row each)
    fault_after: float = 2.5  # seconds after commit
    pace: float = 0.02  # the sink's time per message when it behaves normally: delivery takes a while
    pg_recipients: int = 300
    pg_down: float = 20
    slow_delay: float = 2.5
    slow_count: int = 50
    refuse_for: float = 9 * 60
    refuse_recipients: int = 100
    unacked_recipients: int = 200
    unacked_pace: float = 0.25
    unacked_down: float = 60
    frozen_requests: int = 8
    agencies: int = 5
    researchers: int = 5
    outage: float = 120
    outage_sends: int = 4
    outage_recipients: int = 50

    def quick(self) -> "Params":
        return replace(self, refuse_for=60, unacked_down=30, outage=30, pg_down=10)


def _fanout(lab: Lab, outcome: Outcome, recipients: int) -> float:
    lab.send(outcome, f"drill:{outcome.drill}", data.recipients(recipients))
    return lab.commits[f"drill:{outcome.drill}"]


def kill_worker(lab: Lab, p: Params) -> Outcome:
    outcome = Outcome("kill", f"kill -9 of the worker {p.fault_after} s into a {p.fanout}-recipient fan-out")
    lab.fresh(pace=p.pace)
    committed = _fanout(lab, outcome, p.fanout)
    sleep_until(committed + p.fault_after)
    outcome.duplicates_allowed = lab.worker.kill()
    outcome.notes.append(f"killed the worker and its {outcome.duplicates_allowed} pool processes")
    if not lab.worker.supervised:
        outcome.notes.append("no scripts/worker.sh: the drill restarted the worker itself")
    return lab.finish(outcome, since=time.time())


def _postgres_fault(lab: Lab, p: Params, name: str, fault: str, cause) -> Outcome:
    outcome = Outcome(name, fault)
    lab.fresh(pace=p.pace)
    committed = _fanout(lab, outcome, p.pg_recipients)
    sleep_until(committed + p.fault_after)
    _, pool = lab.worker.pool()
    cause()
    # The one message each pool process had in flight may have been accepted and not yet marked sent.
    outcome.duplicates_allowed = len(pool)
    return lab.finish(outcome, since=time.time())


def postgres_restart(lab: Lab, p: Params) -> Outcome:
    return _postgres_fault(
        lab, p, "pg-restart", "PostgreSQL restarted while delivering", lab.services.postgres.restart
    )


def postgres_down(lab: Lab, p: Params) -> Outcome:
    def down():
        lab.services.postgres.stop()
        time.sleep(p.pg_down)
        lab.services.postgres.start()

    return _postgres_fault(lab, p, "pg-down", f"PostgreSQL down {p.pg_down:.0f} s while delivering", down)


def slow_smtp(lab: Lab, p: Params) -> Outcome:
    outcome = Outcome("slow-smtp", f"SMTP {p.slow_delay} s a message, {p.slow_count} e-mails in one send")
    lab.fresh(pace=p.slow_delay)
    committed = _fanout(lab, outcome, p.slow_count)
    return lab.finish(outcome, since=committed)


def smtp_refusing(lab: Lab, p: Params) -> Outcome:
    outcome = Outcome("smtp-451", f"SMTP answering 451 for {p.refuse_for / 60:.0f} min")
    lab.fresh()
    until = time.time() + p.refuse_for
    lab.services.sink.behave(refuse_until=until)
    _fanout(lab, outcome, p.refuse_recipients)
    sleep_until(until)
    return lab.finish(outcome, since=until)


def _broker_back(lab: Lab, outcome: Outcome, since: float) -> Outcome:
    outcome.judge_worker_back = True
    lab.worker_returns(outcome, since=since)
    return lab.finish(outcome, since=since)


def redis_lost_unacked(lab: Lab, p: Params) -> Outcome:
    outcome = Outcome(
        "redis-unacked", f"Redis stopped {p.unacked_down:.0f} s while the worker holds an unacknowledged task"
    )
    lab.fresh(pace=p.unacked_pace)
    broker = redis.Redis(port=lab.services.redis.port)
    _fanout(lab, outcome, p.unacked_recipients)
    # kombu's Redis transport keeps a delivered, unacknowledged message in the 'unacked' hash.
    held = _wait(lambda: broker.hlen("unacked") > 0, timeout=30)
    outcome.notes.append("worker held an unacknowledged task" if held else "no unacknowledged task seen")
    time.sleep(p.fault_after)
    lab.services.redis.stop()
    time.sleep(p.unacked_down)
    lab.services.redis.start()
    return _broker_back(lab, outcome, time.time())


def redis_outage(lab: Lab, p: Params) -> Outcome:
    outcome = Outcome("redis-outage", f"Redis down {p.outage:.0f} s, {p.outage_sends} sends during it")
    lab.fresh(pace=p.pace)
    recipients = data.recipients(p.outage_sends * p.outage_recipients)
    lab.services.redis.stop()
    start = time.time()
    for i in range(p.outage_sends):
        sleep_until(start + i * p.outage / p.outage_sends)
        group = recipients[i * p.outage_recipients : (i + 1) * p.outage_recipients]
        lab.send(outcome, f"drill:{outcome.drill}:{i}", group)
    sleep_until(start + p.outage)
    lab.services.redis.start()
    return _broker_back(lab, outcome, time.time())


def redis_frozen(lab: Lab, p: Params) -> Outcome:
    """Requests through the real page (ask partner agencies) while Redis is SIGSTOPped."""
    from tests.second_factor import Client

    outcome = Outcome(
        "redis-frozen",
        f"Redis frozen (SIGSTOP) during {p.frozen_requests} requests notifying {p.agencies} agencies each",
    )
    outcome.judge_requests = True
    triage = data.triage_practitioner()
    agencies = data.partner_agencies(p.agencies, p.researchers)
    referrals = [data.referral_in_gathering(triage, n) for n in range(p.frozen_requests)]
    client = Client(raise_request_exception=False)
    client.force_login(triage)
    lab.fresh(pace=p.pace)
    form = {"agencies-TOTAL_FORMS": len(agencies), "agencies-INITIAL_FORMS": len(agencies)}
    for i, agency in enumerate(agencies):
        form |= {f"agencies-{i}-agency": agency.pk, f"agencies-{i}-ask": "on"}
        form[f"agencies-{i}-questions"] = "What do you know about this child?"
    lab.services.redis.freeze()
    try:
        for referral in referrals:
            start = time.monotonic()
            response = client.post(reverse("referrals:ask", args=[referral.pk]), form)
            outcome.request(time.monotonic() - start, ok=response.status_code == 302)
            committed = time.time()
            for pk in InformationRequest.objects.filter(referral=referral).values_list("pk", flat=True):
                lab.commits[f"information_request:{pk}:sent"] = committed
            if response.status_code != 302:
                outcome.notes.append(f"a request answered {response.status_code}")
    finally:
        lab.services.redis.thaw()
    return _broker_back(lab, outcome, time.time())


def _wait(predicate, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


DRILLS = {
    "kill": kill_worker,
    "pg-restart": postgres_restart,
    "pg-down": postgres_down,
    "slow-smtp": slow_smtp,
    "smtp-451": smtp_refusing,
    "redis-unacked": redis_lost_unacked,
    "redis-frozen": redis_frozen,
    "redis-outage": redis_outage,
}
