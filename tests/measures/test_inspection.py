"""The inspection lists (ILACS Annex A): the rows of known contacts, referrals and section 47 enquiries in
and out of a period, every value, the columns exactly as docs/annex-a.md documents them (read here, so
the document and the code cannot drift), who may see them, the downloads (formulas neutralised, reads
logged as exports) and the API (pages, the period's messages)."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mash.measures import inspection, periods
from mash.sharing.models import AccessAction, AccessLog
from referrals.models import Referral
from referrals.selectors import child_contacts_for
from strategy.models import Decision, Section47Finding, StrategyDiscussion
from strategy.selectors import section_47_enquiries_for
from tests.factories import PersonFactory
from tests.measures.inspection_data import PLANTED, contacts, enquiry, months_before, move_enquiry

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "annex-a.md"
SOURCE = f"{PLANTED} (Multi-agency referral form)"


def documented() -> dict[str, list[tuple[str, str, str]]]:
    """docs/annex-a.md's lists: for each list key, its (key, heading, source) rows in order."""
    lists, current = {}, None
    for line in DOC.read_text().splitlines():
        if match := re.match(r"^## List \d+: .+ \(`([-\w]+)`\)$", line):
            current = lists.setdefault(match.group(1), [])
        elif current is not None and (match := re.match(r"^\| `(\w+)` \| (.+?) \| (.+) \|$", line)):
            current.append(match.groups())
    return lists


def test_each_list_has_exactly_the_documented_columns_in_order():
    docs = documented()
    assert sorted(docs) == sorted(item.key for item in inspection.all_lists())
    for item in inspection.all_lists():
        assert [(key, heading) for key, heading, _ in docs[item.key]] == [
            (h.key, h.heading) for h in item.headings
        ], item.key


def not_recorded(key: str) -> set[int]:
    """The column positions docs/annex-a.md says are blank (not recorded by this system)."""
    return {i for i, (_, _, source) in enumerate(documented()[key]) if source.startswith("Blank")}


def test_annex_a_numbers_and_names_the_lists():
    assert [(item.number, item.key) for item in inspection.all_lists()] == [
        (1, "contacts"),
        (3, "referrals"),
        (5, "section-47"),
    ]


@pytest.fixture
def known(cast):
    return contacts(cast)


def rows_of(user, key, period):
    return inspection.page_of(user, key, period, 1, per_page=200).rows


def test_the_contacts_list_is_a_row_per_child_per_contact_in_the_period(cast, known):
    jayden, amy = known.jayden, known.amy
    first_day = timezone.localdate(known.first.received_at)
    assert rows_of(cast.manager, "contacts", known.period) == [
        [str(jayden.pk), "a) Male", None, known.jayden_dob, 8, first_day, SOURCE],
        [str(amy.pk), "b) Female", None, None, 5, first_day, SOURCE],
        [
            str(jayden.pk),
            "a) Male",
            None,
            known.jayden_dob,
            9,
            timezone.localdate(known.second.received_at),
            "Police notification",
        ],
        [
            str(amy.pk),
            "b) Female",
            None,
            None,
            5,
            known.period.last,
            "Orwell Primary School (Multi-agency referral form)",
        ],
    ]


def test_the_referrals_list_counts_the_childs_referrals_in_the_twelve_months_before(cast, known):
    worker = cast.triage.get_full_name()
    first_day = timezone.localdate(known.first.received_at)
    assert rows_of(cast.manager, "referrals", known.period) == [
        # The evening before the period, 300 and exactly 365 days before count; a minute more than 365
        # days and 13 months before, the early help contact and the referral after this one do not.
        [
            str(known.jayden.pk),
            "a) Male",
            None,
            known.jayden_dob,
            8,
            first_day,
            SOURCE,
            "No",
            3,
            None,
            worker,
        ],
        [str(known.amy.pk), "b) Female", None, None, 5, first_day, SOURCE, "No", 0, None, worker],
    ]


def test_the_columns_not_recorded_are_blank_in_every_row(cast, known):
    for key in ("contacts", "referrals"):
        blank = not_recorded(key)
        assert blank
        for row in rows_of(cast.manager, key, known.period):
            assert all(row[i] is None for i in blank), (key, row)


@pytest.mark.parametrize("key", ["contacts", "referrals"])
def test_a_page_costs_the_same_queries_whatever_its_rows(cast, known, key):
    inspection.page_of(cast.manager, key, known.period, 1, per_page=1)  # content types cached
    counts = []
    for per_page in (1, 4):
        with CaptureQueriesContext(connection) as queries:
            page = inspection.page_of(cast.manager, key, known.period, 1, per_page=per_page)
        counts.append(len(queries))
        assert len(page.rows) == min(per_page, len(rows_of(cast.manager, key, known.period)))
    assert counts[0] == counts[1]


