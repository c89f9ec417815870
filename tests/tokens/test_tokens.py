"""API tokens are made by their holder (or for a service account by a command), shown once, listed
by prefix and expiry, and revoked; the admin shows prefixes only and makes none."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from mash.tokens.models import ApiToken
from tests.factories import api_token

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<pre[^>]*id="new-token"[^>]*>([0-9a-f]{64})</pre>')


def test_a_user_makes_a_token_sees_it_once_and_it_works(client, cast):
    client.force_login(cast.health_researcher)

    made = client.post(reverse("tokens:list"), {"name": "weekly extract"})

    assert made.status_code == 200
    token = TOKEN.search(made.content.decode()).group(1)
    listed = client.get(reverse("tokens:list")).content.decode()
    assert token not in listed
    assert token[:15] in listed and "weekly extract" in listed
    client.logout()
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "health.researcher"


def test_a_token_needs_a_name(client, cast):
    client.force_login(cast.triage)
    response = client.post(reverse("tokens:list"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token_and_it_stops_working(client, cast):
    token = api_token(cast.triage)
    record = ApiToken.objects.get(user=cast.triage)
    client.force_login(cast.triage)

    response = client.post(reverse("tokens:revoke", args=[record.pk]))

    assert response.status_code == 302
    client.logout()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_nobody_sees_or_revokes_another_users_token(client, cast):
    api_token(cast.triage, name="triage's script")
    record = ApiToken.objects.get(user=cast.triage)
    client.force_login(cast.manager)

    assert "triage&#x27;s script" not in client.get(reverse("tokens:list")).content.decode()
    assert client.post(reverse("tokens:revoke", args=[record.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=record.pk).exists()


def test_the_admin_lists_prefixes_only_and_makes_no_token(client, cast, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-not-used-here")
    token = api_token(cast.triage)
    record = ApiToken.objects.get(user=cast.triage)
    client.force_login(admin)

    listing = client.get("/admin/tokens/apitoken/").content.decode()
    detail = client.get(f"/admin/tokens/apitoken/{record.pk}/change/").content.decode()

    assert token[:15] in listing
    for page in (listing, detail):
        assert token not in page
        assert record.digest not in page
    assert client.get("/admin/tokens/apitoken/add/").status_code == 403
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_a_command_makes_a_token_for_a_service_account_and_prints_it_once(client, cast):
    out, err = io.StringIO(), io.StringIO()

    call_command("api_token_create", "police.admin", "--name", "PNC bridge", stdout=out, stderr=err)

    token = out.getvalue().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert token[:15] in err.getvalue() and token not in err.getvalue()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token_create", "nobody", "--name", "x", stdout=out, stderr=err)
