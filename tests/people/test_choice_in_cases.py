"""Choosing a known person by id in every case app, page and API: a person the user may not see is
answered exactly as an id that names nobody, and nothing is written.

Today everyone who may record a case sees every person (mash/people/policy.py), so the cast cannot
try it: the fixture below narrows the person rule so that nobody sees every person and each agency
sees whom it was granted. The case services refuse a person their recorder may not see whatever
the policy says; before person_resolve, a missing episode (page and API) took anyone who existed.
"""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Application
from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.models import AccessLog
from mash.sharing.services import grant_view
from missing_persons.models import Episode
from referrals.models import Consultation, Referral
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen_by_grant_only(db):
    rule = policy.rule_for(Person)
    policy.register(dataclasses.replace(rule, sees_all=lambda actor: False))
    yield
    policy.register(rule)


@pytest.fixture
def unseen(seen_by_grant_only):
    return PersonFactory(given_name="Xavier", family_name="Unseen")


@pytest.fixture
def nobody(unseen):
    return unseen.pk + 1000


def written():
    return (
        Person.objects.count(),
        Episode.objects.count(),
        Application.objects.count(),
        Referral.objects.count(),
        Consultation.objects.count(),
        AccessLog.objects.count(),
    )


def _local(delta):
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def episode_page(client, cast, pk):
    client.force_login(cast.data_admin)
    form = {
        "given_name": "Xavier",
        "family_name": "Unseen",
        "gender": "male",
        "reported_at": _local(timedelta(hours=1)),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": _local(timedelta(hours=3)),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Twelve, no phone, out overnight.",
        "person": str(pk),
    }
    return client.post(reverse("missing_persons:episode_new"), form)


def episode_api(api_client, cast, pk):
    now = timezone.now()
    api_client.force_authenticate(cast.data_admin)
    body = {
        "person": pk,
        "reported_at": (now - timedelta(hours=1)).isoformat(),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": (now - timedelta(hours=3)).isoformat(),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Seen getting into a car with older males.",
    }
    return api_client.post(reverse("api-missing-episodes"), body, format="json")


def application_page(client, cast, pk):
    client.force_login(cast.data_admin)
    data = {
        "scheme": "dvds_ask",
        "route": "phone",
        "received_at": "",
        "circumstances": "Her new partner; his former partner told her he was violent.",
        "applicant_relation": "Herself: his partner",
        "applicant_contact": "",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "12",
        "people-0-role": "applicant+at_risk",
        "people-0-given_name": "Keziah",
        "people-0-family_name": "Oduya",
        "people-0-gender": "female",
        "people-1-role": "subject",
        "people-1-match": str(pk),
        "people-1-gender": "unknown",
    }
    return client.post(reverse("disclosures:intake"), data)


def application_api(api_client, cast, pk):
    api_client.force_authenticate(cast.data_admin)
    body = {
        "scheme": "dvds_ask",
        "route": "phone",
        "circumstances": "Her new partner; his former partner told her he was violent.",
        "applicant_relation": "Herself: his partner",
        "people": [
            {"role": "applicant", "given_name": "Keziah", "family_name": "Oduya"},
            {"role": "at_risk", "given_name": "Keziah", "family_name": "Oduya"},
            {"role": "subject", "person": pk},
        ],
    }
    return api_client.post(reverse("api-disclosure-applications"), body, format="json")


REFERRAL = {
    "kind": "child",
    "channel": "phone",
    "referrer_name": "PC 1234 Adams",
    "concerns": ["neglect"],
    "account": "Two children left alone overnight.",
    "consent": "not_sought",
    "consent_reason": "Parents could not be found.",
}


def referral_page(client, cast, pk):
    client.force_login(cast.triage)
    data = {
        **REFERRAL,
        "subjects-TOTAL_FORMS": "1",
        "subjects-INITIAL_FORMS": "0",
        "subjects-MIN_NUM_FORMS": "0",
        "subjects-MAX_NUM_FORMS": "12",
        "subjects-0-role": "subject",
        "subjects-0-person": str(pk),
        "subjects-0-gender": "unknown",
    }
    return client.post(reverse("referrals:intake"), data)


def referral_api(api_client, cast, pk):
    api_client.force_authenticate(cast.triage)
    body = {**REFERRAL, "subjects": [{"role": "subject", "person_id": pk}]}
    return api_client.post(reverse("api-referrals"), body, format="json")


def consultation_api(api_client, cast, pk):
    api_client.force_authenticate(cast.triage)
    body = {
        "caller_name": "Dr Okafor",
        "caller_organisation": "Riverside GP surgery",
        "person_id": pk,
        "question": "Should I refer?",
        "advice": "Yes.",
    }
    return api_client.post(reverse("api-consultations"), body, format="json")


# A page answers an id it will not take as it answered one that names nobody before: the missing
# episode and disclosure pages with a 404, the referral intake asking to choose from the matches.
PAGES = [(episode_page, 404), (application_page, 404), (referral_page, 400)]
APIS = [episode_api, application_api, referral_api, consultation_api]


def answer(response):
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return response.status_code, response.json()
    # A page: all of it but its CSRF tokens and script nonces, made afresh for every page.
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.content.decode())
    return response.status_code, re.sub(r'nonce="[^"]*"', "", body)


@pytest.mark.parametrize("choose, status", PAGES, ids=lambda f: getattr(f, "__name__", str(f)))
def test_a_page_answers_an_unseen_person_as_nobody(client, cast, unseen, nobody, choose, status):
    before = written()
    refused = choose(client, cast, unseen.pk)
    assert refused.status_code == status, refused.status_code
    assert answer(refused) == answer(choose(client, cast, nobody))
    assert "Unseen" not in refused.content.decode()
    assert written() == before


@pytest.mark.parametrize("choose", APIS, ids=lambda f: f.__name__)
def test_the_api_answers_an_unseen_person_as_nobody(api_client, cast, unseen, nobody, choose):
    before = written()
    refused = choose(api_client, cast, unseen.pk)
    assert refused.status_code == 400, refused.content
    assert answer(refused) == answer(choose(api_client, cast, nobody))
    assert "Unseen" not in refused.content.decode()
    assert written() == before


@pytest.mark.parametrize("choose", [episode_page, episode_api], ids=lambda f: f.__name__)
def test_a_person_granted_to_the_recorders_agency_is_chosen(client, api_client, cast, unseen, choose):
    grant_view(obj=unseen, agency=cast.police)
    response = choose(api_client if choose is episode_api else client, cast, unseen.pk)
    assert response.status_code in (201, 302), response.content
    assert Episode.objects.get().person == unseen
