"""The access log's monthly partitions on PostgreSQL and its retention (mash/sharing/partitions.py)."""

import importlib
from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection

from mash.sharing import partitions
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import access_log_write
from mash.sharing.tasks import maintain_access_log

pytestmark = pytest.mark.django_db


def where(row: AccessLog) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM sharing_accesslog WHERE id = %s", [row.pk])
        return cursor.fetchone()[0]


def logged(cast, person, at: datetime) -> AccessLog:
    row = access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    AccessLog.objects.filter(pk=row.pk).update(at=at)  # moves the row to the partition of ``at``
    return row


def names() -> set[str]:
    return {p.name for p in partitions.partitions()}


def test_the_table_is_partitioned_by_month_with_a_default():
    assert partitions.is_partitioned()
    now = datetime.now(UTC)
    month = partitions.month_start(now)
    expected = {partitions.partition_name(partitions.add_months(month, i)) for i in range(4)}
    assert expected | {partitions.DEFAULT_PARTITION} <= names()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'sharing_accesslog'::regclass AND i.indisprimary"
        )
        assert {row[0] for row in cursor.fetchall()} == {"id", "at"}


def test_a_read_written_now_lands_in_this_months_partition(cast, person):
    row = access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    assert where(row) == partitions.partition_name(partitions.month_start(row.at))
    later = access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    assert later.pk > row.pk and AccessLog.objects.get(pk=later.pk).object_id == str(person.pk)


def test_ensure_creates_the_months_ahead_once():
    ahead = datetime(2031, 11, 20, tzinfo=UTC)
    created = partitions.ensure_access_log_partitions(ahead, months_ahead=3)
    assert created == [
        f"sharing_accesslog_y{y}m{m:02d}" for y, m in ((2031, 11), (2031, 12), (2032, 1), (2032, 2))
    ]
    assert partitions.ensure_access_log_partitions(ahead, months_ahead=3) == []
    with connection.cursor() as cursor:  # each new month has the parent's indexes
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'sharing_accesslog_y2032m01'")
        assert cursor.fetchone()[0] == 7


def test_a_row_no_month_holds_waits_in_the_default_and_moves_when_its_month_comes(cast, person):
    far = logged(cast, person, datetime(2030, 5, 10, 9, 30, tzinfo=UTC))
    assert where(far) == partitions.DEFAULT_PARTITION
    assert partitions.default_partition_rows() == 1
    assert maintain_access_log()["default_rows"] == 1  # (and a warning is logged)
    partitions.ensure_access_log_partitions(datetime(2030, 5, 1, tzinfo=UTC), months_ahead=0)
    assert where(far) == "sharing_accesslog_y2030m05"
    assert partitions.default_partition_rows() == 0
    assert AccessLog.objects.filter(pk=far.pk, at=datetime(2030, 5, 10, 9, 30, tzinfo=UTC)).exists()


def test_retention_drops_the_months_wholly_past_it_and_keeps_the_rest(cast, person, settings):
    settings.ACCESS_LOG_RETENTION_MONTHS = 12
    partitions.ensure_access_log_partitions(datetime(2024, 1, 1, tzinfo=UTC), months_ahead=2)
    stray = logged(cast, person, datetime(2023, 6, 1, tzinfo=UTC))  # in the default partition
    january = logged(cast, person, datetime(2024, 1, 10, tzinfo=UTC))
    february = logged(cast, person, datetime(2024, 2, 29, 23, 59, tzinfo=UTC))
    march = logged(cast, person, datetime(2024, 3, 1, tzinfo=UTC))
    recent = access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)

    dropped = partitions.drop_expired_access_log_partitions(datetime(2025, 3, 10, 12, tzinfo=UTC))

    assert dropped == [
        ("sharing_accesslog_y2024m01", 1),
        ("sharing_accesslog_y2024m02", 1),
        (partitions.DEFAULT_PARTITION, 1),
    ]
    assert "sharing_accesslog_y2024m03" in names() and "sharing_accesslog_y2024m02" not in names()
    left = set(AccessLog.objects.values_list("pk", flat=True))
    assert left == {march.pk, recent.pk} and not left & {stray.pk, january.pk, february.pk}
    entries = LogEntry.objects.filter(
        action=LogEntry.Action.DELETE, object_pk__startswith="sharing_accesslog"
    )
    assert sorted(entries.values_list("object_repr", flat=True)) == [
        "Access log rows before 2024-03-10 (1 rows)",
        "Access log, February 2024 (1 rows)",
        "Access log, January 2024 (1 rows)",
    ]
    assert partitions.drop_expired_access_log_partitions(datetime(2025, 3, 10, 12, tzinfo=UTC)) == []


@pytest.mark.parametrize(
    ("now", "months", "cutoff"),
    [
        (datetime(2026, 3, 31, 8, tzinfo=UTC), 12, datetime(2025, 3, 31, 8, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2026, 12, 5, tzinfo=UTC), 72, datetime(2020, 12, 5, tzinfo=UTC)),
    ],
)
def test_the_cutoff_is_whole_calendar_months_back(settings, now, months, cutoff):
    settings.ACCESS_LOG_RETENTION_MONTHS = months
    assert partitions.retention_cutoff(now) == cutoff


def test_the_migration_goes_back_to_a_plain_table_and_forward_again_keeping_every_row(cast, person):
    migration = importlib.import_module("mash.sharing.migrations.0003_accesslog_partitioned")
    rows = [logged(cast, person, datetime(2026, 1, d, tzinfo=UTC)) for d in (1, 15)]
    rows.append(access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW))
    kept = set(AccessLog.objects.values_list("pk", "at"))
    with connection.schema_editor() as editor:
        migration.unpartition(None, editor)
    assert not partitions.is_partitioned() and set(AccessLog.objects.values_list("pk", "at")) == kept
    with connection.schema_editor() as editor:
        migration.partition(None, editor)
    assert partitions.is_partitioned() and set(AccessLog.objects.values_list("pk", "at")) == kept
    assert where(rows[0]) == "sharing_accesslog_y2026m01"
    later = access_log_write(user=cast.triage, obj=person, action=AccessAction.VIEW)
    assert later.pk > max(pk for pk, _ in kept)
