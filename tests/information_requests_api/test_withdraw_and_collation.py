"""Withdrawing a request, and the collation of the answers."""

import pytest

from referrals.models import RequestStatus
from referrals.requests import services as request_services
from tests.information_requests_api.conftest import police_entry, url

pytestmark = pytest.mark.django_db


def withdraw(api_client, user, information_request, reason="The family moved out of the area."):
    api_client.force_authenticate(user)
    return api_client.post(
        url("api-information-request-withdraw", information_request.pk), {"reason": reason}, format="json"
    )


def test_triage_withdraws_a_request_and_the_agency_loses_sight_of_it(api_client, cast, asked):
    police = asked["police"]

    response = withdraw(api_client, cast.triage, police)

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["withdrawal_reason"]) == (
        "withdrawn",
        "The family moved out of the area.",
    )
    police.refresh_from_db()
    assert (police.status, police.withdrawn_by) == (RequestStatus.WITHDRAWN, cast.triage)
    api_client.force_authenticate(cast.police_researcher)
    assert api_client.get(url("api-information-request", police.pk)).status_code == 404
    assert api_client.get(url("api-information-requests")).json()["count"] == 0


def test_a_partner_who_sees_the_request_may_not_withdraw_it(api_client, cast, asked):
    police = asked["police"]

    response = withdraw(api_client, cast.police_researcher, police)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the lead agency's triage practitioners may withdraw a request."
    }
    police.refresh_from_db()
    assert police.status == RequestStatus.OPEN


def test_a_withdrawal_needs_a_reason(api_client, cast, asked):
    response = withdraw(api_client, cast.triage, asked["police"], reason="   ")

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    asked["police"].refresh_from_db()
    assert asked["police"].status == RequestStatus.OPEN


@pytest.fixture
def answered(cast, person, sibling, asked):
    """The police answered (graded, about Jayden; nothing known about Amelia); health has one entry in
    its draft, not yet submitted."""
    police, health = asked["police"], asked["health"]
    request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(**police_entry(person)),
    )
    request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(person_id=sibling.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    request_services.response_entry_add(
        request=health,
        by=cast.health_researcher,
        data=request_services.EntryInput(
            person_id=sibling.pk, source_system="SystmOne", summary="A&E, March"
        ),
    )
    return asked


def test_triage_sees_every_answer_side_by_side(api_client, cast, gathering, person, sibling, answered):
    api_client.force_authenticate(cast.triage)

    response = api_client.get(url("api-referral-collation", gathering.pk))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["referral"] == {"id": gathering.pk, "reference": gathering.reference}
    assert [(r["agency"]["name"], r["status"]) for r in body["requests"]] == [
        ("Constabulary", "answered"),
        ("Integrated Care Board", "open"),
    ]
    assert body["all_answered"] is False
    cells = {
        row["person"]["full_name"]: [
            [e["summary"] or "nothing known" for e in c["entries"]] for c in row["cells"]
        ]
        for row in body["rows"]
    }
    # Health's entry is a draft: an answer is its agency's until submitted, the lead's collation included.
    assert cells == {
        "Jayden Smith": [["Arrested 2024 for assault"], []],
        "Amelia Smith": [["nothing known"], []],
    }
    police_cell = body["rows"][0]["cells"][0]
    assert (police_cell["request_id"], police_cell["agency_id"]) == (answered["police"].pk, cast.police.pk)
    assert police_cell["entries"][0]["source_evaluation"] == "1"


@pytest.mark.parametrize("who", ["police_researcher", "health_researcher", "police_decision_maker"])
def test_a_partner_who_sees_the_referral_gets_a_403(api_client, cast, gathering, answered, who):
    api_client.force_authenticate(getattr(cast, who))

    response = api_client.get(url("api-referral-collation", gathering.pk))

    assert response.status_code == 403
    assert "Arrested" not in response.content.decode()


def test_the_outsider_gets_a_logged_404(assert_denied, cast, gathering, answered):
    assert_denied(cast.outsider, url("api-referral-collation", gathering.pk), gathering)


def test_the_collation_answers_in_a_fixed_number_of_queries(
    api_client, cast, gathering, answered, django_assert_max_num_queries
):
    api_client.force_authenticate(cast.triage)

    # The referral, the access log, the requests, their entries, the subjects.
    with django_assert_max_num_queries(5):
        assert api_client.get(url("api-referral-collation", gathering.pk)).status_code == 200
