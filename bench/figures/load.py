"""Figure 7, load: gunicorn with 2 workers on loopback, 20 concurrent users working the triage queue,
referral pages and the agency inbox; p95 latency, errors, and the peak memory of a web worker.

gunicorn (`mash.config.wsgi`, 2 sync workers) is a subprocess given the benchmark's database. The users are
signed in without the login form: a database session is made for each, holding what
`django.contrib.auth.login` stores. 12 are the lead agency's triage practitioners (the queue, filtered
and paged, and the referral pages of referrals on it), 8 are researchers of partner agencies (their
inbox and the summary pages of the referrals asked of them). Every (path, user) pair of the mix is
fetched once before the run and must answer 200; those fetches, one at a time, are also each path's
time alone. wrk (`-t 2 -c 20`, a generated Lua script) then cycles through the mix, each request with
its user's session cookie. Pages link CSS and scripts; wrk fetches only the pages.
"""

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from bench import second_factor
from bench.context import Context
from bench.report import Figure, percentile
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from referrals import selectors
from referrals.request_selectors import agency_inbox_for

TRIAGE_USERS = 12
RESEARCHERS = 8
CONNECTIONS = 20
THREADS = 2
WORKERS = 2
# A user reads a page before the next click: each connection pauses THINK_MS (uniform, 0.5 to 1.5 times
# it) between requests; a second, recorded run has no pause at all (a closed loop: the 20 always wait on
# the 2 workers, so mean latency ~ 20 / throughput by Little's law) and gives the saturation throughput.
THINK_MS = int(os.environ.get("BENCH_LOAD_THINK_MS", "2000"))
MIX_SIZE = 400  # requests in one cycle of the mix
# A working day: referral pages 40% (lead detail pages and partners' summaries in the ratio of the
# users, 12:8), the queue 35%, the inbox 25%.
WEIGHTS = {"referral": 0.24, "summary": 0.16, "queue": 0.35, "inbox": 0.25}
QUEUE_QUERIES = [
    "",
    "",
    "",
    "?page=2",
    "?page=3",
    "?page=4",
    "?state=screening",
    "?state=received",
    "?rag=red",
    "?rag=amber",
    "?breached=on",
    "?assigned_to_me=on",
    "?state=information_gathering&page=2",
]
PORTS = range(8100, 8200)
# The ModelBackend authenticates a password sign-in (axes' backend only guards it), so login stores it.
BACKEND = "django.contrib.auth.backends.ModelBackend"
GUNICORN = Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn"
WRK = "/usr/bin/wrk"


