"""The workload dashboard: open referrals and requests by state, age and assignee, per agency and per
researcher, and what was opened and closed in the period, against known data (workload_data.py);
each viewer's cut (the lead agency's manager, an agency's manager, the board); the drill-down lists
per viewer; the downloads."""

import csv
import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mash.measures import ages, services
from mash.measures.aggregates import month_label
from mash.measures.periods import Period
from referrals.models import OPEN_STATES, State
from tests.measures.workload_data import build

EMPTY = [0, 0, 0, 0, 0]


@pytest.fixture
def work(cast):
    return build(cast)


@pytest.fixture
def period():
    today = timezone.localdate()
    return Period(today - timedelta(days=60), today)


def tables(user, work, period, by=""):
    built = services.build_dashboard(user, "workload", period, by, now=work.now)
    return {table.key: table for item in built for table in item.tables}


def name(user) -> str:
    return ages.staff_name(user.first_name, user.last_name, user.username)


def rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_open_referrals_by_state_and_age(cast, work, period):
    table = tables(cast.manager, work, period)["workload-referrals-states"]
    assert [row[0] for row in table.rows] == [State(state).label for state in OPEN_STATES]
    #                                          <1d 1-3 3-7 7-28 28+ all
    assert rows(table) == {
        "Received": [1, 0, 0, 0, 0, 1],
        "Screening": [0, 1, 0, 0, 0, 1],
        "Information gathering": [0, 0, 1, 0, 1, 2],
        "Awaiting threshold decision": [0, 0, 0, 1, 0, 1],
        "Strategy discussion": [0, 0, 0, 0, 0, 0],
        "Decided": [0, 0, 0, 0, 1, 1],
    }
    assert table.total == ["All open referrals", 1, 1, 1, 1, 2, 6]


def test_open_referrals_per_assignee(cast, work, period):
    table = tables(cast.manager, work, period)["workload-referral-staff-assignees"]
    staff = sorted([(name(cast.triage), [0, 1, 0, 1, 0, 2]), (name(cast.manager), [0, 0, 1, 0, 0, 1])])
    assert table.rows == [[who, *values] for who, values in staff] + [["Unassigned", 1, 0, 0, 0, 2, 3]]
    assert table.total == ["All open referrals (the whole MASH)", 1, 1, 1, 1, 2, 6]


def test_a_table_of_staff_lists_the_busiest_and_sums_the_others(cast, work, period, monkeypatch):
    monkeypatch.setattr(ages, "STAFF_ROWS", 1)  # fifty in the product: one here, of two assignees
    table = tables(cast.manager, work, period)["workload-referral-staff-assignees"]
    assert table.rows == [
        [name(cast.triage), 0, 1, 0, 1, 0, 2],
        ["Unassigned", 1, 0, 0, 0, 2, 3],
        ["1 other member of staff", 0, 0, 1, 0, 0, 1],
    ]
    assert (2, "total") not in table.links and (0, "total") in table.links
    assert table.total == ["All open referrals (the whole MASH)", 1, 1, 1, 1, 2, 6]


def test_open_requests_per_agency(cast, work, period):
    table = tables(cast.manager, work, period)["workload-requests-agencies"]
    #                           open unclaimed overdue <1d 1-3 3-7 7-28 28+
    assert rows(table) == {
        "Constabulary": [2, 1, 2, 0, 0, 1, 1, 0],
        "Integrated Care Board": [1, 1, 0, 0, 0, 1, 0, 0],
    }
    assert table.total == ["All agencies (the whole MASH)", 3, 2, 2, 0, 0, 2, 1, 0]


