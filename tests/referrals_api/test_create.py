import pytest

from mash.clocks.models import Clock
from mash.people.models import Person
from mash.sharing.models import AccessLog
from referrals.models import Referral, ReferralSubject, TimelineEvent
from tests.referrals_api.conftest import url

pytestmark = pytest.mark.django_db

NEW_SIBLING = {
    "role": "sibling",
    "given_name": "Amelia",
    "family_name": "Smith",
    "date_of_birth": "2019-02-03",
    "gender": "female",
    "nhs_number": "401 023 2137",
    "postcode": "ip1  2ab",
}


def payload(person, **changes):
    return {
        "kind": "child",
        "channel": "phone",
        "referrer_name": "PC 1234 Adams",
        "referrer_organisation": "Suffolk Constabulary",
        "referrer_email": "adams@police.example",
        "concerns": ["neglect", "physical"],
        "account": "Two children left alone overnight.",
        "consent": "not_sought",
        "consent_reason": "Parents could not be found.",
        "subjects": [{"role": "subject", "person_id": person.pk}, NEW_SIBLING],
        **changes,
    }


def counts():
    return (
        Referral.objects.count(),
        Person.objects.count(),
        Clock.objects.count(),
        ReferralSubject.objects.count(),
    )


def test_it_records_a_referral_of_a_known_person_and_a_new_one(api_client, cast, person):
    api_client.force_authenticate(cast.triage)
    response = api_client.post(url("api-referrals"), payload(person), format="json")

    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    body = response.json()
    assert body["id"] == referral.pk
    assert body["reference"].startswith("MASH-")
    assert body["state"] == "received"
    assert body["version"] == 1
    assert body["concerns"] == ["physical", "neglect"]  # the service's stable order
    assert body["referrer_email"] == "adams@police.example"
    assert body["allowed_transitions"] == ["screening"]
    assert body["decision_clock"]["stopped_at"] is None
    assert [event["kind"] for event in body["timeline"]] == ["received"]
    sibling = Person.objects.get(given_name="Amelia")
    assert (sibling.nhs_number, sibling.postcode) == ("4010232137", "IP1 2AB")
    assert [(s["person_id"], s["role"]) for s in body["subjects"]] == [
        (person.pk, "subject"),
        (sibling.pk, "sibling"),
    ]
    assert list(referral.subjects.values_list("person_id", "role")) == [
        (person.pk, "subject"),
        (sibling.pk, "sibling"),
    ]
    assert referral.recorded_by == cast.triage
    assert referral.decision_clock.due_at > referral.received_at


def without(data: dict, field: str) -> dict:
    return {key: value for key, value in data.items() if key != field}


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda data: without(data, "account"), "account"),
        (lambda data: {**data, "account": "   "}, "account"),
        (lambda data: {**data, "concerns": ["neglect", "witchcraft"]}, "concerns"),
        (lambda data: {**data, "concerns": []}, "concerns"),
        (lambda data: {**data, "consent_reason": ""}, "consent_reason"),
        (lambda data: {**data, "consent": "overridden"}, "consent_decided_by"),
        (lambda data: {**data, "channel": "pigeon"}, "channel"),
        (lambda data: {**data, "received_at": "2999-01-01T09:00:00Z"}, "received_at"),
        (lambda data: {**data, "received_at": "yesterday"}, "received_at"),
        (lambda data: {**data, "referrer_email": "not an address"}, "referrer_email"),
        # Reaches the service: the referral and its clock are written, then rolled back.
        (
            lambda data: {
                **data,
                "subjects": [data["subjects"][0], {**NEW_SIBLING, "nhs_number": "4010232138"}],
            },
            "subjects-1-nhs_number",
        ),
        # The new person is written, then rolled back with everything else.
        (lambda data: {**data, "subjects": [NEW_SIBLING, *[data["subjects"][0]] * 2]}, "subjects-2-person"),
        (lambda data: {**data, "subjects": [{"person_id": 2**40}]}, "subjects-0-person"),
        (lambda data: {**data, "subjects": []}, "subjects"),
        (lambda data: {**data, "subjects": [NEW_SIBLING]}, "subjects"),  # nobody is the subject
        (lambda data: {**data, "subjects": [{"role": "subject", "given_name": "Ann"}]}, "subjects"),
        (lambda data: {**data, "subjects": [{"person_id": "Jayden"}]}, "subjects"),
        (lambda data: {**data, "subjects": [{"person_id": 2**63}]}, "subjects"),
        (lambda data: {**data, "subjects": [{"person_id": 1, "given_name": "Ann"}]}, "subjects"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(api_client, cast, person, change, field):
    api_client.force_authenticate(cast.triage)
    before = counts()
    response = api_client.post(url("api-referrals"), change(payload(person)), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert counts() == before
    assert TimelineEvent.objects.count() == 0


def test_a_nested_subject_error_names_the_subject_and_field(api_client, cast, person):
    api_client.force_authenticate(cast.triage)
    data = payload(person, subjects=[{"role": "subject", "person_id": person.pk}, {"given_name": "Ann"}])
    response = api_client.post(url("api-referrals"), data, format="json")
    assert response.status_code == 400
    assert list(response.json()["subjects"]) == ["1"]
    assert "family_name" in response.json()["subjects"]["1"]


def test_a_partner_agency_may_not_record_a_referral(api_client, cast, person):
    api_client.force_authenticate(cast.police_researcher)
    before = counts()
    response = api_client.post(url("api-referrals"), payload(person), format="json")
    assert response.status_code == 403
    assert "lead agency" in response.json()["detail"]
    assert counts() == before
    assert not AccessLog.objects.exists()


def test_a_referral_of_someone_with_an_open_referral_is_confirmed_as_not_a_duplicate(
    api_client, cast, person
):
    """As the intake page: the open referrals of the same known people are pointed out (409) and nothing
    is written, until not_a_duplicate confirms a new referral."""
    api_client.force_authenticate(cast.triage)
    known_only = payload(person, subjects=[{"role": "subject", "person_id": person.pk}])
    first = api_client.post(url("api-referrals"), known_only, format="json").json()
    before = counts()

    response = api_client.post(url("api-referrals"), known_only, format="json")

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"].startswith("This may be a duplicate")
    assert [(r["id"], r["reference"], r["state"]) for r in body["open_referrals"]] == [
        (first["id"], first["reference"], "received")
    ]
    assert counts() == before
    confirmed = api_client.post(url("api-referrals"), {**known_only, "not_a_duplicate": True}, format="json")
    assert confirmed.status_code == 201, confirmed.content
