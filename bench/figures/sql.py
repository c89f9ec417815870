"""Figure 3: every list page and list endpoint's server time against the time of its own SQL.

For each entry of the catalogue (``bench/endpoints.py``), a user of the entry's role and agency kind is
signed in (as figure 2 does) and the page is requested; the queries it runs are captured (session, user
and middleware included), then each SELECT is run directly with ``EXPLAIN (ANALYZE, FORMAT JSON)`` and
its planning and execution times summed. The page's server time is the whole request in-process
(Django's test client: middleware, view, template or serializer); both are medians over the same run.
A write a page makes (none of the lists makes one) would not be in its SQL.

What the ratio leaves out of the SQL is the work on the web side: building the rows into objects,
rendering them, the request's machinery. ``manage.py bench_profile`` shows where that time goes
(bench/profiles/).
"""

import json
import statistics

from django.db import connection
from django.urls import reverse

from bench import actors, timing
from bench.endpoints import ENDPOINTS
from bench.report import Figure, summary

TARGET = 3.0


def _explain_ms(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Planning Time"] + plan[0]["Execution Time"]


def _measure(endpoint, n: int) -> Figure | None:
    user = actors.user_for(endpoint)
    if user is None:
        return None
    client = timing.client_for(user)
    url = reverse(endpoint.url_name, args=endpoint.args)

    def fetch():
        response = client.get(url, endpoint.query)
        if response.status_code != 200:
            raise RuntimeError(f"{endpoint.label} ({url}) answered {response.status_code} for {user}.")

    fetch()
    _, queries = timing.query_count(fetch)
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    page = timing.interleaved({"page": fetch}, n=n)["page"]
    sql = [sum(_explain_ms(s) for s in selects) for _ in range(n)]
    return Figure(
        number=3,
        name=f"{endpoint.label[:1].upper()}{endpoint.label[1:]}: server time / its SQL by EXPLAIN ANALYZE "
        "(medians)",
        value=statistics.median(page),
        unit="ms",
        target=TARGET,
        baseline=statistics.median(sql),
        baseline_name="its SQL",
        detail={
            "url": url,
            "user": user.username,
            "page": summary(page),
            "sql": summary(sql),
            "queries": len(queries),
            "selects": len(selects),
            "per_select_ms": [round(statistics.median(_explain_ms(s) for _ in range(3)), 3) for s in selects],
            "sql_text": [s[:300] for s in selects],
        },
    )


def measure(ctx) -> list[Figure]:
    figures, missing = [], []
    n = ctx.repeat(40, 5)
    for endpoint in ENDPOINTS:
        figure = _measure(endpoint, n)
        if figure is None:
            missing.append(endpoint.label)
            continue
        ctx.out(f"  {endpoint.label}: {figure.value:.1f} ms / {figure.baseline:.1f} ms = {figure.ratio:.1f}x")
        figures.append(figure)
    if missing:
        raise RuntimeError(f"No user in the data for: {', '.join(missing)}: every list must be measured.")
    return figures
