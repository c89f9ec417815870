"""The demand dashboard's disclosure applications and missing persons measures against known data
(tests/measures/demand_more_data.py): every figure, by month and by agency, the records behind them per
viewer (disclosure applications only through the disclosure policy), a spreadsheet against the page."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from mash.agencies.roles import Role
from mash.measures import services
from tests.factories import member
from tests.measures import demand_more_data
from tests.measures.demand_data import PARAMS, period

JAN, FEB, MAR = "January 2026", "February 2026", "March 2026"


@pytest.fixture
def data(cast):
    return demand_more_data.build(cast)


def table(user, key, by=""):
    return services.find_table(services.build_dashboard(user, "demand", period(), by), key)


def drilled(user, key, **params):
    return services.drill(user, key, period(), params)[1]


def test_disclosure_applications_by_scheme_and_result(cast, data):
    schemes = table(cast.manager, "demand-disclosures-schemes")
    # Applications; disclosed, not disclosed, withdrawn, still open; disclosed of those decided.
    assert schemes.rows == [
        ["Clare's Law: Right to Ask", 3, 1, 1, 1, 0, 50.0],
        ["Clare's Law: Right to Know", 2, 1, 0, 0, 1, 100.0],
        ["Sarah's Law (Child Sex Offender Disclosure Scheme)", 2, 0, 1, 0, 1, 0.0],
    ]
    assert schemes.total == ["All schemes", 7, 2, 2, 1, 2, 50.0]


def test_disclosure_applications_by_route_and_by_month(cast, data):
    routes = table(cast.manager, "demand-disclosures-routes")
    # Right to Ask, Right to Know, Sarah's Law, all.
    assert routes.rows == [
        ["Phone call (101)", 2, 0, 0, 2],
        ["In person at a police station", 0, 0, 1, 1],
        ["Online form", 1, 0, 0, 1],
        ["Through a partner agency", 0, 0, 1, 1],
        ["Police information (Right to Know)", 0, 2, 0, 2],
    ]
    assert routes.total == ["All routes", 3, 2, 2, 7]
    months = table(cast.manager, "demand-disclosures-months")
    assert months.rows == [[JAN, 2, 0, 0, 2], [FEB, 1, 1, 0, 2], [MAR, 0, 1, 2, 3]]
    assert months.total == ["All months", 3, 2, 2, 7]


def test_the_applications_behind_the_figures_are_the_police_teams(cast, data):
    a = data.applications
    # Every measures viewer sees the counts; the lead's and the police's managers see no application
    # (not the disclosure team, no forum granted them one); a manager of the team sees them.
    assert table(cast.board, "demand-disclosures-schemes").total[1] == 7
    assert table(cast.board, "demand-disclosures-schemes").links == {}
    assert drilled(cast.manager, "demand-disclosures", scheme="dvds_ask").records == []
    assert drilled(cast.police_manager, "demand-disclosures", scheme="dvds_ask").records == []
    team_manager = member(cast.police, Role.MASH_MANAGER, Role.DATA_ADMINISTRATOR, username="police.team")
    withdrawn = drilled(team_manager, "demand-disclosures", scheme="dvds_ask", result="withdrawn")
    assert withdrawn.table.column("reference") == [a["a3"].reference]
    assert withdrawn.table.links[(0, "reference")] == reverse("disclosures:application", args=[a["a3"].pk])
    still_open = drilled(team_manager, "demand-disclosures", result="open")
    assert still_open.table.column("reference") == [a["a7"].reference, a["a5"].reference]
    assert len(drilled(team_manager, "demand-disclosures", month="2026-03").records) == 3


def test_missing_episodes_by_risk_and_month(cast, data):
    risks = table(cast.manager, "demand-missing-risk")
    # Children, adults, all.
    assert risks.rows == [["High", 2, 1, 3], ["Medium", 5, 0, 5], ["Low", 1, 1, 2], ["Very low", 1, 0, 1]]
    assert risks.total == ["All risks", 9, 2, 11]
    months = table(cast.manager, "demand-missing-months")
    # Children, adults, all, high risk.
    assert months.rows == [[JAN, 3, 0, 3, 1], [FEB, 3, 1, 4, 1], [MAR, 3, 1, 4, 1]]
    assert months.total == ["All months", 9, 2, 11, 3]


def test_repeat_missing_flags_and_what_became_of_them(cast, data):
    flags = table(cast.manager, "demand-missing-flags")
    # Raised; referral opened, dismissed, still to act on; the share referred.
    assert [[round(v, 1) if isinstance(v, float) else v for v in flags.rows[0]]] == [
        [period().label, 3, 1, 1, 1, 33.3]
    ]
    monthly = table(cast.manager, "demand-missing-flags", by="month")
    assert monthly.rows == [[JAN, 1, 1, 0, 0, 100.0], [FEB, 1, 0, 1, 0, 0.0], [MAR, 1, 0, 0, 1, 0.0]]
    assert monthly.total[:5] == ["Whole period", 3, 1, 1, 1]


def test_return_home_interviews_offered_and_done(cast, data):
    # Children returned; offered, done, declined in the period (one done without an offer before it is
    # offered when done).
    assert table(cast.manager, "demand-missing-interviews").rows == [[period().label, 4, 4, 2, 1]]
    monthly = table(cast.manager, "demand-missing-interviews", by="month")
    assert monthly.rows == [[JAN, 2, 3, 2, 1], [FEB, 1, 1, 0, 0], [MAR, 1, 0, 0, 0]]
    assert monthly.total == ["Whole period", 4, 4, 2, 1]


def test_return_home_interviews_by_agency_per_viewer(cast, data):
    every = [
        ["Constabulary", 0, 1, 1, 0],
        ["County Council MASH", 1, 1, 0, 1],
        ["Integrated Care Board", 3, 2, 1, 0],
    ]
    total = ["All agencies (the whole MASH)", 4, 4, 2, 1]
    for user in (cast.manager, cast.board):
        by_agency = table(user, "demand-missing-interviews", by="agency")
        assert by_agency.rows == every and by_agency.total == total
    police = table(cast.police_manager, "demand-missing-interviews", by="agency")
    assert police.rows == [every[0]] and police.total == total


def test_the_episodes_flags_and_interviews_behind_the_figures_per_viewer(cast, data):
    e, i = data.episodes, data.interviews
    high_children = drilled(cast.manager, "demand-missing", risk="high", who="children")
    assert high_children.records == [e["e7"], e["e1"]]
    assert high_children.table.links[(0, "reported")] == reverse("missing_persons:episode", args=[e["e7"].pk])
    dismissed = drilled(cast.manager, "demand-missing-flags", status="dismissed")
    assert [flag.pk for flag in dismissed.records] == [data.flags["f2"].pk]
    assert dismissed.table.links[(0, "raised")] == reverse("missing_persons:episode", args=[e["e7"].pk])
    done = drilled(cast.manager, "demand-missing-interviews", kind="done")
    assert done.records == [i["e1"], i["e0"]]
    # The police see every episode; a health manager none they were not asked about.
    assert drilled(cast.police_manager, "demand-missing-interviews", kind="done").records == [
        i["e1"],
        i["e0"],
    ]
    health_manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    assert drilled(health_manager, "demand-missing", risk="high").records == []
    assert drilled(health_manager, "demand-missing-flags").records == []
    assert drilled(health_manager, "demand-missing-interviews", kind="offered").records == []


@pytest.mark.parametrize(
    ("key", "params", "field"),
    [
        ("demand-disclosures", {"scheme": "nope"}, "scheme"),
        ("demand-disclosures", {"result": "maybe"}, "result"),
        ("demand-missing", {"who": "pets"}, "who"),
        ("demand-missing-flags", {"status": "gone"}, "status"),
        ("demand-missing-interviews", {"month": "2025-12"}, "month"),
        ("demand-missing-interviews", {"agency": "1"}, "agency"),
    ],
)
def test_a_bad_drill_parameter_is_refused_by_name(cast, key, params, field):
    with pytest.raises(ValidationError) as refused:
        drilled(cast.manager, key, **params)
    assert field in refused.value.message_dict


def test_the_spreadsheet_holds_the_pages_numbers(client, cast, data):
    client.force_login(cast.board)
    url = reverse("measures:download", args=["demand", "demand-disclosures-schemes", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url, PARAMS).content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][1:] == [
        ["Clare's Law: Right to Ask", 3, 1, 1, 1, 0, 50],
        ["Clare's Law: Right to Know", 2, 1, 0, 0, 1, 100],
        ["Sarah's Law (Child Sex Offender Disclosure Scheme)", 2, 0, 1, 0, 1, 0],
        ["All schemes", 7, 2, 2, 1, 2, 50],
    ]


def test_the_api_and_the_page_by_agency(client, api_client, cast, data):
    api_client.force_authenticate(cast.police_manager)
    response = api_client.get(reverse("api-measures-dashboard", args=["demand"]), {**PARAMS, "by": "agency"})
    measures = {m["key"]: m for m in response.json()["measures"]}
    interviews = measures["demand-missing-interviews"]["tables"][0]
    assert interviews["rows"] == [["Constabulary", 0, 1, 1, 0]]
    assert interviews["total"] == ["All agencies (the whole MASH)", 4, 4, 2, 1]
    client.force_login(cast.police_manager)
    page = client.get(reverse("measures:dashboard", args=["demand"]), {**PARAMS, "by": "agency"})
    assert page.status_code == 200 and "All agencies (the whole MASH)" in page.content.decode()