def measure(ctx: Context) -> list[Figure]:
    if not ctx.database_url:
        raise RuntimeError("The load figure needs the benchmark database: set DATABASE_URL.")
    if not Path(WRK).exists():
        raise RuntimeError(f"{WRK} is missing: apt-get install wrk (the Makefile's /usr/bin/wrk rule).")
    rng = random.Random(7)
    users = _users()
    ctx.out(f"  users: {len(users['triage'])} triage practitioners, {len(users['researcher'])} researchers")
    cookies = _sessions(users["triage"] + users["researcher"])
    duration = 8 if ctx.quick else 60
    try:
        mix = _mix(users, cookies, rng)
        with _Gunicorn(ctx) as server:
            alone = _check_and_time(server.port, mix)
            ctx.out(
                "  every pair answered 200; alone: "
                + ", ".join(f"{k} {v['median_ms']} ms" for k, v in alone.items())
            )
            _warm(server.port, mix, seconds=2 if ctx.quick else 5)
            result = _wrk(server.port, mix, duration, THINK_MS)
            saturated = _wrk(server.port, mix, 8 if ctx.quick else 20, 0)
            memory = server.worker_memory()
    finally:
        Session.objects.filter(session_key__in=list(cookies.values())).delete()

    errors = result["status_errors"] + result["socket_errors"]
    kinds = Counter(kind for kind, _path, _cookie in mix)
    common_mix = {k: f"{kinds[k] / len(mix):.0%}" for k in WEIGHTS}
    latency_detail = {
        "median_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "p99_ms": result["p99_ms"],
        "max_ms": result["max_ms"],
        "requests": result["requests"],
        "requests_per_s": result["requests_per_s"],
        "duration_s": result["duration_s"],
        "non_2xx": result["status_errors"],
        "socket_errors": result["socket_errors_by_kind"],
        "mix": common_mix,
        "distinct_pairs": len(set(mix)),
        "paths_alone_ms": alone,
        "users": f"{len(users['triage'])} lead triage practitioners, {len(users['researcher'])} partner "
        f"agency researchers; {CONNECTIONS} wrk connections cycle through the mix, "
        + (f"pausing {THINK_MS // 2}-{THINK_MS * 3 // 2} ms between clicks" if THINK_MS else "no pause"),
        "server": f"gunicorn mash.config.wsgi, {WORKERS} workers (gunicorn.conf.py: gthread, 4 threads), "
        "127.0.0.1; DEBUG=0; PostgreSQL",
        "tool": f"wrk -t {THREADS} -c {CONNECTIONS} -d {duration}s after a warm-up; latency is measured on "
        f"the same {os.cpu_count()}-core machine as gunicorn, PostgreSQL and wrk itself",
        "writes": "each referral page logs its read (access log row), as in use",
    }
    return [
        Figure(
            number=7,
            name=f"Load: p95 latency, {CONNECTIONS} users",
            value=result["p95_ms"],
            unit="ms",
            target=150,
            compare="value",
            detail=latency_detail,
        ),
        Figure(
            number=7,
            name="Load: errors",
            value=float(errors),
            unit="responses",
            target=0,
            compare="value",
            detail={
                "non_2xx": result["status_errors"],
                "by_status": result["by_status"],
                "socket_errors": result["socket_errors_by_kind"],
                "requests": result["requests"],
            },
        ),
        Figure(
            number=7,
            name=f"Load: closed loop, {CONNECTIONS} connections with no pause, p95 "
            f"(saturation: {saturated['requests_per_s']:.0f} requests/s)",
            value=saturated["p95_ms"],
            unit="ms",
            target=None,
            compare="value",
            detail={
                "median_ms": saturated["p50_ms"],
                "requests_per_s": saturated["requests_per_s"],
                "requests": saturated["requests"],
                "errors": saturated["status_errors"] + saturated["socket_errors"],
                "meaning": "the most the 2 workers serve: every connection waits on them all the time",
            },
        ),
        Figure(
            number=7,
            name="Load: peak web worker memory",
            value=max(memory.values()),
            unit="MB",
            target=None,
            compare="value",
            detail={
                "recorded": "recorded, not targeted",
                "workers_vmhwm_mb": list(memory.values()),
                "source": "VmHWM of each gunicorn worker (/proc/<pid>/status) just before it is stopped",
            },
        ),
    ]


# The users and their sessions.


def _users() -> dict[str, list]:
    """12 lead triage practitioners; 8 researchers of partner agencies with open requests, spread
    over the agencies (found in whatever data is in the database)."""
    User = get_user_model()
    lead = list(
        User.objects.filter(
            is_active=True,
            membership__agency__is_lead=True,
            membership__agency__is_active=True,
            groups__name=Role.TRIAGE_PRACTITIONER,
        )
        .distinct()
        .order_by("pk")[:TRIAGE_USERS]
    )
    if not lead:
        raise RuntimeError("No triage practitioner of the lead agency in the database.")
    researchers = []
    agencies = list(Agency.objects.filter(is_lead=False, is_active=True).order_by("pk"))
    per_agency = {
        a.pk: list(
            User.objects.filter(
                is_active=True,
                membership__agency=a,
                groups__name=Role.AGENCY_RESEARCHER,
            )
            .distinct()
            .order_by("pk")[:RESEARCHERS]
        )
        for a in agencies
    }
    # Round robin over the agencies, keeping only researchers whose inbox has something to open.
    depth = 0
    while len(researchers) < RESEARCHERS and any(len(v) > depth for v in per_agency.values()):
        for candidates in per_agency.values():
            if depth < len(candidates) and len(researchers) < RESEARCHERS:
                user = candidates[depth]
                if agency_inbox_for(user).exists():
                    researchers.append(user)
        depth += 1
    if not researchers:
        raise RuntimeError("No partner agency researcher with an open request in the database.")
    return {"triage": _cycle(lead, TRIAGE_USERS), "researcher": _cycle(researchers, RESEARCHERS)}


