"""The demand dashboard's referral measures against known data (tests/measures/demand_data.py): contacts
and referrals by source and month, outcomes by source, the consultation line, repeat referrals; the
records behind them per viewer; the board's page without links; a CSV and a spreadsheet against the
page's numbers."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mash.agencies.selectors import actor_for
from mash.measures import registry, services
from mash.measures.scope import Viewer
from tests.factories import PersonFactory
from tests.measures import demand_data
from tests.measures.demand_data import PARAMS, period

JAN, FEB, MAR = "January 2026", "February 2026", "March 2026"


@pytest.fixture
def data(cast):
    return demand_data.build(cast)


def table(user, key, by=""):
    return services.find_table(services.build_dashboard(user, "demand", period(), by), key)


def rounded(rows):
    return [[round(v, 1) if isinstance(v, float) else v for v in row] for row in rows]


def test_contacts_and_referrals_by_source(cast, data):
    sources = table(cast.manager, "demand-contacts-sources")
    assert rounded(sources.rows) == [
        ["Phone call", 1, 1, 100.0],
        ["E-mail", 1, 0, 0.0],
        ["Multi-agency referral form", 2, 1, 50.0],
        ["Police notification", 3, 1, 33.3],
        ["Consultation call", 1, 0, 0.0],
    ]
    assert sources.total == ["All sources", 8, 3, 37.5]


def test_contacts_by_month_and_source(cast, data):
    months = table(cast.manager, "demand-contacts-months")
    assert rounded(months.rows) == [
        [JAN, 1, 0, 0, 1, 0, 2, 1, 50.0],
        [FEB, 0, 0, 1, 2, 0, 3, 1, 33.3],
        [MAR, 0, 1, 1, 0, 1, 3, 1, 33.3],
    ]
    assert months.total == ["All months", 1, 1, 2, 3, 1, 8, 3, 37.5]
    built = services.build_dashboard(cast.manager, "demand", period(), "")
    chart = next(b for b in built if b.measure.key == "demand-contacts").charts[0]
    assert chart.kind == "stacked" and chart.data()["datasets"][3] == {
        "label": "Police notification",
        "data": [1, 2, 0],
    }


def test_outcomes_by_source_are_of_the_contacts_decided_in_the_period(cast, data):
    outcomes = table(cast.manager, "demand-outcomes-sources")
    # Columns: decided, then nfa, information and advice, early help, s17, strategy discussion,
    # immediate protection, s42, other enquiry, and the share that became referrals.
    assert rounded(outcomes.rows) == [
        ["Phone call", 1, 0.0, 0.0, 0.0, 100.0, 0.0, 0.0, 0.0, 0.0, 100.0],
        ["E-mail", 1, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ["Multi-agency referral form", 1, 0.0, 0.0, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ["Police notification", 3, 66.7, 0.0, 0.0, 0.0, 33.3, 0.0, 0.0, 0.0, 33.3],
        ["Consultation call", 0, *[None] * 9],
    ]
    assert rounded([outcomes.total]) == [["All sources", 6, 50.0, 0.0, 16.7, 16.7, 16.7, 0.0, 0.0, 0.0, 33.3]]


def test_the_consultation_line(cast, data):
    line = table(cast.manager, "demand-consultations")
    assert line.rows == [[period().label, 4, 1, 2, 3, 75.0]] and line.total is None
    monthly = table(cast.manager, "demand-consultations", by="month")
    assert monthly.rows == [[JAN, 1, 0, 0, 1, 100.0], [FEB, 2, 0, 1, 2, 100.0], [MAR, 1, 1, 1, 0, 0.0]]
    assert monthly.total == ["Whole period", 4, 1, 2, 3, 75.0]
    trend = table(cast.manager, "demand-consultations-trend")
    assert trend.rows == [[JAN, 1, 2], [FEB, 2, 3], [MAR, 1, 3]]


def test_repeat_referrals_within_12_months(cast, data):
    repeats = table(cast.manager, "demand-repeats")
    assert repeats.rows == [[period().label, 8, 2, 25.0]]
    monthly = table(cast.manager, "demand-repeats", by="month")
    assert rounded(monthly.rows) == [[JAN, 2, 0, 0.0], [FEB, 3, 1, 33.3], [MAR, 3, 1, 33.3]]
    assert monthly.total == ["Whole period", 8, 2, 25.0]


def test_an_agency_manager_and_the_board_see_the_same_mash_wide_counts(cast, data):
    for user in (cast.police_manager, cast.board):
        assert table(user, "demand-contacts-sources").total == ["All sources", 8, 3, 37.5]
        assert table(user, "demand-repeats").rows == [[period().label, 8, 2, 25.0]]


@pytest.mark.parametrize(
    "key", ["demand-contacts", "demand-consultations", "demand-repeats", "demand-outcomes"]
)
def test_each_measure_is_a_query_or_two(cast, data, key, django_assert_max_num_queries):
    query = registry.Query(
        viewer=Viewer(actor_for(cast.manager)),
        period=period(),
        by="month",
        now=timezone.now(),
        user=cast.manager,
    )
    with django_assert_max_num_queries(2):
        registry.measure(key).build(query)


def drilled(user, key, **params):
    return services.drill(user, key, period(), params)[1]


def test_the_records_behind_the_figures_per_viewer(cast, data):
    r, c = data.referrals, data.calls
    repeats = drilled(cast.manager, "demand-repeats")
    assert repeats.table.column("reference") == [r["r6"].reference, r["r5"].reference]
    assert repeats.table.links[(0, "reference")] == reverse("referrals:detail", args=[r["r6"].pk])
    assert drilled(cast.manager, "demand-repeats", month="2026-02").table.column("reference") == [
        r["r5"].reference
    ]
    police = drilled(cast.manager, "demand-contacts", channel="police_notification", referral="1")
    assert police.table.column("reference") == [r["r4"].reference]
    nfa = drilled(cast.manager, "demand-outcomes", channel="police_notification", outcome="nfa")
    assert nfa.table.column("reference") == [r["r3"].reference, r["r2"].reference]
    became = drilled(cast.manager, "demand-consultations", kind="referred")
    assert became.table.column("referral") == [r["r8"].reference]
    assert became.table.links[(0, "called")] == reverse("referrals:consultation", args=[c["c1"].pk])
    assert (
        len(drilled(cast.manager, "demand-consultations", kind="not_referred", month="2026-02").records) == 2
    )
    # The police's manager sees no referral nor call they were not asked about; the board no list at all.
    assert drilled(cast.police_manager, "demand-repeats").records == []
    assert drilled(cast.police_manager, "demand-consultations").records == []
    with pytest.raises(PermissionDenied):
        drilled(cast.board, "demand-repeats")


@pytest.mark.parametrize(
    ("key", "params", "field"),
    [
        ("demand-contacts", {"channel": "fax"}, "channel"),
        ("demand-contacts", {"referral": "yes"}, "referral"),
        ("demand-contacts", {"month": "2026-05"}, "month"),
        ("demand-outcomes", {"outcome": "maybe"}, "outcome"),
        ("demand-consultations", {"kind": "long"}, "kind"),
        ("demand-repeats", {"colour": "red"}, "colour"),
    ],
)
def test_a_bad_drill_parameter_is_refused_by_name(cast, key, params, field):
    with pytest.raises(ValidationError) as refused:
        drilled(cast.manager, key, **params)
    assert field in refused.value.message_dict


def test_the_board_sees_the_figures_without_links(client, cast, data):
    url = reverse("measures:dashboard", args=["demand"])
    client.force_login(cast.board)
    html = client.get(url, PARAMS).content.decode()
    assert "Repeat referrals" in html and reverse("measures:drill", args=["demand-repeats"]) not in html
    client.force_login(cast.manager)
    html = client.get(url, PARAMS).content.decode()
    assert reverse("measures:drill", args=["demand-repeats"]) in html


def test_the_downloads_hold_the_pages_numbers(client, cast, data):
    client.force_login(cast.manager)
    csv = client.get(reverse("measures:download", args=["demand", "demand-contacts-sources", "csv"]), PARAMS)
    assert csv.content.decode().splitlines() == [
        "Source,Contacts,Referrals,Contacts that became referrals",
        "Phone call,1,1,100.0",
        "E-mail,1,0,0.0",
        "Multi-agency referral form,2,1,50.0",
        "Police notification,3,1,33.3",
        "Consultation call,1,0,0.0",
        "All sources,8,3,37.5",
    ]
    url = reverse("measures:download", args=["demand", "demand-consultations", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url, {**PARAMS, "by": "month"}).content)).active
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        [JAN, 1, 0, 0, 1, 100],
        [FEB, 2, 0, 1, 2, 100],
        [MAR, 1, 1, 1, 0, 0],
        ["Whole period", 4, 1, 2, 3, 75],
    ]


def test_a_repeat_is_within_365_days_to_the_moment(cast):
    person = PersonFactory(given_name="Zara", family_name="Known")
    older = PersonFactory(given_name="Yusuf", family_name="Known")
    demand_data._contact(cast, "phone", demand_data.at(2025, 2, 1, 9, 0), person)
    demand_data._contact(cast, "phone", demand_data.at(2026, 2, 1, 9, 0), person)  # 365 days to the minute
    demand_data._contact(cast, "phone", demand_data.at(2025, 2, 1, 8, 59), older)
    demand_data._contact(cast, "phone", demand_data.at(2026, 2, 1, 9, 0), older)  # a minute more
    assert table(cast.manager, "demand-repeats").rows == [[period().label, 2, 1, 50.0]]
