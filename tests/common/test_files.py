"""Files in and out: the one CSV writer neutralises formula-like cells (OWASP's CSV injection rule),
and an upload is cut one byte past the limit while it is received."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from mash.common.files import csv_text, is_formula_like, neutralise, read_capped

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_beginning_like_a_formula_is_written_with_a_leading_quote(start):
    cell = f'{start}HYPERLINK("https://evil.example","click")'
    assert is_formula_like(cell)
    [[written]] = list(csv.reader(io.StringIO(csv_text([[cell]]), newline="")))
    assert written == "'" + cell


@pytest.mark.parametrize("cell", ["Leah", "a=b", "", "2010-03-14", " =1", "'=1", 42, None])
def test_other_cells_are_written_as_they_are(cell):
    assert neutralise(cell) == cell
    [[written]] = list(csv.reader(io.StringIO(csv_text([[cell]]), newline="")))
    assert written == ("" if cell is None else str(cell))


def test_the_header_is_neutralised_too():
    assert csv_text([["x"]], header=["=1+1"]).splitlines() == ["'=1+1", "x"]


def test_read_capped_reads_at_most_one_byte_past_the_limit():
    upload = SimpleUploadedFile("big.csv", b"x" * 10_000)
    assert len(read_capped(upload, 1000)) == 1001
    assert read_capped(SimpleUploadedFile("small.csv", b"abc"), 1000) == b"abc"


def test_an_upload_is_cut_one_byte_past_the_limit_while_it_is_received():
    limit = settings.FILE_UPLOAD_MAX_SIZE
    big = SimpleUploadedFile("big.csv", b"x" * (limit + 3 * 1024 * 1024), content_type="text/csv")
    request = RequestFactory().post("/", {"file": big, "note": "kept"})
    received = request.FILES["file"]
    assert received.size == limit + 1
    assert request.POST["note"] == "kept"  # the rest of the form still arrives


def test_every_csv_or_spreadsheet_writer_is_the_helper():
    # A writer elsewhere would skip the neutralising: write through mash.common.files.csv_text.
    writers = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl|xlsxwriter|pandas")
    found = [
        str(path.relative_to(ROOT))
        for folder in ("mash", "referrals", "strategy", "disclosures", "missing_persons", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if writers.search(path.read_text()) and path != ROOT / "mash/common/files.py"
    ]
    assert found == []
