"""No browser or proxy keeps a copy of what a signed-in user was shown: every page and API answer
to a signed-in user, every API answer, and the sign-in page say Cache-Control: no-store."""

import pytest
from django.urls import reverse

from tests.factories import api_token

pytestmark = pytest.mark.django_db


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_page_of_a_signed_in_user_is_not_stored(client, cast, person):
    client.force_login(cast.triage)
    assert_no_store(client.get(reverse("people:detail", args=[person.pk])))
    assert_no_store(client.get(reverse("home")))


def test_an_api_answer_is_not_stored(client, cast):
    assert_no_store(client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {api_token(cast.triage)}"))
    assert_no_store(client.get("/api/v1/me/"))  # a refusal too


def test_the_sign_in_page_is_not_stored(client):
    assert_no_store(client.get(reverse("login")))


def test_an_anonymous_page_outside_the_api_is_left_alone(client):
    assert "Cache-Control" not in client.get(reverse("health"))