def test_the_selectors_cut_the_rows_to_what_the_user_may_see(cast, known):
    # The lists are the lead managers' (who see every referral); the selectors still apply the policy
    # to anyone else: the police researcher, granted no referral here, gets none.
    period = known.period
    assert child_contacts_for(cast.police_researcher, start=period.start, end=period.end).count() == 0
    assert child_contacts_for(cast.manager, start=period.start, end=period.end).count() == 4
    assert section_47_enquiries_for(cast.police_researcher, start=period.start, end=period.end).count() == 0


def test_a_period_with_nothing_lists_nothing(cast, known):
    today = timezone.localdate()
    quiet = periods.period_of(periods.DATES, today - timedelta(days=29), today - timedelta(days=28))
    assert rows_of(cast.manager, "contacts", quiet) == []


# --- List 5 -----------------------------------------------------------------------------------------


@pytest.fixture
def enquiries(cast):
    kai = PersonFactory(
        given_name="Kai", family_name="Brown", date_of_birth=None, approximate_age=11, gender="other"
    )
    lily = PersonFactory(given_name="Lily", family_name="Green", gender="unknown")
    now = timezone.now()
    # Kai's enquiry 100 days ago (a conference ten days later) and 13 months ago (a conference then).
    earlier = enquiry(cast, kai, finding=Section47Finding.CONTINUING_RISK, conference=True)
    move_enquiry(earlier, now - timedelta(days=100), now - timedelta(days=90))
    oldest = enquiry(cast, kai, finding=Section47Finding.CONTINUING_RISK, conference=True)
    move_enquiry(oldest, months_before(now, 13), months_before(now, 13) + timedelta(days=10))
    # Today: Kai's, found at continuing risk and conferenced; Lily's single-agency one with no finding yet.
    current = enquiry(cast, kai, finding=Section47Finding.CONTINUING_RISK, conference=True)
    open_one = enquiry(cast, lily, decision=Decision.S47_SINGLE)
    # Neither listed: a child and family assessment, and an enquiry on a record not signed off.
    enquiry(
        cast,
        PersonFactory(given_name="Ann", family_name="Lee"),
        decision=Decision.CHILD_AND_FAMILY_ASSESSMENT,
    )
    enquiry(cast, PersonFactory(given_name="Bo", family_name="Lee"), sign_off=False)
    return kai, lily, current, open_one


def test_the_section_47_list_has_the_enquiries_their_conferences_and_the_year_before(cast, enquiries):
    kai, lily, current, open_one = enquiries
    today = timezone.localdate()
    week = periods.period_of(periods.WEEK)
    worker = cast.triage.get_full_name()  # who screened the referrals (and so took them)
    assert rows_of(cast.manager, "section-47", week) == [
        [str(kai.pk), "d) Neither", None, None, 11, None, today, "No", today, None, 1, 1, None, worker],
        [
            str(lily.pk),
            "c) Not stated/recorded",
            None,
            lily.date_of_birth,
            inspection.age_on(lily, today),
            None,
            today,
            None,
            None,
            None,
            0,
            0,
            None,
            worker,
        ],
    ]
    blank = not_recorded("section-47")
    assert all(row[i] is None for row in rows_of(cast.manager, "section-47", week) for i in blank)
    # Each row's discussion, referral and child were logged as read.
    assert logged(cast.manager, AccessAction.VIEW, StrategyDiscussion) == {
        current.discussion_id,
        open_one.discussion_id,
    }
    assert logged(cast.manager, AccessAction.VIEW, type(kai)) == {kai.pk, lily.pk}


def test_a_finding_without_continuing_risk_makes_the_conference_unnecessary(cast):
    person = PersonFactory(given_name="Noah", family_name="White")
    enquiry(cast, person, finding=Section47Finding.NO_CONTINUING_RISK)
    row = rows_of(cast.manager, "section-47", periods.period_of(periods.WEEK))[0]
    assert row[7:10] == ["Yes", None, None]


# --- Who, pages, downloads, the access log, the API -------------------------------------------------

REFUSED = (
    "police_manager",
    "board",
    "triage",
    "decision_maker",
    "police_researcher",
    "data_admin",
    "governance",
    "outsider",
)