def _cycle(users: list, n: int) -> list:
    """n users, repeating the first ones when the database has fewer (their sessions differ)."""
    return [users[i % len(users)] for i in range(n)]


def _sessions(users: list) -> dict[int, str]:
    """A session per user (by position), holding what django.contrib.auth.login stores."""
    keys = {}
    for index, user in enumerate(users):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        second_factor.verify(session, user)
        session.create()
        keys[index] = session.session_key
    return keys


# The mix: (kind, path, session key) triples, weighted like a working day.


def _mix(users: dict[str, list], cookies: dict[int, str], rng: random.Random) -> list[tuple[str, str, str]]:
    triage = [(u, cookies[i]) for i, u in enumerate(users["triage"])]
    offset = len(users["triage"])
    researchers = [(u, cookies[offset + i]) for i, u in enumerate(users["researcher"])]
    queue_pages = selectors.referral_queue_for(triage[0][0]).values_list("pk", flat=True)[:150]
    referral_ids = list(queue_pages)
    if not referral_ids:
        raise RuntimeError("The lead agency's triage queue is empty.")
    inbox_referrals = {}
    for user, key in researchers:
        ids = list(agency_inbox_for(user).values_list("referral_id", flat=True)[:50])
        inbox_referrals[key] = ids
    counts = {kind: round(weight * MIX_SIZE) for kind, weight in WEIGHTS.items()}
    mix = []
    for n in range(counts["queue"]):
        _user, key = triage[n % len(triage)]
        mix.append(("queue", "/referrals/" + QUEUE_QUERIES[n % len(QUEUE_QUERIES)], key))
    for n in range(counts["referral"]):
        _user, key = triage[n % len(triage)]
        mix.append(("referral", f"/referrals/{rng.choice(referral_ids)}/", key))
    for n in range(counts["inbox"]):
        _user, key = researchers[n % len(researchers)]
        mix.append(("inbox", "/referrals/requests/", key))
    for n in range(counts["summary"]):
        _user, key = researchers[n % len(researchers)]
        mix.append(("summary", f"/referrals/{rng.choice(inbox_referrals[key])}/", key))
    rng.shuffle(mix)
    return mix


# gunicorn.


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for gunicorn.")


