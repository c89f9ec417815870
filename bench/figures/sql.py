"""Figure 3: the triage queue page's server time against the time of its own SQL.

The page is requested as a lead triage practitioner (who sees every open referral); the queries it
runs are captured, then each SELECT is run directly with ``EXPLAIN (ANALYZE, FORMAT JSON)`` and its
planning and execution times summed. Both are medians over the same run.
"""

import json
import statistics

from django.db import connection
from django.urls import reverse

from bench import actors, timing
from bench.report import Figure, summary

TARGET = 3.0


def _explain_ms(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Planning Time"] + plan[0]["Execution Time"]


def measure(ctx) -> list[Figure]:
    user = actors.lead_practitioner()
    client = timing.client_for(user)
    url = reverse("referrals:queue")
    timing.get_ok(client, url)
    _, queries = timing.query_count(lambda: timing.get_ok(client, url))
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    n = ctx.repeat(100, 10)
    page = timing.interleaved({"page": lambda: timing.get_ok(client, url)}, n=n)["page"]
    sql = [sum(_explain_ms(s) for s in selects) for _ in range(n)]
    per_query = [round(statistics.median(_explain_ms(s) for _ in range(5)), 3) for s in selects]
    return [
        Figure(
            number=3,
            name="Triage queue page: server time (median) / its SQL by EXPLAIN ANALYZE (median)",
            value=statistics.median(page),
            unit="ms",
            target=TARGET,
            baseline=statistics.median(sql),
            baseline_name="its SQL",
            detail={
                "user": user.username,
                "page": summary(page),
                "sql": summary(sql),
                "queries": len(queries),
                "selects": len(selects),
                "per_select_ms": per_query,
                "sql_text": [s[:300] for s in selects],
            },
        )
    ]
