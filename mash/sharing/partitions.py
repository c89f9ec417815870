"""The access log's monthly partitions on PostgreSQL, and its retention (docs/notes.md, 'The access log at
20 million rows').

On PostgreSQL ``sharing_accesslog`` is partitioned by range of ``at``: one partition per calendar month
(UTC), named ``sharing_accesslog_y2026m12``, and a DEFAULT partition that catches a row no month holds
yet, so a write never fails when this maintenance lags (migration 0003). Every day beat runs
``mash.sharing.tasks.maintain_access_log``: it creates the months ahead, drops the months wholly past
``settings.ACCESS_LOG_RETENTION_MONTHS`` and warns while the default partition holds rows. On SQLite
(``make run``) the table is a plain one and the retention deletes the old rows instead.

Table names in the SQL are this module's own (the model's table and month names), never input.
Both services take one transaction-scoped advisory lock, so two workers running them at once queue
rather than create the same partition twice.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from mash.sharing.models import AccessLog

logger = logging.getLogger(__name__)

TABLE = AccessLog._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
LOCK = 0x5A0C_1017  # pg_advisory_xact_lock key of the access log's partition maintenance
BOUND = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime | None  # None: the default partition
    end: datetime | None


def month_start(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def as_utc(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def retention_cutoff(now: datetime) -> datetime:
    """The moment ``ACCESS_LOG_RETENTION_MONTHS`` calendar months before ``now`` (day clamped)."""
    now = now.astimezone(UTC)
    month = add_months(month_start(now), -settings.ACCESS_LOG_RETENTION_MONTHS)
    last_day = (add_months(month, 1) - month).days
    return now.replace(year=month.year, month=month.month, day=min(now.day, last_day))


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions() -> list[Partition]:
    """The access log's partitions, oldest first, the default partition last."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound in rows:
        match = BOUND.search(bound)
        if match is None:
            found.append(Partition(name, None, None))
        else:
            start, end = (datetime.fromisoformat(x).astimezone(UTC) for x in match.groups())
            found.append(Partition(name, start, end))
    return sorted(found, key=lambda p: (p.start is None, p.start))


def _lock(cursor) -> None:
    """Queue behind any other maintenance; check now the foreign keys this transaction deferred (an
    ALTER TABLE refuses a table with checks pending, and the moved rows are then checked as moved)."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def ensure_access_log_partitions(now: datetime | None = None, *, months_ahead: int = 3) -> list[str]:
    """Create this month's partition and the ``months_ahead`` after it where missing; return their names.

    Idempotent. A new partition is created on its own, filled with any of its rows the default partition
    caught, then attached: ATTACH takes a lighter lock on the parent than CREATE ... PARTITION OF, so
    writes to the other months go on meanwhile.
    """
    if not is_partitioned():
        return []
    first = month_start(now or timezone.now())
    created = []
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        existing = {p.start for p in partitions() if p.start is not None}
        for i in range(months_ahead + 1):
            month = add_months(first, i)
            if as_utc(month) in existing:
                continue
            name, start, end = partition_name(month), as_utc(month), as_utc(add_months(month, 1))
            cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}")')
            cursor.execute(
                f'WITH moved AS (DELETE FROM "{DEFAULT_PARTITION}" WHERE at >= %s AND at < %s RETURNING *) '  # noqa: S608
                f'INSERT INTO "{name}" SELECT * FROM moved',
                [start, end],
            )
            moved = cursor.rowcount
            cursor.execute(
                f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [start, end]
            )
            logger.info("Access log: created partition %s (%d rows moved from the default)", name, moved)
            created.append(name)
    return created


def drop_expired_access_log_partitions(now: datetime | None = None) -> list[tuple[str, int]]:
    """Drop the access log's rows older than ACCESS_LOG_RETENTION_MONTHS; return (partition, rows) dropped.

    On PostgreSQL whole months go, each once its last moment is past the period (so a row is kept at
    least the period and less than a month longer), with any such rows the default partition caught.
    Each month dropped is logged and recorded in the audit log (a deletion of 'Access log, <month>' by
    no one: the system). On SQLite the old rows are deleted.
    """
    cutoff = retention_cutoff(now or timezone.now())
    if not is_partitioned():
        with transaction.atomic():
            deleted, _ = AccessLog.objects.filter(at__lt=cutoff).delete()
        if deleted:
            _record("rows", f"Access log rows before {cutoff:%Y-%m-%d}", deleted, cutoff)
        return [("rows", deleted)] if deleted else []
    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        for part in partitions():
            if part.end is None or part.end > cutoff:
                continue
            cursor.execute(f'SELECT count(*) FROM "{part.name}"')  # noqa: S608
            rows = cursor.fetchone()[0]
            cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{part.name}"')
            cursor.execute(f'DROP TABLE "{part.name}"')
            _record(part.name, f"Access log, {part.start:%B %Y}", rows, cutoff)
            dropped.append((part.name, rows))
        cursor.execute(f'DELETE FROM "{DEFAULT_PARTITION}" WHERE at < %s', [cutoff])  # noqa: S608
        if cursor.rowcount:
            _record(DEFAULT_PARTITION, f"Access log rows before {cutoff:%Y-%m-%d}", cursor.rowcount, cutoff)
            dropped.append((DEFAULT_PARTITION, cursor.rowcount))
    return dropped


def _record(key: str, label: str, rows: int, cutoff: datetime) -> None:
    months = settings.ACCESS_LOG_RETENTION_MONTHS
    logger.warning("Access log retention (%d months): dropped %s, %d rows", months, key, rows)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AccessLog),
        object_pk=key,
        object_repr=f"{label} ({rows:,} rows)"[:200],
        action=LogEntry.Action.DELETE,
        changes={"rows": [str(rows), "0"]},
        changes_text=f"Past the access log's retention of {months} months (before {cutoff:%Y-%m-%d}).",
        additional_data={"retention_months": months, "rows": rows, "before": cutoff.isoformat()},
    )


def default_partition_rows() -> int:
    """Rows the default partition holds: none while the months are created ahead (0 off PostgreSQL)."""
    if not is_partitioned():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{DEFAULT_PARTITION}"')  # noqa: S608
        return cursor.fetchone()[0]