def test_open_requests_per_researcher(cast, work, period):
    table = tables(cast.manager, work, period)["workload-researchers-staff"]
    #                                     open overdue <1d 1-3 3-7 7-28 28+
    assert table.rows == [
        [name(cast.police_researcher), "Constabulary", 1, 1, 0, 0, 0, 1, 0],
        ["Not claimed", "Constabulary", 1, 1, 0, 0, 1, 0, 0],
        ["Not claimed", "Integrated Care Board", 1, 0, 0, 0, 1, 0, 0],
    ]
    assert table.total == ["All researchers (the whole MASH)", "", 3, 2, 0, 0, 2, 1, 0]


def test_opened_and_closed_by_month(cast, work, period):
    table = tables(cast.manager, work, period)["workload-flow-months"]
    assert [row[0] for row in table.rows] == [month_label(month) for month in period.months()]
    received = Counter(
        month_label(timezone.localtime(r.received_at).date().replace(day=1)) for r in work.referrals.values()
    )
    this_month = month_label(timezone.localdate().replace(day=1))
    sent = Counter(
        month_label(timezone.localtime(q.sent_at).date().replace(day=1)) for q in work.requests.values()
    )
    for row in table.rows:
        month = row[0]
        assert row[1:] == [
            received[month],
            1 if month == this_month else 0,
            sent[month],
            0,
            1 if month == this_month else 0,
        ], month
    assert table.total == ["The whole period", 7, 1, 4, 0, 1]


def test_an_agency_manager_sees_their_agency_and_the_mash_totals(cast, work, period):
    shown = tables(cast.police_manager, work, period)
    requests = shown["workload-requests-agencies"]
    assert requests.rows == [["Constabulary", 2, 1, 2, 0, 0, 1, 1, 0]]
    assert requests.total == ["All agencies (the whole MASH)", 3, 2, 2, 0, 0, 2, 1, 0]
    researchers = shown["workload-researchers-staff"]
    assert [row[:2] for row in researchers.rows] == [
        [name(cast.police_researcher), "Constabulary"],
        ["Not claimed", "Constabulary"],
    ]
    assert researchers.total[2:] == [3, 2, 0, 0, 2, 1, 0]
    # The referrals' assignees are the lead agency's: none of them, nor its unassigned work, is a row.
    staff = shown["workload-referral-staff-assignees"]
    assert staff.rows == [] and staff.total[1:] == [1, 1, 1, 1, 2, 6]
    assert shown["workload-referrals-states"].total == ["All open referrals", 1, 1, 1, 1, 2, 6]


def test_the_board_sees_no_staff_rows_and_no_drill_links(client, cast, work, period):
    shown = tables(cast.board, work, period)
    assert "workload-referral-staff-assignees" not in shown and "workload-researchers-staff" not in shown
    assert rows(shown["workload-requests-agencies"])["Integrated Care Board"] == [1, 1, 0, 0, 0, 1, 0, 0]
    assert all(not table.links for table in shown.values())
    client.force_login(cast.board)
    html = client.get(reverse("measures:dashboard", args=["workload"])).content.decode()
    assert "Open requests for information per agency" in html and "Open now, at the moment of reading" in html
    assert "Open requests per researcher" not in html and name(cast.police_researcher) not in html
    assert reverse("measures:drill", args=["workload-requests"]) not in html


def test_a_manager_gets_drill_links(cast, work, period):
    shown = tables(cast.manager, work, period)
    states = shown["workload-referrals-states"]
    index = [row[0] for row in states.rows].index("Information gathering")
    url = states.links[(index, "over_28")]
    assert url.startswith(reverse("measures:drill", args=["workload-referrals"]))
    assert "state=information_gathering" in url and "band=over_28" in url
    researchers = shown["workload-researchers-staff"]
    url = researchers.links[(0, "7_28")]
    assert f"assignee={cast.police_researcher.pk}" in url and f"agency={cast.police.pk}" in url


def drilled(client, user, measure, **params):
    client.force_login(user)
    response = client.get(reverse("measures:drill", args=[measure]), params)
    return response.status_code, response.content.decode()


