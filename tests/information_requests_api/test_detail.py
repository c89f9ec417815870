"""GET information-requests/{id}/, and the refusal of a request, and of every action on it, to those
who may not see it."""

import pytest

from mash.sharing.models import AccessAction, AccessLog
from referrals.models import InformationRequest, RequestStatus, ResponseEntry
from referrals.requests import services as request_services
from tests.factories import api_token
from tests.information_requests_api.conftest import ACCOUNT, REFERRER_DETAILS, url

pytestmark = pytest.mark.django_db


def test_it_shows_the_request_with_the_referral_summary_only(
    api_client, cast, gathering, person, sibling, asked
):
    police = asked["police"]
    api_client.force_authenticate(cast.police_researcher)

    response = api_client.get(url("api-information-request", police.pk))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["questions"], body["status"], body["version"]) == (
        police.pk,
        "Any police contact?",
        "open",
        1,
    )
    assert body["due_at"] and body["breached"] is False
    assert body["referral"] == {
        "id": gathering.pk,
        "reference": gathering.reference,
        "kind": "child",
        "rag": "red",
        "concerns": ["physical"],
        "subjects": [
            {"id": person.pk, "full_name": "Jayden Smith", "date_of_birth": person.date_of_birth.isoformat()},
            {
                "id": sibling.pk,
                "full_name": "Amelia Smith",
                "date_of_birth": sibling.date_of_birth.isoformat(),
            },
        ],
    }
    assert body["entries"] == []
    text = response.content.decode()
    for secret in (ACCOUNT, *REFERRER_DETAILS):
        assert secret not in text


def test_the_read_is_logged(api_client, cast, asked):
    police = asked["police"]
    api_client.force_authenticate(cast.police_researcher)

    api_client.get(url("api-information-request", police.pk))

    assert AccessLog.objects.filter(
        user=cast.police_researcher, action=AccessAction.VIEW, object_id=str(police.pk)
    ).exists()


def test_it_shows_the_entries_with_their_grading(api_client, cast, person, sibling, asked):
    police = asked["police"]
    request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(
            person_id=person.pk,
            source_system="PNC",
            summary="Arrested 2024",
            source_evaluation="2",
            intelligence_assessment="C",
            handling_code="C",
            handling_conditions="Not to the family.",
        ),
    )
    # The lead sees an answer once submitted; every subject needs an entry first.
    request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(person_id=sibling.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    api_client.force_authenticate(cast.triage)

    entries = api_client.get(url("api-information-request", police.pk)).json()["entries"]
    [entry] = [e for e in entries if not e["nothing_known"]]

    assert {key: entry[key] for key in entry if key not in ("id", "created_at")} == {
        "person": {"id": person.pk, "full_name": "Jayden Smith"},
        "nothing_known": False,
        "source_system": "PNC",
        "information_date": None,
        "summary": "Arrested 2024",
        "detail": "",
        "source_evaluation": "2",
        "intelligence_assessment": "C",
        "handling_code": "C",
        "handling_conditions": "Not to the family.",
        "security_marking": "official_sensitive",
        "is_addendum": False,
        "addendum_reason": "",
        "author": {"id": cast.police_researcher.pk, "name": cast.police_researcher.get_full_name()},
    }


ACTIONS = [
    ("api-information-request", "get", None),
    ("api-information-request-claim", "post", {}),
    ("api-information-request-entries", "post", {"version": 1, "person_id": 1, "nothing_known": True}),
    ("api-information-request-submit", "post", {"version": 1}),
    ("api-information-request-addendum", "post", {"reason": "More", "person_id": 1, "nothing_known": True}),
    ("api-information-request-withdraw", "post", {"reason": "Not needed"}),
]


@pytest.mark.parametrize("who", ["health_researcher", "outsider"])
@pytest.mark.parametrize(("name", "method", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_another_agency_gets_a_logged_404(assert_denied, cast, asked, who, name, method, data):
    police = asked["police"]

    assert_denied(getattr(cast, who), url(name, police.pk), police, method=method, data=data)

    police.refresh_from_db()
    assert (police.status, police.version, police.assigned_to) == (RequestStatus.OPEN, 1, None)
    assert not ResponseEntry.objects.exists()


@pytest.mark.parametrize("who", ["health_researcher", "outsider"])
def test_another_agency_cannot_remove_an_entry(assert_denied, cast, person, asked, who):
    police = asked["police"]
    entry = request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(person_id=person.pk, nothing_known=True),
    )

    assert_denied(
        getattr(cast, who), url("api-information-request-entry", police.pk, entry.pk), police, method="delete"
    )

    assert ResponseEntry.objects.filter(pk=entry.pk).exists()


def test_a_request_that_does_not_exist_is_a_404(api_client, cast):
    api_client.force_authenticate(cast.triage)

    assert api_client.get(url("api-information-request", 987654)).status_code == 404
    assert not InformationRequest.objects.exists()


def test_a_token_authenticates(client, cast, asked):
    token = api_token(cast.police_researcher)

    response = client.get(
        url("api-information-request", asked["police"].pk), HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 200
    assert response.json()["id"] == asked["police"].pk
