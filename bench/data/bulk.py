"""Writing the benchmark's rows: PostgreSQL's COPY, the calendar's due time (roughly), the sequences."""

import itertools
from datetime import datetime, timedelta

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from psycopg.types.json import Jsonb


def copy_rows(model: type[models.Model], rows, *, columns: list[str] | None = None) -> int:
    """COPY rows (dicts keyed by field name) into the model's table; unset fields take their default."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = [
        f
        for f in model._meta.concrete_fields
        if (columns is None or f.name in columns) and (not f.primary_key or f.name in first)
    ]
    defaults = {}
    for f in fields:
        if f.has_default():
            defaults[f.name] = f.get_default()
        elif f.null:
            defaults[f.name] = None
        elif f.empty_strings_allowed:
            defaults[f.name] = ""
    json_fields = {f.name for f in fields if isinstance(f, models.JSONField)}
    names = [f.name for f in fields]
    quoted = ", ".join(f'"{f.column}"' for f in fields)
    sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
    count = 0
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for row in itertools.chain([first], rows):
            values = []
            for name in names:
                value = row[name] if name in row else defaults[name]
                values.append(Jsonb(value) if name in json_fields else value)
            copy.write_row(values)
            count += 1
    return count


def working_due(start: datetime, hours: float) -> datetime:
    """About the due time the calendar gives (working days Monday to Friday): cheap, for the bench."""
    due = start + timedelta(hours=hours)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