def test_the_open_requests_of_a_researcher_older_than_seven_days(client, cast, work):
    status, html = drilled(
        client, cast.manager, "workload-requests", assignee=cast.police_researcher.pk, band="7_28"
    )
    assert status == 200
    assert work.referrals["R7"].reference in html and work.referrals["R3"].reference not in html
    assert reverse("referrals:request", args=[work.requests["Q3"].pk]) in html


def test_drill_lists_per_viewer(cast, work, period):
    def drill(user, measure, params):
        _, result = services.drill(user, measure, period, params)
        return sorted(row[0] for row in result.table.rows)

    ref = {key: referral.reference for key, referral in work.referrals.items()}
    assert drill(cast.manager, "workload-referrals", {"state": "information_gathering"}) == sorted(
        [ref["R3"], ref["R7"]]
    )
    assert drill(cast.manager, "workload-referrals", {"assignee": "none", "band": "over_28"}) == sorted(
        [ref["R5"], ref["R7"]]
    )
    assert drill(cast.manager, "workload-referrals", {"assignee": str(cast.triage.pk)}) == sorted(
        [ref["R2"], ref["R4"]]
    )
    assert drill(cast.manager, "workload-requests", {"agency": str(cast.police.pk)}) == sorted(
        [ref["R3"], ref["R7"]]
    )
    assert drill(cast.manager, "workload-requests", {"overdue": "1"}) == sorted([ref["R3"], ref["R7"]])
    assert drill(cast.manager, "workload-requests", {"assignee": "none", "band": "3_7"}) == [ref["R3"]] * 2
    # An agency's manager: only what their agency was asked about, whatever the filter.
    assert drill(cast.police_manager, "workload-requests", {}) == sorted([ref["R3"], ref["R7"]])
    assert drill(cast.police_manager, "workload-requests", {"agency": str(cast.health.pk)}) == []
    assert drill(cast.police_manager, "workload-referrals", {}) == sorted([ref["R3"], ref["R7"]])


@pytest.mark.parametrize(
    ("measure", "params", "field", "message"),
    [
        ("workload-referrals", {"band": "ancient"}, "band", "Choose an age band (band) from the dashboard"),
        ("workload-referrals", {"state": "closed"}, "state", "Choose an open state (state)"),
        ("workload-referrals", {"assignee": "x"}, "assignee", "Choose a member of staff (assignee)"),
        ("workload-referrals", {"colour": "red"}, "colour", "This list has no 'colour'"),
        ("workload-requests", {"agency": "police"}, "agency", "Choose an agency (agency)"),
        ("workload-requests", {"overdue": "yes"}, "overdue", "'overdue' is 1 or left out."),
    ],
)
def test_a_bad_drill_parameter_is_named(client, cast, work, period, measure, params, field, message):
    with pytest.raises(ValidationError) as raised:
        services.drill(cast.manager, measure, period, params)
    assert field in raised.value.message_dict
    status, html = drilled(client, cast.manager, measure, **params)
    assert status == 400 and message.replace("'", "&#x27;") in html


def test_the_board_may_not_drill(client, cast, work):
    status, _ = drilled(client, cast.board, "workload-requests")
    assert status == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads(client, cast, work, fmt):
    client.force_login(cast.police_manager)
    url = reverse("measures:download", args=["workload", "workload-requests-agencies", fmt])
    response = client.get(url)
    assert response.status_code == 200
    header = ["Agency", "Open", "Not claimed", "Overdue", *(band.label for band in ages.BANDS)]
    expected = [
        header,
        ["Constabulary", 2, 1, 2, 0, 0, 1, 1, 0],
        ["All agencies (the whole MASH)", 3, 2, 2, 0, 0, 2, 1, 0],
    ]
    if fmt == "csv":
        got = list(csv.reader(io.StringIO(response.content.decode())))
        assert got == [[str(cell) for cell in row] for row in expected]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [list(row) for row in sheet.iter_rows(values_only=True)] == expected
