from datetime import timedelta

import pytest
from django.utils import timezone

from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from referrals import services
from referrals.models import Consultation, Referral
from tests.referrals_api.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_consultation(cast):
    def make(**fields):
        values = {
            "by": cast.triage,
            "caller_name": "Sam Patel",
            "caller_organisation": "Orwell Primary School",
            "caller_email": "sam@orwell-primary.example",
            "question": "A pupil has said something worrying about home.",
            "advice": "Make a referral today.",
            "anonymous_description": "girl, 8, Year 3",
            **fields,
        }
        return services.consultation_create(**values)

    return make


@pytest.fixture
def consultation(make_consultation, person):
    return make_consultation(person=person, anonymous_description="", referral_advised=True)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_for_the_lead_agency_only(api_client, cast, consultation, make_consultation):
    other = make_consultation(called_at=timezone.now() - timedelta(hours=1))
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-consultations"))
    assert ids(response) == [consultation.pk, other.pk]
    row = response.json()["results"][0]
    assert row["person"] == {"id": consultation.person_id, "full_name": "Jayden Smith"}
    assert (row["referral"], row["referral_advised"], row["caller_name"]) == (None, True, "Sam Patel")
    assert row["logged_by"]["id"] == cast.triage.pk

    for user in (cast.police_researcher, cast.outsider):
        api_client.force_authenticate(user)
        assert ids(api_client.get(url("api-consultations"))) == []


def test_the_list_costs_a_few_queries(
    api_client, cast, make_consultation, person, django_assert_max_num_queries
):
    for index in range(20):
        make_consultation(person=person if index % 2 else None)
    api_client.force_authenticate(cast.triage)
    with django_assert_max_num_queries(6):
        assert len(ids(api_client.get(url("api-consultations")))) == 20


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"advised", "anonymous", "converted"}),
        ({"search": "orwell"}, {"advised", "anonymous"}),
        ({"search": "GP"}, {"converted"}),
        ({"referral_advised": "true"}, {"advised", "converted"}),
        ({"referral_advised": "false"}, {"anonymous"}),
        ({"converted": "true"}, {"converted"}),
        ({"converted": "false"}, {"advised", "anonymous"}),
    ],
)
def test_the_list_filters(api_client, cast, consultation, make_consultation, query, expected):
    anonymous = make_consultation()
    converted = make_consultation(
        person=consultation.person, caller_organisation="Riverside GP surgery", referral_advised=True
    )
    services.consultation_convert(consultation=converted, by=cast.triage, concerns=["neglect"])
    names = {"advised": consultation.pk, "anonymous": anonymous.pk, "converted": converted.pk}
    api_client.force_authenticate(cast.triage)
    assert set(ids(api_client.get(url("api-consultations"), query))) == {names[n] for n in expected}


def test_a_bad_filter_is_a_400(api_client, cast):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-consultations"), {"converted": "maybe", "search": "a\x00b"})
    assert response.status_code == 400
    assert set(response.json()) == {"converted", "search"}


