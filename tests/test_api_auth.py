"""The API authenticates by session or by a hashed, expiring token, and answers 401/403 (never a
login redirect)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mash.tokens.models import ApiToken
from mash.tokens.services import api_token_create
from tests.factories import api_token

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_an_api_call(client, cast):
    token = api_token(cast.police_researcher)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["agency"]["name"] == "Constabulary"
    assert response.json()["roles"] == ["agency researcher"]


def test_a_token_is_stored_as_a_digest_and_a_prefix_never_in_clear(cast):
    record, token = api_token_create(user=cast.triage, name="nightly report")
    stored = ApiToken.objects.values().get(pk=record.pk)
    assert token not in {str(value) for value in stored.values()}
    assert stored["token_key"] == token[:15]
    assert len(stored["digest"]) == 128
    assert token not in str(record)


def test_a_token_expires_after_the_configured_hours(cast, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    record, _ = api_token_create(user=cast.triage, name="report")
    assert timedelta(hours=1, minutes=59) < record.expiry - timezone.now() <= timedelta(hours=2)


def test_an_expired_token_is_refused_and_forgotten(client, cast):
    record, token = api_token_create(user=cast.triage, name="report")
    ApiToken.objects.filter(pk=record.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401
    assert not ApiToken.objects.filter(pk=record.pk).exists()


def test_a_revoked_token_is_refused(client, cast):
    record, token = api_token_create(user=cast.triage, name="report")
    record.delete()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(client, cast):
    token = api_token(cast.triage)
    cast.triage.is_active = False
    cast.triage.save()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_an_anonymous_api_call_is_refused_without_a_redirect(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token a b", "Token caf\u00e9"])
def test_a_bad_token_is_refused(client, header):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_session_authenticates_an_api_call(client, cast):
    client.force_login(cast.triage)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == cast.triage.username
