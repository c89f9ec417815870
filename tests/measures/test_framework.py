"""The measures' framework: who sees the dashboards, the period rules (one message in the form and
the API), downloads neutralised against formulas, charts drawn from their tables, drill-down refused to
the board. A measure is registered for the test; the real ones have their own tests."""

import io
from datetime import UTC, date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from mash.measures import periods, registry
from mash.measures.registry import Drill, Measure
from mash.measures.tables import COUNT, PERCENT, TEXT, Chart, Column, Table

PLANTED = '=HYPERLINK("http://evil")'


def _build(query):
    table = Table(
        "test-agencies",
        "Test figures",
        [
            Column("agency", "Agency", TEXT),
            Column("count", "Count", COUNT),
            Column("share", "Share", PERCENT),
        ],
        rows=[[PLANTED, 3, 75.0], ["Health", 1, None]],
        total=["All agencies", 4, 50.0],
        links={(0, "count"): query.drill_url("test-measure", agency="1")},
    )
    return [Chart(table, "agency", ["count"], title="Test chart"), table]


def _drill(query, params):
    if params.get("agency") != "1":
        raise ValidationError({"agency": "Choose an agency from the dashboard."})
    return Drill(Table("records", "Test records", [Column("ref", "Reference", TEXT)], rows=[["R1"]]), [])


@pytest.fixture
def measure():
    registry.register(Measure("test-measure", "demand", "Test measure", 999, _build, drill=_drill))
    yield
    registry._measures.pop("test-measure")


def signed_in(client, user):
    client.force_login(user)
    return client


ALLOWED = ("manager", "police_manager", "board")
REFUSED = ("triage", "police_researcher", "decision_maker", "data_admin", "governance", "outsider")


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_the_dashboards_are_for_managers_and_the_board(client, cast, measure, who):
    signed_in(client, getattr(cast, who))
    pages = [reverse("measures:home"), reverse("measures:dashboard", args=["demand"])]
    for url in pages:
        assert client.get(url).status_code == (200 if who in ALLOWED else 403)


def test_a_dashboard_shows_each_chart_with_its_table(client, cast, measure):
    html = (
        signed_in(client, cast.manager).get(reverse("measures:dashboard", args=["demand"])).content.decode()
    )
    assert 'data-chart="chart-test-agencies"' in html
    assert '<script id="chart-test-agencies" type="application/json">' in html
    assert "Test figures" in html and "75.0%" in html and "\u2013" in html
    assert reverse("measures:drill", args=["test-measure"]) in html


def test_the_board_gets_no_link_to_records(client, cast, measure):
    signed_in(client, cast.board)
    html = client.get(reverse("measures:dashboard", args=["demand"])).content.decode()
    assert "Test figures" in html
    assert reverse("measures:drill", args=["test-measure"]) not in html
    url = reverse("measures:drill", args=["test-measure"]) + "?agency=1"
    assert client.get(url).status_code == 403


def test_a_manager_drills_down(client, cast, measure):
    signed_in(client, cast.manager)
    url = reverse("measures:drill", args=["test-measure"])
    assert "R1" in client.get(url + "?agency=1").content.decode()
    wrong = client.get(url + "?agency=2")
    assert wrong.status_code == 400 and "Choose an agency from the dashboard." in wrong.content.decode()
    # No parameter at all (the form unbound until it was always bound) is refused the same way, not a 500.
    bare = client.get(url)
    assert bare.status_code == 400 and "Choose an agency from the dashboard." in bare.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_neutralise_formulas(client, cast, measure, fmt):
    signed_in(client, cast.manager)
    url = reverse("measures:download", args=["demand", "test-agencies", fmt]) + "?period=year"
    response = client.get(url)
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode()
        assert "'=HYPERLINK" in text and "All agencies,4,50.0" in text
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A2"].value == "'" + PLANTED and sheet["B2"].value == 3 and sheet["C3"].value is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "dates"}, "since", "Enter the first day of the period."),
        (
            {"period": "dates", "since": "2026-01-05", "until": "2099-01-01"},
            "until",
            "The last day must be today or in the past.",
        ),
        (
            {"period": "dates", "since": "2026-02-05", "until": "2026-01-01"},
            "until",
            "The last day must be the same as or after the first day.",
        ),
        (
            {"period": "dates", "since": "2015-01-01", "until": "2026-01-01"},
            "until",
            "A period can be five years at most",
        ),
    ],
)
def test_the_same_period_rule_gives_the_same_message_in_the_page_and_the_api(
    client, api_client, cast, measure, params, field, message
):
    signed_in(client, cast.manager)
    page = client.get(reverse("measures:dashboard", args=["demand"]), params)
    assert page.status_code == 400 and message in page.content.decode()
    api_client.force_authenticate(cast.manager)
    api = api_client.get(reverse("api-measures-dashboard", args=["demand"]), params)
    assert api.status_code == 400 and any(message in text for text in api.json()[field])


def test_the_api_gives_the_tables(api_client, cast, measure):
    api_client.force_authenticate(cast.board)
    data = api_client.get(reverse("api-measures-dashboard", args=["demand"]), {"period": "quarter"}).json()
    table = next(m for m in data["measures"] if m["key"] == "test-measure")["tables"][0]
    assert table["rows"][0] == [PLANTED, 3, 75.0] and table["total"] == ["All agencies", 4, 50.0]
    api_client.force_authenticate(cast.triage)
    assert api_client.get(reverse("api-measures-dashboard", args=["demand"])).status_code == 403


@pytest.mark.parametrize(
    ("choice", "first"),
    [
        (periods.WEEK, date(2026, 11, 30)),
        (periods.MONTH, date(2026, 12, 1)),
        (periods.QUARTER, date(2026, 10, 1)),
        (periods.YEAR, date(2025, 12, 6)),
    ],
)
def test_the_named_periods_end_today(choice, first):
    period = periods.period_of(choice, today=date(2026, 12, 5))
    assert (period.first, period.last) == (first, date(2026, 12, 5))


def test_a_period_is_whole_local_days_across_the_clock_change():
    period = periods.period_of(periods.DATES, date(2026, 3, 29), date(2026, 3, 29), today=date(2026, 12, 5))
    assert (period.end.astimezone(UTC) - period.start.astimezone(UTC)).total_seconds() == 23 * 3600
    assert period.months() == [date(2026, 3, 1)]
