"""A trail as CSV: every entry of the filters asked for (up to ``EXPORT_MAX``), a line for each field
a change changed (its value before and after in cells of their own, so a spreadsheet can filter
them), every cell through ``mash.common.files.csv_text`` (a cell a spreadsheet would run as a formula
is neutralised)."""

from django.utils import timezone

from mash.common.files import csv_text

EXPORT_MAX = 10_000
HEADER = [
    "When",
    "Who",
    "User name",
    "Acting for",
    "Action",
    "DPA 2018 s62",
    "Record type",
    "Record",
    "Record id",
    "Field",
    "Before",
    "After",
    "Justification",
    "Details",
    "From",
]


def every_entry(trail, *args, **kwargs):
    """Each entry of ``trail(*args, **kwargs)`` (``user_trail`` or ``record_trail``), page after page."""
    cursor, count = None, 0
    while count < EXPORT_MAX:
        page = trail(*args, cursor=cursor, limit=min(500, EXPORT_MAX - count), **kwargs)
        yield from page.entries
        count += len(page.entries)
        if page.older is None:
            return
        cursor = page.older


def _lines(entries):
    for e in entries:
        start = [
            timezone.localtime(e.at).isoformat(timespec="seconds"),
            e.user_name,
            e.user.get_username() if e.user is not None else "",
            e.agency,
            e.label,
            e.category,
            e.record_type,
            e.object_repr,
            e.object_id,
        ]
        end = [e.reason, e.detail, e.address]
        for change in e.changes or [None]:
            middle = [change.field, change.before, change.after] if change else ["", "", ""]
            yield start + middle + end


def trail_csv(entries) -> str:
    return csv_text(_lines(entries), header=HEADER)
