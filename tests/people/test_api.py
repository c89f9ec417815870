import pytest
from django.urls import reverse

from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import grant_view
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_api_needs_authentication(api_client, person):
    assert api_client.get(reverse("api-people")).status_code in (401, 403)


def test_the_api_list_is_policy_filtered(api_client, cast, person, django_assert_max_num_queries):
    PersonFactory()
    grant_view(obj=person, agency=cast.police)
    api_client.force_authenticate(cast.police_researcher)
    with django_assert_max_num_queries(8):
        response = api_client.get(reverse("api-people"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [person.pk]


def test_the_api_detail_is_logged_and_refused_to_others(api_client, cast, person):
    api_client.force_authenticate(cast.triage)
    assert api_client.get(reverse("api-person", args=[person.pk])).json()["nhs_number"] == "9434765919"
    assert AccessLog.objects.filter(user=cast.triage, action=AccessAction.VIEW).count() == 1

    api_client.force_authenticate(cast.outsider)
    response = api_client.get(reverse("api-person", args=[person.pk]))
    assert response.status_code == 404
    assert "Jayden" not in response.content.decode()
    assert AccessLog.objects.filter(user=cast.outsider, action=AccessAction.DENIED).count() == 1


def test_the_api_refuses_a_bad_nhs_number_naming_the_field(api_client, cast):
    api_client.force_authenticate(cast.triage)
    response = api_client.post(
        reverse("api-people"),
        {"given_name": "Ann", "family_name": "Lee", "nhs_number": "9434765918"},
        format="json",
    )
    assert response.status_code == 400
    assert "check digit" in response.json()["nhs_number"][0]
    assert Person.objects.count() == 0


def test_the_api_creates_a_person(api_client, cast):
    api_client.force_authenticate(cast.data_admin)
    response = api_client.post(
        reverse("api-people"),
        {"given_name": "Ann", "family_name": "Lee", "date_of_birth": "2016-04-01"},
        format="json",
    )
    assert response.status_code == 201
    assert Person.objects.get().family_name_key == "L"


def test_a_researcher_may_not_create_people_through_the_api(api_client, cast):
    api_client.force_authenticate(cast.police_researcher)
    response = api_client.post(
        reverse("api-people"), {"given_name": "Ann", "family_name": "Lee"}, format="json"
    )
    assert response.status_code == 403


def test_the_api_match_ranks_with_reasons(api_client, cast, person):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(reverse("api-people-match"), {"nhs_number": "9434765919"})
    assert response.json()[0]["person"]["id"] == person.pk
    assert response.json()[0]["reasons"] == ["Same NHS number"]


def test_the_api_match_refuses_a_bad_date(api_client, cast):
    api_client.force_authenticate(cast.triage)
    response = api_client.get(reverse("api-people-match"), {"date_of_birth": "14/03/2015"})
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
