"""Files in and out: every CSV or spreadsheet the system writes goes through ``csv_text`` or
``xlsx_bytes`` (or ``neutralise``), and every upload is cut at ``settings.FILE_UPLOAD_MAX_SIZE`` while
it is received.

CSV injection (OWASP): a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one) as a formula. A cell written out that begins with one of them is
prefixed with a single quote, so it shows as the text it is.
"""

import csv
import io
from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Would a spreadsheet read this cell as a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value):
    """The cell as it may be written to a CSV or spreadsheet: a formula-like text gets a leading quote."""
    return "'" + value if is_formula_like(value) else value


def csv_text(rows: Iterable[Iterable], *, header: Iterable[str] | None = None) -> str:
    """Rows as CSV text, every cell neutralised. The one CSV writer of the project."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return out.getvalue()


def xlsx_bytes(rows: Iterable[Iterable], *, header: Iterable[str], title: str = "Sheet") -> bytes:
    """Rows as a spreadsheet (one sheet, the header in bold), every text cell neutralised. The one
    spreadsheet writer of the project, as ``csv_text`` is the one CSV writer. Numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Sheet"
    header = list(header)
    sheet.append([neutralise(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, min(60, len(str(label)) + 4)
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_capped(upload, limit: int) -> bytes:
    """An upload's content, read in chunks and never more than ``limit + 1`` bytes (one byte past the
    limit is enough for the caller to refuse the file as too large)."""
    upload.seek(0)
    parts, size = [], 0
    for chunk in upload.chunks():
        parts.append(chunk[: limit + 1 - size])
        size += len(parts[-1])
        if size > limit:
            break
    return b"".join(parts)


class CappedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: passes on at most ``FILE_UPLOAD_MAX_SIZE + 1`` bytes of each
    uploaded file and drops the rest as it arrives, so a 50 MB upload never reaches memory or disk. The
    file the view gets is then one byte over the limit, and its form refuses it by its size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        room = settings.FILE_UPLOAD_MAX_SIZE + 1 - self.received
        if room <= 0:
            return None  # later handlers never see it
        self.received += min(len(raw_data), room)
        return raw_data[:room]

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def too_large_message(label: str, limit: int) -> str:
    return f"{label} is larger than the {_size(limit)} limit: split it into smaller files."


def _size(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB"
