"""An inspection list as a download: the whole list for the period, as CSV (streamed, a batch of rows
at a time, so thousands of rows never sit in memory) or as a spreadsheet (a sheet named 'List N', as
Annex A's template names them). Every text cell is neutralised against formulas (mash/common/files.py):
a referrer's organisation is typed by people. Dates are written as Annex A asks in the CSV, dd/mm/yyyy,
and as date cells in the spreadsheet."""

from datetime import date

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import dateformat

from mash.common.files import csv_text, xlsx_bytes
from mash.measures import inspection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANNEX_A_DATE = "d/m/Y"


def _csv_value(value):
    if isinstance(value, date):
        return dateformat.format(value, ANNEX_A_DATE)
    return value


def _filename(item: inspection.InspectionList, period, fmt: str) -> str:
    dates = f"{period.first.isoformat()}-to-{period.last.isoformat()}"
    return f"annex-a-list-{item.number}-{item.key}-{dates}.{fmt}"


def csv_response(user, key: str, period, *, request=None) -> StreamingHttpResponse:
    item = inspection.list_of(key)
    rows = inspection.every_row(user, key, period, request=request)

    def lines():
        yield csv_text([], header=[heading.heading for heading in item.headings])
        batch = []
        for row in rows:
            batch.append([_csv_value(value) for value in row])
            if len(batch) == inspection.BATCH:
                yield csv_text(batch)
                batch = []
        if batch:
            yield csv_text(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(item, period, "csv")}"'
    return response


def xlsx_response(user, key: str, period, *, request=None) -> HttpResponse:
    item = inspection.list_of(key)
    rows = inspection.every_row(user, key, period, request=request)
    header = [heading.heading for heading in item.headings]
    content = xlsx_bytes(rows, header=header, title=f"List {item.number}")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(item, period, "xlsx")}"'
    return response