class _Gunicorn:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.process = None

    def __enter__(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mash.config.settings",
            "DATABASE_URL": self.ctx.database_url,
            "DEBUG": "0",
            # The same key as this process: it signs the sessions made here and their auth hashes.
            "SECRET_KEY": settings.SECRET_KEY,
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        # Page views enqueue nothing: no broker (a task would run eagerly, in the request, and show).
        env.pop("CELERY_BROKER_URL", None)
        self.process = subprocess.Popen(
            [str(GUNICORN), "mash.config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self._log_tail()}")
            try:
                status, _ = _get(self.port, "/healthz", None)
                if status == 200 and len(self.worker_pids()) == WORKERS:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self._log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def _log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc/<pid>/stat (field 4 is the parent's pid)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name (field 2) is in parentheses and may hold spaces: split after it.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_memory(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM), in MB."""
        memory = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    memory[pid] = round(int(line.split()[1]) / 1024, 1)
        if not memory:
            raise RuntimeError("No gunicorn worker found to read its memory.")
        return memory


def _get(port: int, path: str, session_key: str | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if session_key:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _check_and_time(port: int, mix: list[tuple[str, str, str]]) -> dict[str, dict]:
    """Fetch every distinct (path, user) once; anything but 200 stops the figure. Also warms the
    workers and times each kind of page alone (one request at a time)."""
    for _kind, path, key in mix[:20]:  # first touches: imports, templates, connections
        _get(port, path, key)
    timings: dict[str, list[float]] = {}
    for kind, path, key in dict.fromkeys(mix):
        started = time.perf_counter()
        status, _body = _get(port, path, key)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status} for a {kind} user: the mix must be all 200s.")
        timings.setdefault(kind, []).append(elapsed)
    return {
        kind: {
            "n": len(samples),
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 95), 1),
        }
        for kind, samples in sorted(timings.items())
    }


def _warm(port: int, mix, *, seconds: int) -> None:
    _run_wrk(port, mix, seconds, 0)
    # wrk stops with its last requests still queued at gunicorn: let them drain, or the measured run's
    # first requests wait behind the warm-up's.
    time.sleep(3)


# wrk.

LUA = r"""
local requests = {}
local threads = {}
local counter = 1

function setup(thread)
  thread:set("offset", #threads * 997)
  table.insert(threads, thread)
end

function init(args)
  local pairs_ = {
%(pairs)s
  }
  for i, p in ipairs(pairs_) do
    requests[i] = wrk.format("GET", p[1], {["Host"] = "127.0.0.1", ["Cookie"] = "%(cookie)s=" .. p[2]})
  end
  counter = (offset or 0) %% #requests + 1
  -- Each thread its own pauses: unseeded, both threads' Lua states would pause their connections alike.
  math.randomseed(7 + (offset or 0))
  statuses = {}
end

function request()
  local r = requests[counter]
  counter = counter %% #requests + 1
  return r
end

%(delay)s
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_)
  local by_status = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      by_status[code] = (by_status[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(by_status) do
    table.insert(parts, string.format('"%%d": %%d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d, "requests": %%d, "duration_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "by_status": {%%s}}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", ")))
end
"""


def _lua(mix, think_ms: int) -> str:
    pairs = ",\n".join(f'    {{"{path}", "{key}"}}' for _kind, path, key in mix)
    delay = (
        f"function delay()\n  return math.random({think_ms // 2}, {think_ms * 3 // 2})\nend\n"
        if think_ms
        else ""
    )
    return LUA % {"pairs": pairs, "cookie": settings.SESSION_COOKIE_NAME, "delay": delay}


def _run_wrk(port: int, mix, seconds: int, think_ms: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_lua(mix, think_ms))
        script.flush()
        completed = subprocess.run(
            [
                WRK,
                "-t",
                str(THREADS),
                "-c",
                str(CONNECTIONS),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    return json.loads(line.removeprefix("WRK-JSON "))


def _wrk(port: int, mix, seconds: int, think_ms: int) -> dict:
    raw = _run_wrk(port, mix, seconds, think_ms)
    by_status = {int(code): n for code, n in raw["by_status"].items()}
    # Anything but 200 is an error here: the mix was checked to be all 200s (a 302 is a lost session).
    status_errors = sum(n for code, n in by_status.items() if code != 200)
    sockets = {k: raw[k] for k in ("connect", "read", "write", "timeout")}
    duration_s = raw["duration_us"] / 1e6
    return {
        "p50_ms": round(raw["p50"] / 1000, 1),
        "p95_ms": round(raw["p95"] / 1000, 1),
        "p99_ms": round(raw["p99"] / 1000, 1),
        "max_ms": round(raw["max"] / 1000, 1),
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / duration_s, 1),
        "duration_s": round(duration_s, 1),
        "status_errors": max(status_errors, raw["status"]),
        "by_status": {str(code): n for code, n in sorted(by_status.items())},
        "socket_errors": sum(sockets.values()),
        "socket_errors_by_kind": sockets,
    }
