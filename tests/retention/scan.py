"""Every text, JSON and date column of every table of the database, searched for planted values."""

from collections import defaultdict

from django.db import connection

TYPES = ("character varying", "character", "text", "json", "jsonb", "date")


def columns() -> dict[str, list[str]]:
    tables = set(connection.introspection.table_names())
    found = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TYPES)],
        )
        for table, column in cursor.fetchall():
            if table in tables:
                found[table].append(column)
    return found


def where(values) -> dict[str, list[str]]:
    """Each planted value found, and the table.column cells holding it (case-insensitive)."""
    wanted = {v: v.lower() for v in values}
    hits = defaultdict(list)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, cols in columns().items():
            # Names from the catalogue, quoted: no input reaches this query.
            cursor.execute(f"SELECT {', '.join(f'{qn(c)}::text' for c in cols)} FROM {qn(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, cell in zip(cols, row, strict=True):
                    if not cell:
                        continue
                    cell = cell.lower()
                    for value, low in wanted.items():
                        if low in cell:
                            hits[value].append(f"{table}.{column}")
    return dict(hits)
