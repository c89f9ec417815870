"""The API authenticates by session or token, and answers 401/403 (never a login redirect)."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_an_api_call(client, cast):
    token = Token.objects.create(user=cast.police_researcher)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["agency"]["name"] == "Constabulary"
    assert response.json()["roles"] == ["agency researcher"]


def test_an_anonymous_api_call_is_refused_without_a_redirect(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_refused(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_a_session_authenticates_an_api_call(client, cast):
    client.force_login(cast.triage)
    assert client.get("/api/v1/me/").status_code == 200
