"""Figure 8: the access log at 20 million rows, partitioned by month (docs/notes.md, 'The access log at
20 million rows').

(a) The trail of a user over 30 days and (b) the trail of a record, each its first page through the
selectors of the trail pages (``mash.sharing.trails.user_trail`` and ``record_trail``: the access
log, the change log and the dissemination log merged, a page of 50), interleaved, p95 at most 200 ms.
The users are the five who read most in the period's last month and 15 others drawn at random, each
over a 30-day period ending on a day drawn from the period's last year; the records are the ten
referrals read most in the last month, 30 referrals drawn from the whole period (with their
information requests and answers, which a referral's trail includes) and ten people.

(c) The cost of writing one row (``access_log_write``) into the access log at its 20 million rows and
into an empty copy of it (the same partitions, indexes, keys and identity, made in the transaction;
the model's table switched for the write), interleaved write by write, in one transaction rolled back
at the end (nothing is kept), foreign keys checked at once (as at commit). The clock is set inside
the period's last month, so every write goes to a month as full as the period's last: what a write
costs at the end of a busy month. Held to the median (a write is a fraction of a millisecond, and on
a shared machine its p95 is noise); p95 recorded.
"""

import json
import random
from datetime import timedelta
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from bench import actors, timing
from bench.data.reference import NOW
from bench.report import Figure, percentile, summary
from bench.timing import interleaved, query_count
from mash.agencies.roles import Role
from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import access_log_write
from mash.sharing.trails import record_trail, user_trail
from referrals.models import Referral

TARGET_MS = 200
TARGET_WRITE = 1.2  # the write at 20 million rows against the empty table, medians
SPAN = timedelta(days=30)


def _readers(rng: random.Random) -> list[int]:
    recent = (
        AccessLog.objects.filter(at__gte=NOW - SPAN, at__lt=NOW)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "user_id")
    )
    ranked = [row["user_id"] for row in recent]
    return ranked[:5] + rng.sample(ranked[5:], min(15, len(ranked) - 5))


