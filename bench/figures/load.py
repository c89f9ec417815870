"""Figure 7, load: gunicorn with 2 workers on loopback, 20 concurrent users working the triage queue,
referral pages and the agency inbox; p95 latency, errors, and the peak memory of a web worker.

gunicorn (`mash.config.wsgi`, 2 sync workers) is a subprocess given the benchmark's database. The users are
signed in without the login form: a database session is made for each, holding what
`django.contrib.auth.login` stores. 12 are the lead agency's triage practitioners (the queue, filtered
and paged, and the referral pages of referrals on it), 8 are researchers of partner agencies (their
inbox and the summary pages of the referrals asked of them). Every (path, user) pair of the mix is
fetched once before the run and must answer 200; those fetches, one at a time, are also each path's
time alone. wrk (`-t 2 -c 20`, a generated Lua script) then cycles through the mix, each request with
its user's session cookie. Pages link CSS and scripts; wrk fetches only the pages. The users and the mix
are bench/load/scenario.py, gunicorn bench/load/server.py, wrk bench/load/wrk.py; here, the figures.
"""

import os
import random
from collections import Counter
from pathlib import Path

from django.contrib.sessions.models import Session

from bench.context import Context
from bench.load import scenario, server, wrk
from bench.report import Figure

# A user reads a page before the next click: each connection pauses THINK_MS (uniform, 0.5 to 1.5 times
# it) between requests; a second, recorded run has no pause at all (a closed loop: the 20 always wait on
# the 2 workers, so mean latency ~ 20 / throughput by Little's law) and gives the saturation throughput.
THINK_MS = int(os.environ.get("BENCH_LOAD_THINK_MS", "2000"))


def measure(ctx: Context) -> list[Figure]:
    if not ctx.database_url:
        raise RuntimeError("The load figure needs the benchmark database: set DATABASE_URL.")
    if not Path(wrk.WRK).exists():
        raise RuntimeError(f"{wrk.WRK} is missing: apt-get install wrk (the Makefile's /usr/bin/wrk rule).")
    rng = random.Random(7)
    users = scenario.users()
    ctx.out(f"  users: {len(users['triage'])} triage practitioners, {len(users['researcher'])} researchers")
    cookies = scenario.sessions(users["triage"] + users["researcher"])
    duration = 8 if ctx.quick else 60
    try:
        mix = scenario.mix(users, cookies, rng)
        with server.Gunicorn(ctx) as gunicorn:
            alone = server.check_and_time(gunicorn.port, mix)
            ctx.out(
                "  every pair answered 200; alone: "
                + ", ".join(f"{k} {v['median_ms']} ms" for k, v in alone.items())
            )
            wrk.warm(gunicorn.port, mix, seconds=2 if ctx.quick else 5)
            result = wrk.run(gunicorn.port, mix, duration, THINK_MS)
            saturated = wrk.run(gunicorn.port, mix, 8 if ctx.quick else 20, 0)
            memory = gunicorn.worker_memory()
    finally:
        Session.objects.filter(session_key__in=list(cookies.values())).delete()

    errors = result["status_errors"] + result["socket_errors"]
    kinds = Counter(kind for kind, _path, _cookie in mix)
    common_mix = {k: f"{kinds[k] / len(mix):.0%}" for k in scenario.WEIGHTS}
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
        f"agency researchers; {wrk.CONNECTIONS} wrk connections cycle through the mix, "
        + (f"pausing {THINK_MS // 2}-{THINK_MS * 3 // 2} ms between clicks" if THINK_MS else "no pause"),
        "server": f"gunicorn mash.config.wsgi, {server.WORKERS} workers (gunicorn.conf.py: gthread, "
        "4 threads), 127.0.0.1; DEBUG=0; PostgreSQL",
        "tool": f"wrk -t {wrk.THREADS} -c {wrk.CONNECTIONS} -d {duration}s after a warm-up; latency is "
        f"measured on the same {os.cpu_count()}-core machine as gunicorn, PostgreSQL and wrk itself",
        "writes": "each referral page logs its read (access log row), as in use",
    }
    return [
        Figure(
            number=7,
            name=f"Load: p95 latency, {wrk.CONNECTIONS} users",
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
            name=f"Load: closed loop, {wrk.CONNECTIONS} connections with no pause, p95 "
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
