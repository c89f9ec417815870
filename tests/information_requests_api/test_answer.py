"""The researcher's actions: claim, entries, submit, addendum."""

import pytest

from mash.notifications.models import Notification
from referrals.models import RequestStatus, ResponseEntry, State
from tests.information_requests_api.conftest import police_entry, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(asked):
    return asked["police"]


def post(api_client, user, name, information_request, data=None):
    api_client.force_authenticate(user)
    return api_client.post(url(name, information_request.pk), data or {}, format="json")


def add_entry(api_client, user, information_request, data):
    information_request.refresh_from_db()
    return post(
        api_client,
        user,
        "api-information-request-entries",
        information_request,
        {"version": information_request.version, **data},
    )


def test_the_researcher_claims_the_request(api_client, cast, police):
    response = post(api_client, cast.police_researcher, "api-information-request-claim", police)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned_to"] == {
        "id": cast.police_researcher.pk,
        "name": cast.police_researcher.get_full_name(),
    }
    assert body["version"] == 2
    police.refresh_from_db()
    assert police.assigned_to == cast.police_researcher


def test_a_police_decision_maker_who_sees_the_request_may_not_claim_it(api_client, cast, police):
    response = post(api_client, cast.police_decision_maker, "api-information-request-claim", police)

    assert response.status_code == 403
    assert response.json() == {"detail": "Only a researcher of the agency asked may claim this request."}
    police.refresh_from_db()
    assert police.assigned_to is None


def test_the_researcher_adds_a_graded_entry(api_client, cast, person, police):
    response = add_entry(
        api_client,
        cast.police_researcher,
        police,
        police_entry(
            person, handling_code="C", handling_conditions="Not to the family.", information_date="2024-03-01"
        ),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["person"]["id"], body["summary"], body["handling_code"], body["information_date"]) == (
        person.pk,
        "Arrested 2024 for assault",
        "C",
        "2024-03-01",
    )
    entry = ResponseEntry.objects.get()
    assert (entry.request, entry.author, entry.source_evaluation, entry.intelligence_assessment) == (
        police,
        cast.police_researcher,
        "1",
        "B",
    )
    assert entry.handling_conditions == "Not to the family."
    police.refresh_from_db()
    assert police.version == 2


def test_a_police_entry_without_its_grading_is_a_400_naming_the_fields(api_client, cast, person, police):
    response = add_entry(
        api_client,
        cast.police_researcher,
        police,
        {"person_id": person.pk, "source_system": "PNC", "summary": "Arrested 2024", "handling_code": "C"},
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"source_evaluation", "intelligence_assessment", "handling_conditions"}
    assert errors["handling_conditions"] == ["Handling code C: record the conditions of sharing."]
    assert not ResponseEntry.objects.exists()
    police.refresh_from_db()
    assert police.version == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"source_evaluation": "4"}, "source_evaluation"),
        ({"handling_code": "X"}, "handling_code"),
        ({"security_marking": "secret"}, "security_marking"),
        ({"information_date": "yesterday"}, "information_date"),
        ({"person_id": "Jayden"}, "person_id"),
        ({"summary": "x" * 301}, "summary"),
    ],
)
def test_a_malformed_entry_is_a_400_naming_the_field(api_client, cast, person, police, fields, field):
    response = add_entry(api_client, cast.police_researcher, police, police_entry(person, **fields))

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not ResponseEntry.objects.exists()


def test_an_entry_about_someone_else_is_refused(api_client, cast, police):
    from tests.factories import PersonFactory

    stranger = PersonFactory()
    response = add_entry(api_client, cast.police_researcher, police, police_entry(stranger))

    assert response.status_code == 400
    assert response.json() == {"person": ["Choose one of the referral's subjects."]}
    assert not ResponseEntry.objects.exists()


