from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mash.clocks.models import Clock
from mash.sharing.services import grant_view
from referrals import services
from referrals.services import SubjectInput
from tests.factories import api_token
from tests.referrals_api.conftest import REFERRER, url

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_needs_authentication(api_client, referral):
    assert api_client.get(url("api-referrals")).status_code == 401


def test_a_token_authenticates(api_client, cast, referral):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}")
    assert ids(api_client.get(url("api-referrals"))) == [referral.pk]


def test_the_lead_triage_practitioner_sees_every_referral_with_its_referrer(
    api_client, cast, make_referral, sibling
):
    first = make_referral()
    second = make_referral(
        subjects=[
            SubjectInput(person=sibling),
            SubjectInput(person=first.subjects.get().person, role="sibling"),
        ]
    )
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-referrals"))
    assert ids(response) == [second.pk, first.pk]
    row = response.json()["results"][0]
    assert row["reference"] == second.reference
    assert row["state"] == "received"
    assert row["rag"] == ""
    assert row["assigned_to"] is None
    assert row["breached"] is False
    assert parse_datetime(row["due_at"]) == second.decision_clock.due_at
    assert row["referrer_name"] == "Mrs Joan Price"
    assert row["subjects"] == [
        {"person_id": sibling.pk, "full_name": "Amelia Smith", "role": "subject"},
        {"person_id": first.subjects.get().person_id, "full_name": "Jayden Smith", "role": "sibling"},
    ]


def test_a_police_researcher_sees_only_what_is_shared_and_never_the_referrer(api_client, cast, make_referral):
    shared, _ = make_referral(), make_referral()
    api_client.force_authenticate(cast.police_researcher)
    assert ids(api_client.get(url("api-referrals"))) == []

    grant_view(obj=shared, agency=cast.police)
    response = api_client.get(url("api-referrals"))
    assert ids(response) == [shared.pk]
    assert "referrer_name" not in response.json()["results"][0]
    for value in REFERRER.values():
        assert value not in response.content.decode()


def test_the_outsider_sees_nothing(api_client, cast, referral):
    grant_view(obj=referral, agency=cast.police)
    api_client.force_authenticate(cast.outsider)
    assert ids(api_client.get(url("api-referrals"))) == []


def list_queries(api_client, user, django_assert_max_num_queries) -> tuple[int, int]:
    # A fresh instance, as each request has: the user's agency and roles are cached on it.
    api_client.force_authenticate(type(user).objects.get(pk=user.pk))
    with django_assert_max_num_queries(10) as queries:
        response = api_client.get(url("api-referrals"), {"page_size": 100})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("role", ["triage", "police_researcher"])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, cast, person, sibling, make_referral, django_assert_max_num_queries, role
):
    def add(count):
        for index in range(count):
            referral = make_referral(
                subjects=[SubjectInput(person=sibling), SubjectInput(person=person, role="sibling")],
                assigned_to=cast.triage if index % 2 else None,
            )
            grant_view(obj=referral, agency=cast.police)

    user = getattr(cast, role)
    add(5)
    # The first list of a process also looks up the permission's id, cached from then on.
    list_queries(api_client, user, django_assert_max_num_queries)
    five_queries, five_rows = list_queries(api_client, user, django_assert_max_num_queries)
    add(25)
    thirty_queries, thirty_rows = list_queries(api_client, user, django_assert_max_num_queries)
    assert (five_rows, thirty_rows) == (5, 30)
    assert five_queries == thirty_queries, (five_queries, thirty_queries)


@pytest.fixture
def varied(cast, make_referral):
    """Three referrals: one screened, rated red and assigned; one overdue; one decided in time."""
    screened = make_referral()
    services.referral_transition(referral=screened, by=cast.triage, to_state="screening")
    services.referral_rate(referral=screened, by=cast.triage, rating="red", rationale="Injury to a child")
    overdue = make_referral(received_at=timezone.now() - timedelta(days=14))
    decided = make_referral()
    services.referral_transition(referral=decided, by=cast.triage, to_state="screening")
    services.referral_record_outcome(referral=decided, by=cast.decision_maker, outcome="nfa", rationale="No")
    return screened, overdue, decided


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"screened", "overdue", "decided"}),
        ({"state": "screening"}, {"screened"}),
        ({"state": "decided"}, {"decided"}),
        ({"rag": "red"}, {"screened"}),
        ({"rag": "green"}, set()),
        ({"assigned_to_me": "true"}, {"screened", "decided"}),
        ({"assigned_to_me": "false"}, {"screened", "overdue", "decided"}),
        ({"breached": "true"}, {"overdue"}),
        ({"state": ""}, {"screened", "overdue", "decided"}),
    ],
)
def test_the_list_filters(api_client, cast, varied, query, expected):
    names = dict(zip(("screened", "overdue", "decided"), (r.pk for r in varied), strict=True))
    api_client.force_authenticate(cast.triage)
    assert set(ids(api_client.get(url("api-referrals"), query))) == {names[n] for n in expected}


def test_a_breached_row_says_so(api_client, cast, varied):
    api_client.force_authenticate(cast.triage)
    rows = {row["id"]: row for row in api_client.get(url("api-referrals")).json()["results"]}
    assert [rows[r.pk]["breached"] for r in varied] == [False, True, False]
    assert Clock.objects.get(referral_decision=varied[2]).stopped_at is not None


@pytest.mark.parametrize(
    "query, field",
    [({"state": "lost"}, "state"), ({"rag": "purple"}, "rag"), ({"breached": "perhaps"}, "breached")],
)
def test_a_bad_filter_is_a_400_naming_it(api_client, cast, referral, query, field):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-referrals"), query)
    assert response.status_code == 400
    assert field in response.json()