@pytest.mark.parametrize("who", ("manager", *REFUSED))
def test_the_lists_are_the_lead_agencys_managers_only(client, api_client, cast, who):
    user = getattr(cast, who)
    client.force_login(user)
    allowed = who == "manager"
    for url in (
        reverse("measures:inspection"),
        reverse("measures:inspection_list", args=["contacts"]),
        reverse("measures:inspection_list", args=["referrals"]) + "?format=csv",
        reverse("measures:inspection_list", args=["section-47"]) + "?format=xlsx",
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url
    api_client.force_authenticate(user)
    api = api_client.get(reverse("api-measures-inspection", args=["contacts"]))
    assert api.status_code == (200 if allowed else 403)
    if who in ("manager", "police_manager", "board"):  # those who see the measures page
        home = client.get(reverse("measures:home")).content.decode()
        assert (reverse("measures:inspection") in home) is allowed


def test_an_unknown_list_is_not_found(client, cast):
    client.force_login(cast.manager)
    assert client.get(reverse("measures:inspection_list", args=["assessments"])).status_code == 404


def logged(user, action, model) -> set[int]:
    return {
        int(pk)
        for pk in AccessLog.objects.filter(
            user=user, action=action, content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_id", flat=True)
    }


def test_the_page_shows_a_page_of_rows_and_logs_each_record_read(client, cast, known):
    client.force_login(cast.manager)
    url = reverse("measures:inspection_list", args=["contacts"])
    response = client.get(url, {**known.period.params(), "page": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contact Source" in html and "Police notification" in html and "4 rows" in html
    assert logged(cast.manager, AccessAction.VIEW, Referral) == {
        known.first.pk,
        known.second.pk,
        known.last.pk,
    }
    assert logged(cast.manager, AccessAction.VIEW, type(known.jayden)) == {known.jayden.pk, known.amy.pk}
    assert client.get(url, {**known.period.params(), "page": "2"}).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloads_hold_the_whole_list_neutralised_and_are_logged_as_exports(client, cast, known, fmt):
    client.force_login(cast.manager)
    url = reverse("measures:inspection_list", args=["referrals"])
    response = client.get(url, {**known.period.params(), "format": fmt})
    assert response.status_code == 200
    day = timezone.localdate(known.first.received_at)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0] == [h.heading for h in inspection.list_of("referrals").headings]
        assert rows[1][5:9] == [day.strftime("%d/%m/%Y"), "'" + SOURCE, "No", "3"]
        assert len(rows) == 3
    else:
        sheet = load_workbook(io.BytesIO(response.content))["List 3"]
        values = list(sheet.values)
        assert values[0][0] == "Child Unique ID" and len(values) == 3
        assert values[1][5].date() == day and values[1][6] == "'" + SOURCE and values[1][8] == 3
    assert logged(cast.manager, AccessAction.EXPORT, Referral) == {known.first.pk}
    assert logged(cast.manager, AccessAction.VIEW, Referral) == set()


def test_the_api_pages_the_rows_keyed_by_column(api_client, cast, known):
    api_client.force_authenticate(cast.manager)
    url = reverse("api-measures-inspection", args=["contacts"])
    data = api_client.get(url, {**known.period.params(), "page_size": "3"}).json()
    assert data["count"] == 4 and data["next"] and data["number"] == 1
    assert [c["heading"] for c in data["columns"]][:2] == ["Child Unique ID", "Gender"]
    assert data["results"][0] == {
        "child_id": str(known.jayden.pk),
        "gender": "a) Male",
        "ethnicity": None,
        "date_of_birth": known.jayden_dob.isoformat(),
        "age": 8,
        "date_of_contact": timezone.localdate(known.first.received_at).isoformat(),
        "contact_source": SOURCE,
    }
    second = api_client.get(url, {**known.period.params(), "page_size": "3", "page": "2"}).json()
    assert [row["date_of_contact"] for row in second["results"]] == [known.period.last.isoformat()]
    assert api_client.get(url, {"page_size": "0"}).status_code == 400


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "dates"}, "since", "Enter the first day of the period."),
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
def test_a_wrong_period_gets_the_same_message_in_the_page_and_the_api(
    client, api_client, cast, params, field, message
):
    client.force_login(cast.manager)
    page = client.get(reverse("measures:inspection_list", args=["referrals"]), params)
    assert page.status_code == 400 and message in page.content.decode()
    download = client.get(
        reverse("measures:inspection_list", args=["referrals"]), {**params, "format": "csv"}
    )
    assert download.status_code == 400
    api_client.force_authenticate(cast.manager)
    api = api_client.get(reverse("api-measures-inspection", args=["referrals"]), params)
    assert api.status_code == 400 and any(message in text for text in api.json()[field])
