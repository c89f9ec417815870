"""Every error the API documents is JSON, whatever answers it: a path no URL matches (a
non-positive id), a method the endpoint does not take, a server error; pages keep Django's pages."""

import pytest
from django.test import RequestFactory

from mash.common.views import server_error
from tests.factories import api_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/referrals/0/", "/api/v1/referrals/-1/", "/api/v1/people/1.5/", "/api/v1/no-such-thing/"]
)
def test_a_path_no_api_url_matches_is_a_json_404(client, cast, path):
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_does_not_exist_is_still_the_html_page(client, cast):
    client.force_login(cast.triage)
    response = client.get("/referrals/-1/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405(client, cast):
    response = client.delete("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}")
    assert response.status_code == 405
    assert response["Allow"]
    assert "detail" in response.json()


def test_a_server_error_in_the_api_is_json():
    response = server_error(RequestFactory().get("/api/v1/referrals/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "query", ["page_size=null", "page_size=", "page_size=0", "page_size=201", "page=", "page=last"]
)
def test_a_page_or_page_size_the_schema_refuses_is_a_400(client, cast, query):
    response = client.get(f"/api/v1/people/?{query}", HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}")
    assert response.status_code == 400
    assert set(response.json()) <= {"page", "page_size"}


def test_a_page_size_in_range_is_used(client, cast, person):
    response = client.get("/api/v1/people/?page_size=1", HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_an_empty_date_is_refused(client, cast):
    token = f"Token {api_token(cast.triage)}"
    response = client.get("/api/v1/people/match/?family_name=Smith&date_of_birth=", HTTP_AUTHORIZATION=token)
    assert response.status_code == 400
    assert "date_of_birth" in response.json()


def test_the_api_reads_json_bodies_only(client, cast):
    token = f"Token {api_token(cast.data_admin)}"
    form = client.post(
        "/api/v1/people/", {"given_name": "Ann", "family_name": "Lee"}, HTTP_AUTHORIZATION=token
    )
    assert form.status_code == 415
    assert "detail" in form.json()


def test_text_with_a_nul_character_is_refused(client, cast):
    token = f"Token {api_token(cast.triage)}"
    assert client.get("/api/v1/people/?search=Sm%00ith", HTTP_AUTHORIZATION=token).status_code == 400
