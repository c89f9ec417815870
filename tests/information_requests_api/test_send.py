"""POST referrals/{id}/information-requests/: asking partner agencies about a referral."""

import pytest

from mash.notifications.models import Notification
from referrals.models import InformationRequest
from tests.information_requests_api.conftest import url

pytestmark = pytest.mark.django_db

SEND = "api-referral-information-requests"


def send(api_client, user, referral, requests, *, version=None):
    api_client.force_authenticate(user)
    return api_client.post(
        url(SEND, referral.pk),
        {"version": referral.version if version is None else version, "requests": requests},
        format="json",
    )


def test_it_sends_one_request_per_agency_and_notifies_their_researchers(api_client, cast, gathering):
    response = send(
        api_client,
        cast.triage,
        gathering,
        [
            {"agency_id": cast.police.pk, "questions": "Any police contact?"},
            {"agency_id": cast.health.pk, "questions": "Any A&E attendances?"},
        ],
    )

    assert response.status_code == 201, response.content
    rows = response.json()
    assert sorted((row["agency"]["name"], row["status"], row["rag"]) for row in rows) == [
        ("Constabulary", "open", "red"),
        ("Integrated Care Board", "open", "red"),
    ]
    assert {row["referral"]["reference"] for row in rows} == {gathering.reference}
    assert InformationRequest.objects.filter(referral=gathering).count() == 2
    police = InformationRequest.objects.get(referral=gathering, agency=cast.police)
    assert police.questions == "Any police contact?"
    assert police.sent_by == cast.triage
    for researcher in (cast.police_researcher, cast.health_researcher):
        assert Notification.objects.filter(
            recipient=researcher, event="information_request.sent", channel="in_app"
        ).exists()
    assert not Notification.objects.filter(recipient=cast.outsider).exists()
    gathering.refresh_from_db()
    assert gathering.version == 5  # created, screening, rated, gathering, asked


def test_an_unknown_agency_is_a_400_naming_the_field(api_client, cast, gathering):
    response = send(api_client, cast.triage, gathering, [{"agency_id": 987654, "questions": "Anything?"}])

    assert response.status_code == 400
    assert response.json() == {"requests": {"0": {"agency_id": ["No such agency."]}}}
    assert not InformationRequest.objects.exists()


def test_the_lead_agency_cannot_be_asked(api_client, cast, gathering):
    response = send(
        api_client, cast.triage, gathering, [{"agency_id": cast.lead.pk, "questions": "Anything?"}]
    )

    assert response.status_code == 400
    assert "lead agency" in response.json()["agencies"][0]
    assert not InformationRequest.objects.exists()


def test_blank_questions_and_no_agency_are_400s(api_client, cast, gathering):
    blank = send(api_client, cast.triage, gathering, [{"agency_id": cast.police.pk, "questions": "  "}])
    none = send(api_client, cast.triage, gathering, [])

    assert blank.status_code == 400 and "questions" in blank.json()["requests"]["0"]
    assert none.status_code == 400 and "requests" in none.json()
    assert not InformationRequest.objects.exists()


def test_an_agency_already_asked_is_not_asked_twice(api_client, cast, gathering, asked):
    gathering.refresh_from_db()
    response = send(
        api_client, cast.triage, gathering, [{"agency_id": cast.police.pk, "questions": "Again?"}]
    )

    assert response.status_code == 400
    assert response.json()["agencies"] == ["Already asked: Constabulary."]
    assert InformationRequest.objects.filter(agency=cast.police).count() == 1


def test_a_stale_version_is_a_conflict_and_sends_nothing(api_client, cast, gathering):
    response = send(
        api_client,
        cast.triage,
        gathering,
        [{"agency_id": cast.police.pk, "questions": "Anything?"}],
        version=gathering.version - 1,
    )

    assert response.status_code == 409
    assert "Someone else changed this referral" in response.json()["detail"]
    assert not InformationRequest.objects.exists()


def test_a_partner_who_sees_the_referral_may_not_ask(api_client, cast, gathering, asked):
    gathering.refresh_from_db()
    response = send(
        api_client,
        cast.police_researcher,
        gathering,
        [{"agency_id": cast.outsider_agency.pk, "questions": "?"}],
    )

    assert response.status_code == 403
    assert "triage practitioners" in response.json()["detail"]
    assert not InformationRequest.objects.filter(agency=cast.outsider_agency).exists()


def test_the_outsider_gets_a_logged_404(assert_denied, cast, gathering):
    assert_denied(
        cast.outsider,
        url(SEND, gathering.pk),
        gathering,
        method="post",
        data={"version": gathering.version},
    )
    assert not InformationRequest.objects.exists()
