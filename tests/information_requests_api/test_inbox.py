"""GET information-requests/: the agency inbox."""

import pytest

from referrals.requests import services as request_services
from referrals.services import SubjectInput
from tests.factories import PersonFactory
from tests.information_requests_api.conftest import referral_in_gathering, url

pytestmark = pytest.mark.django_db

INBOX = "api-information-requests"
QUERIES = 5  # the actor (membership, roles), the permission's id, the count, the page


def ask_police(cast, referrals: int) -> None:
    for _ in range(referrals):
        referral = referral_in_gathering(cast, [SubjectInput(person=PersonFactory())])
        request_services.information_requests_send(
            referral=referral,
            by=cast.triage,
            requests=[request_services.RequestInput(agency=cast.police, questions="Anything?")],
        )


def inbox(api_client, user, **query):
    api_client.force_authenticate(user)
    return api_client.get(url(INBOX), query)


def test_it_shows_the_police_researcher_the_police_request(api_client, cast, gathering, asked):
    response = inbox(api_client, cast.police_researcher)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    police = asked["police"]
    assert row == {
        "id": police.pk,
        "referral": {"id": gathering.pk, "reference": gathering.reference},
        "rag": "red",
        "status": "open",
        "agency": {
            "id": cast.police.pk,
            "name": "Constabulary",
            "kind": "police",
            "is_lead": False,
            "is_active": True,
        },
        "assigned_to": None,
        "due_at": row["due_at"],
        "breached": False,
    }
    assert row["due_at"]


def test_another_agency_and_the_outsider_do_not_see_it(api_client, cast, asked):
    health = inbox(api_client, cast.health_researcher).json()
    outsider = inbox(api_client, cast.outsider).json()

    assert [row["id"] for row in health["results"]] == [asked["health"].pk]
    assert outsider["count"] == 0


@pytest.mark.parametrize("referrals", [2, 8])
def test_it_answers_in_a_fixed_number_of_queries(api_client, cast, referrals, django_assert_max_num_queries):
    ask_police(cast, referrals)
    api_client.force_authenticate(cast.police_researcher)

    with django_assert_max_num_queries(QUERIES):
        response = api_client.get(url(INBOX))

    assert response.json()["count"] == referrals


def test_answered_requests_are_shown_only_when_asked_for(api_client, cast, person, sibling, asked):
    police = asked["police"]
    for subject in (person, sibling):
        request_services.response_entry_add(
            request=police,
            by=cast.police_researcher,
            data=request_services.EntryInput(person_id=subject.pk, nothing_known=True),
        )
    request_services.information_request_submit(request=police, by=cast.police_researcher)

    assert inbox(api_client, cast.police_researcher).json()["count"] == 0
    answered = inbox(api_client, cast.police_researcher, answered="true").json()
    assert [(row["id"], row["status"]) for row in answered["results"]] == [(police.pk, "answered")]


def test_a_bad_filter_is_a_400(api_client, cast):
    response = inbox(api_client, cast.police_researcher, answered="perhaps")

    assert response.status_code == 400
    assert "answered" in response.json()