def test_a_health_entry_needs_no_grading(api_client, cast, person, asked):
    response = add_entry(
        api_client,
        cast.health_researcher,
        asked["health"],
        {"person_id": person.pk, "source_system": "SystmOne", "summary": "Seen in A&E, March"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["source_evaluation"] == ""


def test_a_stale_version_is_a_conflict_and_saves_nothing(api_client, cast, person, police):
    response = post(
        api_client,
        cast.police_researcher,
        "api-information-request-entries",
        police,
        {"version": 7, **police_entry(person)},
    )

    assert response.status_code == 409
    assert "changed this request since you opened it" in response.json()["detail"]
    assert not ResponseEntry.objects.exists()


def test_the_researcher_removes_an_entry_from_the_draft(api_client, cast, person, police):
    entry_id = add_entry(api_client, cast.police_researcher, police, police_entry(person)).json()["id"]

    response = api_client.delete(url("api-information-request-entry", police.pk, entry_id))

    assert response.status_code == 204
    assert not ResponseEntry.objects.exists()
    police.refresh_from_db()
    assert police.version == 3


def test_an_entry_of_another_request_is_a_404(api_client, cast, person, asked):
    health_entry = add_entry(
        api_client, cast.health_researcher, asked["health"], {"person_id": person.pk, "nothing_known": True}
    ).json()["id"]
    api_client.force_authenticate(cast.police_researcher)

    response = api_client.delete(url("api-information-request-entry", asked["police"].pk, health_entry))

    assert response.status_code == 404
    assert ResponseEntry.objects.filter(pk=health_entry).exists()


def test_submitting_with_a_subject_unanswered_is_a_400(api_client, cast, person, police):
    add_entry(api_client, cast.police_researcher, police, police_entry(person))
    police.refresh_from_db()

    response = post(
        api_client,
        cast.police_researcher,
        "api-information-request-submit",
        police,
        {"version": police.version},
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Add an entry, or 'nothing known', for: Amelia Smith."]}
    police.refresh_from_db()
    assert police.status == RequestStatus.OPEN


def test_the_researcher_submits_then_adds_an_addendum(api_client, cast, gathering, person, sibling, asked):
    police = asked["police"]
    add_entry(api_client, cast.police_researcher, police, police_entry(person))
    add_entry(api_client, cast.police_researcher, police, {"person_id": sibling.pk, "nothing_known": True})
    police.refresh_from_db()

    stale = post(
        api_client,
        cast.police_researcher,
        "api-information-request-submit",
        police,
        {"version": police.version - 1},
    )
    assert stale.status_code == 409
    response = post(
        api_client,
        cast.police_researcher,
        "api-information-request-submit",
        police,
        {"version": police.version},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], len(body["entries"])) == ("answered", 2)
    assert body["answered_by"]["id"] == cast.police_researcher.pk
    police.refresh_from_db()
    assert (police.status, police.answered_by, police.clock.stopped_at is not None) == (
        RequestStatus.ANSWERED,
        cast.police_researcher,
        True,
    )
    assert Notification.objects.filter(event="information_request.answered", recipient=cast.triage).exists()
    gathering.refresh_from_db()
    assert gathering.state == State.INFORMATION_GATHERING  # the health answer is still awaited

    late_entry = add_entry(api_client, cast.police_researcher, police, police_entry(sibling))
    assert late_entry.status_code == 400
    assert late_entry.json() == {
        "non_field_errors": ["The answer has been submitted: add an addendum instead."]
    }

    addendum = post(
        api_client,
        cast.police_researcher,
        "api-information-request-addendum",
        police,
        {"reason": "A further arrest found", **police_entry(sibling, summary="Arrested 2025")},
    )
    assert addendum.status_code == 201, addendum.content
    assert (addendum.json()["is_addendum"], addendum.json()["addendum_reason"]) == (
        True,
        "A further arrest found",
    )
    assert ResponseEntry.objects.filter(request=police, is_addendum=True, person=sibling).count() == 1
    assert Notification.objects.filter(event="information_request.addendum", recipient=cast.triage).exists()


def test_an_addendum_needs_a_reason_and_a_submitted_answer(api_client, cast, person, police):
    no_reason = post(
        api_client, cast.police_researcher, "api-information-request-addendum", police, police_entry(person)
    )
    too_early = post(
        api_client,
        cast.police_researcher,
        "api-information-request-addendum",
        police,
        {"reason": "More", **police_entry(person)},
    )

    assert no_reason.status_code == 400 and list(no_reason.json()) == ["reason"]
    assert too_early.status_code == 400 and "non_field_errors" in too_early.json()
    assert not ResponseEntry.objects.exists()


def test_the_last_answer_moves_the_referral_on(api_client, cast, gathering, person, sibling, asked):
    for who, information_request in (
        (cast.police_researcher, asked["police"]),
        (cast.health_researcher, asked["health"]),
    ):
        for subject in (person, sibling):
            add_entry(api_client, who, information_request, {"person_id": subject.pk, "nothing_known": True})
        information_request.refresh_from_db()
        response = post(
            api_client,
            who,
            "api-information-request-submit",
            information_request,
            {"version": information_request.version},
        )
        assert response.status_code == 200, response.content

    gathering.refresh_from_db()
    assert gathering.state == State.AWAITING_THRESHOLD_DECISION
