"""The quality of information shared dashboard: every figure against known data
(tests/measures/quality_data.py), what each viewer sees, the drill-downs and the downloads."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mash.agencies.roles import Role
from mash.measures import services
from mash.sharing.models import AccessLog
from tests.factories import member
from tests.measures.quality_data import HEALTH_REASON, PERIOD, PERIOD_PARAMS, POLICE_REASON, build

pytestmark = pytest.mark.django_db

TOTAL = "All agencies (MASH-wide)"


@pytest.fixture
def built(cast):
    return build(cast)


def tables(user, by=""):
    return {
        table.key: table
        for item in services.build_dashboard(user, "quality", PERIOD, by)
        for table in item.tables
    }


def figures(table):
    return [*table.rows, table.total]


def rounded(rows):
    return [[round(v, 1) if isinstance(v, float) else v for v in row] for row in rows]


def test_every_figure_for_a_mash_manager(cast, built):
    shown = tables(cast.manager)
    assert rounded(figures(shown["quality-on-time"])) == [
        ["Constabulary", 3, 2, 1, 66.7],
        ["Integrated Care Board", 2, 1, 1, 50.0],
        [TOTAL, 5, 3, 2, 60.0],
    ]
    assert rounded(figures(shown["quality-relied-on"])) == [
        ["Constabulary", 3, 2, 66.7],
        ["Integrated Care Board", 2, 1, 50.0],
        [TOTAL, 5, 3, 60.0],
    ]
    assert rounded(figures(shown["quality-ratings"])) == [
        ["Constabulary", 2, 1, 1, 50.0],
        ["Integrated Care Board", 1, 0, 1, 0.0],
        [TOTAL, 3, 1, 2, 33.3],
    ]
    assert rounded(figures(shown["quality-nothing-known"])) == [
        ["Constabulary", 4, 1, 25.0],
        ["Integrated Care Board", 3, 1, 33.3],
        [TOTAL, 7, 2, 28.6],
    ]
    assert figures(shown["quality-addenda"]) == [
        ["Constabulary", 2, 1],
        ["Integrated Care Board", 1, 1],
        [TOTAL, 3, 2],
    ]
    gradings = shown["quality-police-gradings"]
    assert len(gradings.rows) == 16  # 3 x 5 gradings, then the entries not graded
    by_grade = {row[0]: rounded([row])[0] for row in gradings.rows}
    assert by_grade["1B"] == ["1B", 1, 0, 1, 33.3]
    assert by_grade["2C"] == ["2C", 0, 1, 1, 33.3]
    assert by_grade["Not graded"] == ["Not graded", None, None, 1, 33.3]
    assert all(row[3] == 0 for row in gradings.rows if row[0] not in {"1B", "2C", "Not graded"})
    assert gradings.total == ["All entries", 1, 1, 3, 100.0]


def test_an_agencys_manager_sees_their_agencys_row_and_the_mash_wide_total(cast, built):
    shown = tables(cast.police_manager)
    assert rounded(figures(shown["quality-on-time"])) == [
        ["Constabulary", 3, 2, 1, 66.7],
        [TOTAL, 5, 3, 2, 60.0],
    ]
    assert rounded(figures(shown["quality-ratings"])) == [
        ["Constabulary", 2, 1, 1, 50.0],
        [TOTAL, 3, 1, 2, 33.3],
    ]
    assert figures(shown["quality-addenda"]) == [["Constabulary", 2, 1], [TOTAL, 3, 2]]
    assert shown["quality-police-gradings"].total == ["All entries", 1, 1, 3, 100.0]
    health_manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    shown = tables(health_manager)
    assert rounded(figures(shown["quality-nothing-known"])) == [
        ["Integrated Care Board", 3, 1, 33.3],
        [TOTAL, 7, 2, 28.6],
    ]
    assert "quality-police-gradings" not in shown  # the police's gradings are the police's


def test_the_board_sees_the_figures_without_links(client, cast, built):
    shown = tables(cast.board)
    assert rounded(figures(shown["quality-ratings"]))[-1] == [TOTAL, 3, 1, 2, 33.3]
    assert all(not table.links for table in shown.values())
    client.force_login(cast.board)
    page = client.get(reverse("measures:dashboard", args=["quality"]), PERIOD_PARAMS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Answers rated sufficient, by agency" in body
    assert reverse("measures:drill", args=["quality-ratings"]) not in body
    assert reverse("measures:drill", args=["quality-on-time"]) not in body
    drill = reverse("measures:drill", args=["quality-ratings"])
    assert client.get(drill, {**PERIOD_PARAMS, "agency": cast.police.pk}).status_code == 403


def test_the_manager_sees_the_charts_and_the_drill_links(client, cast, built):
    client.force_login(cast.manager)
    body = client.get(reverse("measures:dashboard", args=["quality"]), PERIOD_PARAMS).content.decode()
    assert 'data-chart="chart-quality-ratings"' in body and 'data-chart="chart-quality-on-time"' in body
    assert reverse("measures:drill", args=["quality-ratings"]) + "?period=dates" in body
    assert POLICE_REASON not in body and HEALTH_REASON not in body  # aggregates only


def drill(client, measure, agency, fmt=None):
    params = {**PERIOD_PARAMS, "agency": agency.pk, **({"format": fmt} if fmt else {})}
    return client.get(reverse("measures:drill", args=[measure]), params)


def test_the_answers_not_sufficient_with_their_reasons_shown_escaped(client, cast, built):
    client.force_login(cast.manager)
    police = drill(client, "quality-ratings", cast.police)
    assert police.status_code == 200
    body = police.content.decode()
    assert built.r2_police.referral.reference in body and built.r1_police.referral.reference not in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(&quot;http://evil&quot;)" in body
    assert reverse("referrals:request", args=[built.r2_police.pk]) in body
    health = drill(client, "quality-ratings", cast.health).content.decode()
    assert HEALTH_REASON in health and built.r1_health.referral.reference in health
    logged = AccessLog.objects.filter(user=cast.manager, object_id=str(built.r2_police.pk), action="view")
    assert logged.exists()


def test_an_agencys_manager_drills_into_their_own_agencys_answers_only(client, cast, built):
    client.force_login(cast.police_manager)
    own = drill(client, "quality-ratings", cast.police)
    assert own.status_code == 200 and built.r2_police.referral.reference in own.content.decode()
    other = drill(client, "quality-ratings", cast.health)
    assert other.status_code == 400
    assert "Choose an agency from the dashboard." in other.content.decode()
    assert HEALTH_REASON not in other.content.decode()


def test_the_late_answers_of_an_agency(client, cast, built):
    client.force_login(cast.manager)
    body = drill(client, "quality-on-time", cast.police).content.decode()
    assert built.r2_police.referral.reference in body
    assert built.r1_police.referral.reference not in body and built.r3_police.referral.reference not in body


def test_the_drill_download_neutralises_the_reason(client, cast, built):
    client.force_login(cast.manager)
    response = drill(client, "quality-ratings", cast.police, fmt="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Referral", "Agency", "Rated", "Why not sufficient"]
    assert rows[1][0] == built.r2_police.referral.reference and rows[1][3] == POLICE_REASON  # starts with <


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ratings_table_downloads(client, cast, built, fmt):
    client.force_login(cast.manager)
    url = reverse("measures:download", args=["quality", "quality-ratings", fmt])
    response = client.get(url, PERIOD_PARAMS)
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows == [
            ["Agency", "Answers rated", "Sufficient", "Not sufficient", "% sufficient"],
            ["Constabulary", "2", "1", "1", "50.0"],
            ["Integrated Care Board", "1", "0", "1", "0.0"],
            [TOTAL, "3", "1", "2", "33.3"],
        ]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
            ["Agency", "Answers rated", "Sufficient", "Not sufficient", "% sufficient"],
            ["Constabulary", 2, 1, 1, 50],
            ["Integrated Care Board", 1, 0, 1, 0],
            [TOTAL, 3, 1, 2, 33.3],
        ]


def test_the_api_gives_the_quality_tables_by_agency_whatever_the_breakdown(api_client, cast, built):
    api_client.force_authenticate(cast.police_manager)
    url = reverse("api-measures-dashboard", args=["quality"])
    for by in ("", "month", "agency"):
        data = api_client.get(url, {**PERIOD_PARAMS, "by": by} if by else PERIOD_PARAMS).json()
        ratings = next(m for m in data["measures"] if m["key"] == "quality-ratings")["tables"][0]
        assert ratings["rows"] == [["Constabulary", 2, 1, 1, 50.0]]
        assert ratings["total"] == [TOTAL, 3, 1, 2, 33.3]  # one decimal place, as the downloads