def test_it_logs_a_call_about_a_known_person(api_client, cast, person):
    api_client.force_authenticate(cast.triage)
    response = api_client.post(
        url("api-consultations"),
        {
            "caller_name": "Dr Okafor",
            "caller_organisation": "Riverside GP surgery",
            "person_id": person.pk,
            "question": "Repeated injuries.",
            "advice": "Refer.",
            "referral_advised": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    consultation = Consultation.objects.get()
    assert response.json()["id"] == consultation.pk
    assert (consultation.person, consultation.logged_by, consultation.referral_advised) == (
        person,
        cast.triage,
        True,
    )


def test_it_logs_an_anonymous_call(api_client, cast):
    api_client.force_authenticate(cast.triage)
    response = api_client.post(
        url("api-consultations"),
        {
            "caller_name": "Dr Okafor",
            "caller_organisation": "Riverside GP surgery",
            "anonymous_description": "boy, 9",
            "question": "Is this a concern?",
            "advice": "Monitor and call back.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["person"] is None
    assert Consultation.objects.get().anonymous_description == "boy, 9"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"anonymous_description": ""}, "anonymous_description"),
        ({"person_id": 2**40, "anonymous_description": ""}, "person"),
        ({"person_id": "Jayden"}, "person_id"),
        ({"question": ""}, "question"),
        ({"called_at": "2999-01-01T00:00:00Z"}, "called_at"),
        ({"kind": "teenager"}, "kind"),
    ],
)
def test_a_bad_call_is_refused_naming_the_field(api_client, cast, changes, field):
    api_client.force_authenticate(cast.triage)
    data = {
        "caller_name": "Dr Okafor",
        "caller_organisation": "Riverside GP surgery",
        "anonymous_description": "boy, 9",
        "question": "Is this a concern?",
        "advice": "Monitor.",
        **changes,
    }
    response = api_client.post(url("api-consultations"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Consultation.objects.exists()


def test_a_partner_agency_may_not_log_a_call(api_client, cast):
    api_client.force_authenticate(cast.police_researcher)
    data = {
        "caller_name": "A",
        "caller_organisation": "B",
        "anonymous_description": "C",
        "question": "D",
        "advice": "E",
    }
    response = api_client.post(url("api-consultations"), data, format="json")
    assert response.status_code == 403
    assert not Consultation.objects.exists()


def test_the_detail_is_shown_and_the_read_logged(api_client, cast, consultation):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(url("api-consultation", consultation.pk))
    assert response.status_code == 200
    assert response.json()["question"] == consultation.question
    assert AccessLog.objects.get(user=cast.triage).action == AccessAction.VIEW


@pytest.mark.parametrize("name, method", [("api-consultation", "get"), ("api-consultation-convert", "post")])
@pytest.mark.parametrize("role", ["outsider", "police_researcher"])
def test_others_are_refused_and_the_refusal_logged(assert_denied, cast, consultation, name, method, role):
    assert_denied(getattr(cast, role), url(name, consultation.pk), consultation, method=method, data={})
    assert not Referral.objects.exists()


def test_a_call_becomes_a_referral_once(api_client, cast, consultation):
    api_client.force_authenticate(cast.triage)
    data = {"concerns": ["neglect"], "consent": "given"}
    response = api_client.post(url("api-consultation-convert", consultation.pk), data, format="json")

    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    body = response.json()
    assert (body["id"], body["channel"], body["concerns"]) == (referral.pk, "consultation", ["neglect"])
    assert body["referrer_name"] == "Sam Patel"
    assert body["subjects"][0]["person_id"] == consultation.person_id
    consultation.refresh_from_db()
    assert consultation.referral == referral

    again = api_client.post(url("api-consultation-convert", consultation.pk), data, format="json")
    assert again.status_code == 400
    assert referral.reference in again.json()["non_field_errors"][0]
    assert Referral.objects.count() == 1


def test_an_anonymous_call_needs_its_subject_to_become_a_referral(api_client, cast, make_consultation):
    consultation = make_consultation()
    api_client.force_authenticate(cast.triage)
    convert = url("api-consultation-convert", consultation.pk)

    response = api_client.post(convert, {}, format="json")
    assert response.status_code == 400
    assert "subjects" in response.json()

    response = api_client.post(
        convert,
        {
            "subjects": [
                {"given_name": "Ella", "family_name": "Brown", "approximate_age": 8, "nhs_number": "123"}
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert "subjects-0-nhs_number" in response.json()
    assert not Referral.objects.exists()
    assert not Person.objects.filter(given_name="Ella").exists()

    response = api_client.post(
        convert,
        {"subjects": [{"given_name": "Ella", "family_name": "Brown", "approximate_age": 8}]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["subjects"][0]["full_name"] == "Ella Brown"
    assert response.json()["concerns"] == ["other"]
    assert response.json()["consent"] == "not_sought"


def test_a_call_becomes_a_referral_with_consent_overridden_by_a_named_person(api_client, cast, consultation):
    api_client.force_authenticate(cast.triage)
    convert = url("api-consultation-convert", consultation.pk)
    response = api_client.post(convert, {"consent": "overridden", "consent_reason": "Risk"}, format="json")
    assert response.status_code == 400
    assert "consent_decided_by" in response.json()

    data = {
        "consent": "overridden",
        "consent_reason": "Risk to the child",
        "consent_decided_by": "Team manager",
    }
    response = api_client.post(convert, data, format="json")
    assert response.status_code == 201, response.content
    assert Referral.objects.get().consent_decided_by == "Team manager"
