"""The table of every deadline (mash/measures/timeliness.py), from known clocks: on time and late across
the August bank holiday (Friday 28 August 2026, Monday 31 August a bank holiday) and across the change
of clocks (Sunday 25 October 2026), running ones due today and overdue now, one kind told apart by its
length (Clare's and Sarah's Law), a kind no app registered. Every figure is asserted."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.urls import reverse
from openpyxl import load_workbook

from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start, clock_stop
from mash.measures import aggregates, registry
from mash.measures.periods import Period
from mash.measures.services import viewer_for
from mash.measures.timeliness import build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
PERIOD = Period(date(2026, 8, 1), date(2026, 11, 30))
HOUR, DAY = 3600, 86400


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def clock(kind, basis, amount, started, stopped=None):
    made = clock_start(kind=kind, basis=basis, amount=amount, started_at=started)
    if stopped is not None:
        clock_stop(clock=made, stopped_at=stopped)
    return made


def decision(started, stopped=None):
    return clock("referral decision", ClockBasis.WORKING_DAYS, 1, started, stopped)


@pytest.fixture
def clocks(db):
    made = {
        # Friday before the bank holiday: due Tuesday 1 September at the same time.
        "met_over_holiday": decision(at(2026, 8, 28, 10), at(2026, 9, 1, 9)),  # 95 hours
        "late_over_holiday": decision(at(2026, 8, 28, 11), at(2026, 9, 1, 15)),  # 100 hours, late
        # Friday 16:00 BST to Monday 15:00 GMT: 72 hours elapsed (the wall clock says 71).
        "met_over_clock_change": decision(at(2026, 10, 23, 16), at(2026, 10, 26, 15)),
        "overdue": decision(at(2026, 11, 19, 10)),  # due 20 November 10:00: overdue at noon
        "pending": decision(at(2026, 11, 20, 11)),  # due Monday 23 November
        "due_today": decision(at(2026, 11, 19, 15)),  # due 20 November 15:00
        "overdue_before_period": decision(at(2026, 7, 1, 10)),  # due 2 July: overdue now, not in period
        # Return home interviews, 72 elapsed hours: Saturday 20:00 BST is due Tuesday 19:00 GMT.
        "interview_met": clock("return home interview", ClockBasis.CALENDAR_HOURS, 72, at(2026, 10, 24, 20),
                               at(2026, 10, 27, 18)),  # 71 hours
        "interview_late": clock("return home interview", ClockBasis.CALENDAR_HOURS, 72, at(2026, 10, 1, 9),
                                at(2026, 10, 5, 9)),  # 96 hours
        "clares": clock("disclosure decision", ClockBasis.CALENDAR_DAYS, 28, at(2026, 9, 1, 9),
                        at(2026, 9, 15, 9)),  # 14 days, due 29 September
        "sarahs": clock("disclosure decision", ClockBasis.CALENDAR_DAYS, 45, at(2026, 8, 1, 9),
                        at(2026, 9, 20, 9)),  # 50 days, due 15 September
        "unregistered": clock("custom thing", ClockBasis.CALENDAR_HOURS, 5, at(2026, 11, 2, 10),
                              at(2026, 11, 2, 12)),  # 2 hours
    }  # fmt: skip
    return made


def query(cast, who="manager", by=""):
    user = getattr(cast, who)
    return registry.Query(viewer=viewer_for(user), period=PERIOD, by=by, now=NOW, user=user)


def tables(blocks):
    return {block.key: block for block in blocks if hasattr(block, "rows")}


def test_the_due_times_cross_the_bank_holiday_and_the_clock_change(clocks):
    assert clocks["met_over_holiday"].due_at == at(2026, 9, 1, 10)
    assert clocks["met_over_clock_change"].due_at == at(2026, 10, 26, 16)
    assert clocks["interview_met"].due_at == at(2026, 10, 27, 19)
    assert clocks["sarahs"].due_at == at(2026, 9, 15, 9)


def test_every_figure_of_the_deadlines_counted_in_hours(cast, clocks):
    table = tables(build(query(cast)))["timeliness-hours"]
    assert [c.key for c in table.columns] == [
        "deadline", "due", "met", "breached", "pending", "percent_met",
        "median", "p90", "due_today", "overdue",
    ]  # fmt: skip
    assert table.rows == [
        # 95, 100 and 72 hours: median 95, 90th percentile 95 + 0.8 x 5 = 99.
        ["Referral decision (one working day)", 6, 2, 2, 2, 50.0, 95.0, 99.0, 1, 2],
        # 71 and 96 hours: median 83.5, 90th percentile 71 + 0.9 x 25 = 93.5.
        ["Return home interview (72 hours)", 2, 1, 1, 0, 50.0, 83.5, 93.5, 0, 0],
        ["Custom thing", 1, 1, 0, 0, 100.0, 2.0, 2.0, 0, 0],
    ]
    assert table.total[:5] == ["All these deadlines", 9, 4, 3, 2]
    assert table.total[5] == pytest.approx(400 / 7)
    assert table.total[6:] == [None, None, 1, 2]


def test_every_figure_of_the_deadlines_counted_in_days(cast, clocks):
    table = tables(build(query(cast)))["timeliness-days"]
    assert table.rows == [
        ["Clare's Law decision (28 days)", 1, 1, 0, 0, 100.0, 14.0, 14.0, 0, 0],
        ["Sarah's Law decision (45 days)", 1, 0, 1, 0, 0.0, 50.0, 50.0, 0, 0],
    ]
    assert table.total == ["All these deadlines", 2, 1, 1, 0, 50.0, None, None, 0, 0]


def test_the_percentiles_are_those_of_the_elapsed_times_to_the_second(cast, clocks):
    """PostgreSQL's percentile_cont and the SQLite path (aggregates.interpolated) give the same
    figure; the time across the clock change is the elapsed one (72 hours, not the wall clock's 71)."""
    decisions = sorted(
        (c.stopped_at - c.started_at).total_seconds()
        for c in (clocks["met_over_holiday"], clocks["late_over_holiday"], clocks["met_over_clock_change"])
    )
    assert decisions == [72 * HOUR, 95 * HOUR, 100 * HOUR]
    from mash.clocks.models import Clock

    found = aggregates.percentiles(
        Clock.objects.filter(kind="referral decision", stopped_at__isnull=False),
        start="started_at",
        end="stopped_at",
    )[()]
    assert found == [aggregates.interpolated(decisions, 0.5), aggregates.interpolated(decisions, 0.9)]
    assert found == [95 * HOUR, 99 * HOUR]


def test_by_month_every_deadline_and_each_kinds_share(cast, clocks):
    blocks = build(query(cast, by="month"))
    table = tables(blocks)["timeliness-months"]
    assert blocks[0].table is table and blocks[0].kind == "line"
    assert [c.label for c in table.columns[5:]] == [
        "% met (every deadline)",
        "% met: Referral decision (one working day)",
        "% met: Return home interview (72 hours)",
        "% met: Clare's Law decision (28 days)",
        "% met: Sarah's Law decision (45 days)",
        "% met: Custom thing",
    ]
    assert table.rows[0] == ["August 2026", 0, 0, 0, 0, None, None, None, None, None, None]
    assert table.rows[1] == ["September 2026", 4, 2, 2, 0, 50.0, 50.0, None, 100.0, 0.0, None]
    assert table.rows[2][:5] == ["October 2026", 3, 2, 1, 0]
    assert table.rows[2][5] == pytest.approx(200 / 3)
    assert table.rows[2][6:] == [100.0, 50.0, None, None, None]
    assert table.rows[3] == ["November 2026", 4, 1, 1, 2, 50.0, 0.0, None, None, None, 100.0]
    assert table.total[:5] == ["The whole period", 11, 5, 4, 2]
    assert table.total[5] == pytest.approx(500 / 9)
    assert table.total[6:] == [50.0, 50.0, 100.0, 0.0, 100.0]


def test_every_viewer_sees_the_mash_wide_table_and_the_board_no_links(cast, clocks):
    for who in ("manager", "police_manager", "board"):
        assert tables(build(query(cast, who)))["timeliness-hours"].rows[0][:5] == [
            "Referral decision (one working day)", 6, 2, 2, 2,
        ]  # fmt: skip
    assert viewer_for(cast.board).may_drill is False


def test_the_page_and_its_downloads_show_the_same_figures(client, cast, clocks):
    """Read now (after 23 November 2026), every running clock of the period is overdue."""
    client.force_login(cast.manager)
    params = {"period": "dates", "since": "2026-08-01", "until": "2026-11-30"}
    html = client.get(reverse("measures:dashboard", args=["timeliness"]), params).content.decode()
    assert "Deadlines counted in hours" in html and "Clare&#x27;s Law decision (28 days)" in html
    url = reverse("measures:download", args=["timeliness", "timeliness-hours", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url, params).content.decode())))
    assert rows[0][:6] == ["Deadline", "Due in period", "Met", "Breached", "Pending", "% met"]
    assert rows[1] == [
        "Referral decision (one working day)",
        "6",
        "2",
        "4",
        "0",
        "33.3",
        "95.0",
        "99.0",
        "0",
        "4",
    ]
    assert rows[-1] == ["All these deadlines", "9", "4", "5", "0", "44.4", "", "", "0", "4"]
    url = reverse("measures:download", args=["timeliness", "timeliness-days", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url, params).content)).active
    assert [cell.value for cell in sheet[2]] == [
        "Clare's Law decision (28 days)",
        1,
        1,
        0,
        0,
        100,
        14,
        14,
        0,
        0,
    ]
    assert [cell.value for cell in sheet[4]] == ["All these deadlines", 2, 1, 1, 0, 50, None, None, 0, 0]


def test_the_sqlite_path_gives_the_same_table(cast, clocks, monkeypatch):
    """The percentiles computed in Python (the path of a SQLite database: ``make run``'s demo) give the
    same table, to the second, as PostgreSQL's percentile_cont."""
    on_postgres = {key: table.rows for key, table in tables(build(query(cast))).items()}
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    in_python = {key: table.rows for key, table in tables(build(query(cast))).items()}
    assert in_python == on_postgres