def _records(rng: random.Random) -> list:
    referral = ContentType.objects.get_for_model(Referral)
    most_read = (
        AccessLog.objects.filter(content_type=referral, at__gte=NOW - SPAN, at__lt=NOW)
        .values("object_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "object_id")[:10]
    )
    ids = [int(row["object_id"]) for row in most_read]
    last = Referral.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids += rng.sample(range(1, last + 1), 30)
    people = rng.sample(range(1, Person.objects.order_by("-pk").values_list("pk", flat=True).first() + 1), 10)
    return list(Referral.objects.filter(pk__in=ids)) + list(Person.objects.filter(pk__in=people))


def _plan(fn) -> dict:
    """The access-log query of one trail: EXPLAIN ANALYZE, the partitions it read, its time."""
    _, queries = query_count(fn)
    sql = next(q["sql"] for q in queries if '"sharing_accesslog"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    relations = set()

    def walk(node):
        if "Relation Name" in node:
            relations.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    accesses = sorted(r for r in relations if r.startswith("sharing_accesslog"))
    return {
        "partitions_read": len(accesses),
        "first_and_last": accesses[:1] + accesses[-1:],
        "planning_ms": round(plan[0]["Planning Time"], 3),
        "execution_ms": round(plan[0]["Execution Time"], 3),
        "sql": sql[:400],
    }


def _trails(ctx, rows: int) -> list[Figure]:
    rng = random.Random(8)
    readers = _readers(rng)
    periods = [
        (end - timedelta(days=29), end)
        for end in (NOW.date() - timedelta(days=rng.randint(0, 365)) for _ in readers)
    ]
    records = _records(rng)
    client = timing.client_for(actors.user_of(actors.lead_agency(), Role.INFORMATION_GOVERNANCE))
    user_pages = [
        f"{reverse('sharing:user_trail', args=[pk])}?since={since:%Y-%m-%d}&until={until:%Y-%m-%d}"
        for pk, (since, until) in zip(readers, periods, strict=True)
    ]
    record_pages = [
        reverse("sharing:record_trail", args=[ContentType.objects.get_for_model(r).pk, r.pk]) for r in records
    ]
    state = {"user": 0, "record": 0, "user page": 0, "record page": 0}

    def turn(kind: str, of: list) -> int:
        state[kind] += 1
        return state[kind] % len(of)

    def a_user():
        i = turn("user", readers)
        return user_trail(readers[i], since=periods[i][0], until=periods[i][1])

    def a_record():
        return record_trail(records[turn("record", records)])

    variants = {
        "user page": lambda: timing.get_ok(client, user_pages[turn("user page", user_pages)]),
        "record page": lambda: timing.get_ok(client, record_pages[turn("record page", record_pages)]),
        "user": a_user,
        "record": a_record,
    }
    samples = interleaved(variants, n=ctx.repeat(300, 10))
    heaviest = {
        "users": len(readers),
        "rows_in_heaviest_period": AccessLog.objects.filter(
            user_id=readers[0], at__gte=NOW - SPAN, at__lt=NOW
        ).count(),
        "plan": _plan(lambda: user_trail(readers[0], since=NOW - SPAN, until=NOW)),
    }
    detail = {
        "user": heaviest,
        "user page": heaviest,
        "record": {"records": len(records), "plan": _plan(lambda: record_trail(records[0]))},
        "record page": {"records": len(records)},
    }
    names = {
        "user page": "Trail of a user page (30 days, first page of 50)",
        "record page": "Trail of a record page (first page of 50)",
        "user": "Trail of a user: its selector (user_trail)",
        "record": "Trail of a record: its selector (record_trail)",
    }
    return [
        Figure(
            number=8,
            name=f"{names[kind]} at {rows:,} access-log rows: p95",
            value=percentile(samples[kind], 95),
            unit="ms",
            target=TARGET_MS,
            compare="value",
            detail={**summary(samples[kind]), **detail[kind], "access_log_rows": rows},
        )
        for kind in names
    ]


EMPTY = "bench_accesslog_empty"


def _empty_copy(cursor) -> None:
    """An empty access log built as the real one: its partitions, indexes, keys and identity."""
    table = AccessLog._meta.db_table
    cursor.execute(f'CREATE TABLE "{EMPTY}" (LIKE "{table}" INCLUDING IDENTITY) PARTITION BY RANGE (at)')
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
        [table],
    )
    for name, bound in cursor.fetchall():
        cursor.execute(f'CREATE TABLE "{name.replace(table, EMPTY)}" PARTITION OF "{EMPTY}" {bound}')
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = to_regclass(%s)", [table]
    )
    for (sql,) in cursor.fetchall():
        cursor.execute(
            sql.replace(f"{table}_pkey", f"{EMPTY}_pkey")
            .replace(table, EMPTY)
            .replace("CREATE INDEX ", f"CREATE INDEX {EMPTY}_")
        )
    cursor.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype = 'f'",
        [table],
    )
    for (definition,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE "{EMPTY}" ADD {definition}')


def _writes(ctx, rows: int) -> Figure:
    user = actors.lead_practitioner()
    referral = Referral.objects.order_by("-pk").first()

    def full():
        return access_log_write(user=user, obj=referral, action=AccessAction.VIEW)

    def empty():
        with mock.patch.object(AccessLog._meta, "db_table", EMPTY):
            return full()

    with mock.patch("django.utils.timezone.now", lambda: NOW - timedelta(hours=1)), transaction.atomic():
        with connection.cursor() as cursor:
            _empty_copy(cursor)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        samples = interleaved({"full": full, "empty": empty}, n=ctx.repeat(1000, 50))
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{EMPTY}"')
            written = cursor.fetchone()[0]
        transaction.set_rollback(True)
    median = {k: summary(v)["median_ms"] for k, v in samples.items()}
    return Figure(
        number=8,
        name=f"One access-log write at {rows:,} rows: median",
        value=median["full"],
        unit="ms",
        target=TARGET_WRITE,
        baseline=median["empty"],
        baseline_name="into an empty copy, median",
        detail={
            "user": user.username,
            "access_log_rows": rows,
            "written_to_the_copy": written,
            **{k: summary(v) for k, v in samples.items()},
        },
    )


def measure(ctx) -> list[Figure]:
    rows = AccessLog.objects.count()
    if not rows:
        raise RuntimeError("No access log in the benchmark data: run `manage.py bench_data --if-empty`.")
    return [*_trails(ctx, rows), _writes(ctx, rows)]
