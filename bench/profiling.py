"""Where a request's time goes, layer by layer: the hot pages profiled with py-spy.

Each page is requested through Django's test client (the whole request: middleware, session, user,
view, template or serializer) as the user the benchmark's figures use, first a few times to warm the
process's caches, then ``n`` times while py-spy samples this process from outside 1,000 times a second
(``--idle``: waiting on PostgreSQL counts; ``--nonblocking``: the process is never paused, so the
profile costs the requests nothing, unlike an in-process profiler, which slowed them 3 to 5 times and
swelled the share of code that makes many small calls). Every sample is a stack;
it is put in one layer by its innermost frame that a layer claims (the order of ``LAYERS``), so time
waiting on PostgreSQL inside psycopg counts as SQL even when a template asked for the rows, and time
in the template engine counts as templates even when it formats a date. A second table puts the same
samples in the stage of the request they were taken in (which middleware, the view, the rendering).

``manage.py bench_profile`` writes the tables to ``bench/profiles/<name>.md``.
"""

import os
import signal
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from bench import actors, timing
from bench.endpoints import ENDPOINTS

PROJECT = "<the project>"  # a file of this checkout outside its venv
# (layer, what its frames' file paths contain), innermost frame first.
LAYERS = [
    ("SQL: psycopg and the wait on PostgreSQL", ("/psycopg/", "/psycopg_c/", "/psycopg_binary/")),
    ("Redis client", ("/redis/",)),
    ("ORM: compiling queries, building model objects", ("/django/db/",)),
    ("Templates: Django's template engine, tags and filters", ("/django/template/", "/templatetags/")),
    ("Forms and widgets", ("/django/forms/",)),
    ("DRF: serializers, fields, renderers", ("/rest_framework/", "/drf_spectacular/")),
    ("URLs: resolving and reversing", ("/django/urls/",)),
    ("Dates, formats, translation", ("/django/utils/dateformat", "/django/utils/formats", "/translation/")),
    ("Sessions and signing", ("/django/contrib/sessions/", "/django/core/signing", "/django/contrib/auth/")),
    ("Permissions: django-guardian", ("/guardian/",)),
    ("Middleware packages: CSP, axes, auditlog, OTP", ("/csp/", "/axes/", "/auditlog/", "/django_otp/")),
    ("The project's code", (PROJECT,)),
    ("Django's request handling, other Django", ("/django/",)),
]
OTHER = "Other (the standard library, the profiler)"

# The stage of the request: the innermost of these frames on the stack names it.
STAGES = [
    ("rendering the page (template)", ("/django/template/",)),
    ("serializing (DRF)", ("/rest_framework/serializers", "/rest_framework/fields", "/rest_framework/rend")),
    ("the view", ("/views.py", "/views/", "/rest_framework/views", "/rest_framework/generics")),
    ("middleware", ("/middleware",)),
    ("loading the session, the user", ("/django/contrib/sessions/", "/django/contrib/auth/")),
]


@dataclass
class Page:
    label: str
    url_name: str
    endpoint_label: str | None = None  # an entry of the catalogue: its user and query
    referral_page: bool = False  # a referral's own page, for the lead triage practitioner


HOT = [
    Page("triage queue", "referrals:queue", "triage queue"),
    Page("agency inbox", "referrals:agency_inbox", "information request inbox"),
    Page("referral page", "referrals:detail", referral_page=True),
    Page("strategy queue", "strategy:queue", "strategy queue"),
    Page("api referrals", "api-referrals", "api referrals"),
    Page("api information requests", "api-information-requests", "api information requests"),
    Page("api threshold queue", "api-threshold-queue", "api threshold queue"),
]


def page_named(label: str) -> Page:
    """A hot page, or any entry of the catalogue, by its label."""
    for page in HOT:
        if page.label == label:
            return page
    for endpoint in ENDPOINTS:
        if endpoint.label == label:
            return Page(label, endpoint.url_name, endpoint.label)
    raise ValueError(f"No page called {label!r} in bench/profiling.py's HOT or bench/endpoints.py.")


def _target(page: Page):
    if page.referral_page:
        user = actors.lead_practitioner()
        from referrals import selectors

        referral = selectors.referral_queue_for(user).first()
        return user, reverse(page.url_name, args=[referral.pk]), {}
    endpoint = next(e for e in ENDPOINTS if e.label == page.endpoint_label)
    return actors.user_for(endpoint), reverse(endpoint.url_name, args=endpoint.args), endpoint.query


def _in(path: str, fragment: str) -> bool:
    if fragment == PROJECT:
        return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path
    return fragment in path


def _path(frame: str) -> str:
    """py-spy's frame is 'function (path:line)'."""
    return frame[frame.rfind(" (") + 2 : frame.rfind(":")]


