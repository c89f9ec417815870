"""Sessions: an idle timeout with 'stay signed in', the absolute limit kept, and every session of a user
ended by a password change, a second-factor reset or deactivation."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from mash.accounts import services
from mash.accounts.models import SignedInSession, SignInEvent, SignInEventKind
from mash.accounts.signals import IDLE_KEY
from tests.second_factor import Client

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def idle_for(client, seconds: int) -> None:
    """The session as it is after ``seconds`` without a request."""
    session = client.session
    session[IDLE_KEY] = int(timezone.now().timestamp()) - seconds
    session.save()


def test_a_session_idle_for_the_timeout_is_signed_out_with_a_message(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(cast.triage)
    idle_for(client, 601)
    response = client.get("/people/", follow=True)
    assert response.redirect_chain[0][0] == "/login/?next=/people/"
    assert "You were signed out after 10 minutes without activity" in response.content.decode()
    assert SignInEvent.objects.filter(user=cast.triage, event=SignInEventKind.SESSION_TIMED_OUT).exists()
    assert client.get("/api/v1/me/").status_code == 401


def test_a_request_before_the_timeout_keeps_the_session(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(cast.triage)
    idle_for(client, 590)
    assert client.get("/people/").status_code == 200
    assert int(timezone.now().timestamp()) - client.session[IDLE_KEY] <= 1  # the idle clock restarted


def test_an_idle_api_session_is_no_longer_authenticated(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(cast.triage)
    idle_for(client, 700)
    assert client.get("/api/v1/me/").status_code == 401


def test_stay_signed_in_restarts_the_idle_clock(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(cast.triage)
    idle_for(client, 590)
    response = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"idle_timeout": 600}
    idle_stamp = client.session[IDLE_KEY]
    assert int(timezone.now().timestamp()) - idle_stamp <= 1


def test_stay_signed_in_without_script_returns_to_the_page(cast):
    client = signed_in(cast.triage)
    response = client.post(reverse("accounts:keep_alive"), {"next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"


def test_pages_carry_the_idle_warning_with_its_timing(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 1800
    settings.SESSION_IDLE_WARNING = 120
    body = signed_in(cast.triage).get("/people/").content.decode()
    assert 'data-idle-timeout="1800"' in body and 'data-idle-warning="120"' in body
    assert "you will be signed out in 2 minutes unless you stay signed in" in body
    assert "js/session-timeout.mjs" in body


def test_the_absolute_limit_does_not_slide(settings, cast):
    client = signed_in(cast.triage)
    session = Session.objects.get(pk=client.session.session_key)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((session.expire_date - expected).total_seconds()) < 5
    idle_for(client, 120)  # the next request writes the session
    client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date


def two_sessions(user) -> list[Client]:
    clients = [signed_in(user), signed_in(user)]
    assert SignedInSession.objects.filter(user=user).count() == 2
    return clients


def assert_signed_out(clients):
    for client in clients:
        response = client.get("/people/")
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_password_change_ends_every_session_of_the_user(cast):
    clients = two_sessions(cast.triage)
    other = signed_in(cast.police_researcher)
    cast.triage.set_password("another-long-password-2026")
    cast.triage.save()
    assert_signed_out(clients)
    assert not SignedInSession.objects.filter(user=cast.triage).exists()
    assert other.get("/people/").status_code == 200
    assert SignInEvent.objects.get(user=cast.triage, event=SignInEventKind.SESSIONS_ENDED).detail == (
        "password changed: 2 sessions ended"
    )


def test_deactivating_a_user_ends_every_session(cast):
    clients = two_sessions(cast.triage)
    cast.triage.is_active = False
    cast.triage.save()
    assert_signed_out(clients)
    assert Session.objects.filter(pk__in=[c.session.session_key for c in clients]).count() == 0


def test_deactivating_a_user_in_the_admin_ends_every_session(admin_client, cast):
    clients = two_sessions(cast.triage)
    url = reverse("admin:auth_user_change", args=[cast.triage.pk])
    data = {
        "username": cast.triage.username,
        "first_name": cast.triage.first_name,
        "last_name": cast.triage.last_name,
        "email": cast.triage.email,
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        # is_active left out: the box is cleared
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cast.triage.refresh_from_db()
    assert not cast.triage.is_active
    assert_signed_out(clients)


def test_saving_a_user_without_a_change_that_matters_keeps_their_sessions(cast):
    clients = two_sessions(cast.triage)
    cast.triage.first_name = "Tamsin"
    cast.triage.save()
    for client in clients:
        assert client.get("/people/").status_code == 200


def test_a_second_factor_reset_deletes_the_devices_and_ends_every_session(cast):
    clients = two_sessions(cast.triage)
    services.recovery_codes_replace(user=cast.triage)
    ended = services.second_factor_reset(user=cast.triage, by=cast.manager)
    assert ended == 2
    assert_signed_out(clients)
    assert not services.has_second_factor(cast.triage)
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not StaticDevice.objects.filter(user=cast.triage).exists()
    event = SignInEvent.objects.get(event=SignInEventKind.SECOND_FACTOR_RESET)
    assert (event.user, event.by, event.detail) == (cast.triage, cast.manager, "2 sessions ended")


def test_an_administrator_resets_a_second_factor_from_the_users_list(admin_client, admin_user, cast):
    clients = two_sessions(cast.triage)
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cast.triage.pk]},
        follow=True,
    )
    assert "Second factor reset for 1 user; 2 sessions ended" in response.content.decode()
    assert_signed_out(clients)
    assert SignInEvent.objects.get(event=SignInEventKind.SECOND_FACTOR_RESET).by == admin_user
    # At the next sign-in they enrol again.
    again = Client()
    again.post("/login/", {"username": "triage", "password": cast.password})
    assert again.get("/login/verify/").url.startswith("/login/enrol/")


def test_asking_how_long_is_left_is_not_activity_and_does_not_sign_out(settings, cast):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = signed_in(cast.triage)
    idle_for(client, 500)
    stamp = client.session[IDLE_KEY]
    left = client.get(reverse("accounts:session_status")).json()["remaining"]
    assert 98 <= left <= 100
    assert client.session[IDLE_KEY] == stamp

    idle_for(client, 700)
    assert client.get(reverse("accounts:session_status")).json() == {"remaining": 0}
    # The next page request signs out, with the message.
    response = client.get("/people/", follow=True)
    assert "You were signed out after 10 minutes without activity" in response.content.decode()
    assert Client().get(reverse("accounts:session_status")).json() == {"remaining": 0}


def test_sessions_are_read_from_the_database_alone(settings):
    """Ending sessions deletes their rows (services.sessions_end_for): with a session engine that keeps
    copies in the cache (cached_db), an ended session would still be signed in."""
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

    from mash.accounts.sessions import SessionStore

    assert settings.SESSION_ENGINE == "mash.accounts.sessions"
    assert SessionStore.__mro__[1] is DatabaseStore
