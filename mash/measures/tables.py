"""What a measure shows: tables (each also a CSV and a spreadsheet) and charts drawn from them.

A chart is always drawn from a table that is on the page beside it, so every figure a chart shows can
be read as text (and by a screen reader). Downloads neutralise every text cell against formulas
(mash/common/files.py): agency names and labels are typed by people.
"""

from dataclasses import dataclass, field

from mash.common.files import csv_text, xlsx_bytes

TEXT, COUNT, PERCENT, HOURS, DAYS = "text", "count", "percent", "hours", "days"
NUMERIC = frozenset({COUNT, PERCENT, HOURS, DAYS})
NO_DATA = "\u2013"  # an en dash: a share or a time of nothing
UNITS = {PERCENT: "%", HOURS: " hours", DAYS: " days"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass
class Table:
    """Rows of values, one per column (None for 'no data': a share of nothing, a median of no clock).

    ``links`` maps (row index, column key) to the drill-down list behind that figure (managers only:
    a measure adds links only when ``query.viewer.may_drill``). ``total`` is an optional last row.
    """

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    caption: str = ""
    # What an empty table says: a table of open work 'now' says so rather than naming the period.
    empty: str = "Nothing in this period."
    total: list | None = None
    links: dict[tuple[int, str], str] = field(default_factory=dict)

    def __post_init__(self):
        for row in [*self.rows, *([self.total] if self.total else [])]:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Table {self.key!r}: a row of {len(row)} values for {len(self.columns)} columns."
                )

    def column(self, key: str) -> list:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.rows]

    def display_rows(self) -> list[list[dict]]:
        """Cells for the template: the text shown, whether numeric (right-aligned), the link if any."""
        shown = []
        for index, row in enumerate(self.rows):
            shown.append(
                [
                    {
                        "text": display(value, column),
                        "numeric": column.numeric,
                        "url": self.links.get((index, column.key), ""),
                    }
                    for value, column in zip(row, self.columns, strict=True)
                ]
            )
        return shown

    def display_total(self) -> list[dict] | None:
        if self.total is None:
            return None
        return [
            {"text": display(value, column), "numeric": column.numeric}
            for value, column in zip(self.total, self.columns, strict=True)
        ]

    def all_rows(self) -> list[list]:
        return [*self.rows, *([self.total] if self.total else [])]

    def as_csv(self) -> str:
        return csv_text(
            ([plain(value) for value in row] for row in self.all_rows()),
            header=[c.label for c in self.columns],
        )

    def as_xlsx(self) -> bytes:
        return xlsx_bytes(
            ([plain(value) for value in row] for row in self.all_rows()),
            header=[c.label for c in self.columns],
            title=self.title,
        )


@dataclass
class Chart:
    """A chart of some columns of a table: ``bar`` (grouped), ``stacked`` (stacked bars) or ``line``.
    The labels are the ``label_column``'s values, one series per ``series`` column."""

    table: Table
    label_column: str
    series: list[str]
    kind: str = "bar"
    title: str = ""

    @property
    def id(self) -> str:
        return f"chart-{self.table.key}"

    def data(self) -> dict:
        labels = [display(value, Column("", "", TEXT)) for value in self.table.column(self.label_column)]
        columns = {column.key: column for column in self.table.columns}
        return {
            "type": self.kind,
            "labels": labels,
            "unit": UNITS.get(columns[self.series[0]].kind, "").strip() if self.series else "",
            "datasets": [
                {"label": columns[key].label, "data": [plain(value) for value in self.table.column(key)]}
                for key in self.series
            ],
        }


def plain(value):
    """A value as a download holds it: numbers as numbers (one decimal place at most), text as text."""
    if isinstance(value, float):
        return round(value, 1)
    if value is None or isinstance(value, (int, str)):
        return value
    return str(value)


def display(value, column: Column) -> str:
    if value is None:
        return NO_DATA if column.numeric else ""
    if column.kind == COUNT:
        return f"{value:,}"
    if column.kind == PERCENT:
        return f"{value:.1f}%"
    if column.kind in (HOURS, DAYS):
        return f"{value:,.1f}"
    return str(value)


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None (shown as a dash) when there is no whole."""
    return None if not whole else 100.0 * part / whole