def _classify(stack: list[str], rules) -> str | None:
    for frame in reversed(stack):  # innermost first
        path = _path(frame)
        for name, fragments in rules:
            if any(_in(path, fragment) for fragment in fragments):
                return name
    return None


def _own_frame(stack: list[str]) -> str:
    frame = stack[-1]
    function, path = frame[: frame.rfind(" (")], _path(frame)
    short = path.split("site-packages/")[-1].removeprefix(str(settings.BASE_DIR) + "/")
    return f"{function} ({short}:{frame[frame.rfind(':') + 1 : -1]})"


PY_SPY = Path(settings.BASE_DIR) / ".venv" / "bin" / "py-spy"


def _sampled(run) -> list[tuple[list[str], int]]:
    """py-spy's stacks (outermost first) and sample counts while ``run()`` runs in this process."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        spy = subprocess.Popen(
            [
                str(PY_SPY),
                "record",
                "--pid",
                str(os.getpid()),
                "--rate",
                "1000",
                "--idle",
                "--nonblocking",
                "--full-filenames",
                "--format",
                "raw",
                "--output",
                out.name,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        time.sleep(1)  # py-spy attaches
        run()
        spy.send_signal(signal.SIGINT)
        log = spy.communicate(timeout=60)[0].decode(errors="replace")
        if spy.returncode not in (0, -signal.SIGINT):
            raise RuntimeError(f"py-spy failed ({spy.returncode}): {log}")
        lines = Path(out.name).read_text().splitlines()
    samples = []
    for line in lines:
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if any("run_requests (" in frame for frame in frames):  # the requests, not the wait
            samples.append((frames, int(count)))
    return samples


def profile(page: Page, n: int) -> dict:
    user, url, query = _target(page)
    client = timing.client_for(user)

    def fetch():
        response = client.get(url, query)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: the profile is wrong.")

    for _ in range(5):
        fetch()
    plain = [timing.timed(fetch) for _ in range(n)]

    def run_requests():
        for _ in range(n):
            fetch()

    started = time.perf_counter()
    samples = _sampled(run_requests)
    profiled_ms = (time.perf_counter() - started - 1) * 1000 / n
    layers, stages, own = Counter(), Counter(), Counter()
    for stack, count in samples:
        layers[_classify(stack, LAYERS) or OTHER] += count
        stages[_classify(stack, STAGES) or "Django's handler, WSGI"] += count
        own[_own_frame(stack)] += count
    total = sum(layers.values()) or 1.0
    median = statistics.median(plain)

    def share(counter):
        return [(name, seconds / total, seconds / total * median) for name, seconds in counter.most_common()]

    return {
        "label": page.label,
        "url": url + (("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""),
        "user": user.username,
        "n": n,
        "median_ms": median,
        "profiled_ms": profiled_ms,
        "samples": int(total),
        "layers": share(layers),
        "stages": share(stages),
        "own": share(own)[:12],
    }


def markdown(results: list[dict], *, heading: str, meta: str) -> str:
    lines = [f"# {heading}", "", meta, ""]
    lines += [
        "Each page is requested in-process (Django's test client: middleware, session, user, view,",
        "template or serializer). 'Median' is the request without the profiler; the shares are py-spy's",
        "samples (1,000 a second, from outside the process) over as many requests again, and 'ms' is the",
        "share of that median. A sample belongs to the innermost layer on its stack (bench/profiling.py,",
        "LAYERS); 'rest' is Django's request handling, sessions, URLs, dates and the standard library.",
        "",
        "| page | median ms | SQL | ORM | templates | DRF | project code | rest |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        by = {name: ms for name, _share, ms in r["layers"]}
        sql, orm = by.get(LAYERS[0][0], 0), by.get(LAYERS[2][0], 0)
        tpl, drf, own = by.get(LAYERS[3][0], 0), by.get(LAYERS[5][0], 0), by.get(LAYERS[11][0], 0)
        rest = r["median_ms"] - sql - orm - tpl - drf - own
        cells = [r["median_ms"], sql, orm, tpl, drf, own, rest]
        lines.append(f"| {r['label']} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")
    for r in results:
        lines += ["", f"## {r['label']}", ""]
        lines.append(
            f"`GET {r['url']}` as `{r['user']}`: median {r['median_ms']:.1f} ms over {r['n']} requests "
            f"({r['profiled_ms']:.1f} ms each while sampled, {r['samples']:,} samples)."
        )
        for title, rows in (("Layer", r["layers"]), ("Stage of the request", r["stages"])):
            lines += ["", f"| {title} | share | ms |", "| --- | --- | --- |"]
            lines += [f"| {name} | {s:.0%} | {ms:.1f} |" for name, s, ms in rows if s >= 0.005]
        lines += ["", "| Hottest functions (own time) | share | ms |", "| --- | --- | --- |"]
        lines += [f"| `{name}` | {s:.1%} | {ms:.2f} |" for name, s, ms in r["own"]]
    return "\n".join(lines) + "\n"
