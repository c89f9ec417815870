"""A second factor for everyone: enrolment on first sign-in, TOTP codes and recovery codes, enforced on
every page, every session API call and the admin. Codes are computed from the device's own key."""

import base64
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts import services
from mash.accounts.models import SignInEvent, SignInEventKind
from tests.second_factor import code_for_key, confirmed_device, totp_code

pytestmark = pytest.mark.django_db


def enrol(client, user) -> list[str]:
    """Enrol through the pages with a code computed from the key the page shows; the recovery codes."""
    page = client.get(reverse("accounts:enrol"))
    key = re.search(r'<code id="setup-key">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    code = code_for_key(base64.b32decode(key.replace(" ", "")))
    response = client.post(reverse("accounts:enrol"), {"code": code, "next": "/people/"})
    assert response.status_code == 302
    shown = client.get(response.url)
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown.content.decode())


def test_after_the_password_every_page_asks_for_the_second_factor(browser_like, cast):
    confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url == "/login/verify/?next=%2Fpeople%2F"
    for url in ["/", "/referrals/", "/governance/access-log/", "/inbox/"]:
        assert client.get(url).url.startswith("/login/verify/"), url


def test_a_user_without_an_authenticator_is_sent_to_enrol(browser_like, cast):
    client = browser_like(cast.triage)
    response = client.get("/login/verify/?next=/people/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/enrol/?next=%2Fpeople%2F"
    body = response.content.decode()
    assert "<svg" in body and "Set up your authenticator app" in body
    assert 'class="govuk-service-navigation__list"' not in body  # no menu before the second factor


def test_enrolment_confirms_the_device_with_a_real_code_and_shows_recovery_codes_once(browser_like, cast):
    client = browser_like(cast.triage)
    first = client.get(reverse("accounts:enrol"))
    again = client.get(reverse("accounts:enrol"))
    assert first.context["key"] == again.context["key"]  # the same key until it is confirmed

    codes = enrol(client, cast.triage)

    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=cast.triage)
    assert device.confirmed
    static = StaticDevice.objects.get(user=cast.triage)
    assert sorted(StaticToken.objects.filter(device=static).values_list("token", flat=True)) == sorted(codes)
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302  # shown once
    assert client.get("/people/").status_code == 200
    assert SignInEvent.objects.filter(user=cast.triage, event=SignInEventKind.SECOND_FACTOR_ENROLLED).exists()


def test_a_wrong_enrolment_code_is_refused_and_recorded(browser_like, cast):
    client = browser_like(cast.triage)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.triage, confirmed=True).exists()
    assert SignInEvent.objects.filter(user=cast.triage, event=SignInEventKind.SECOND_FACTOR_FAILED).exists()
    assert client.get("/people/").status_code == 302


def test_the_enrolment_page_is_safe_under_the_content_security_policy(browser_like, cast):
    client = browser_like(cast.triage)
    response = client.get(reverse("accounts:enrol"))
    body = response.content.decode()
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "style=" not in body and "<style" not in body
    assert 'role="img"' in body


def test_a_code_from_the_authenticator_app_completes_the_sign_in(browser_like, cast):
    device = confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    response = client.post(reverse("accounts:verify"), {"code": totp_code(device), "next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"
    assert client.get("/people/").status_code == 200
    assert SignInEvent.objects.filter(
        user=cast.triage, event=SignInEventKind.SIGNED_IN, detail="with the authenticator app"
    ).exists()


def test_a_code_works_once(browser_like, cast):
    device = confirmed_device(cast.triage)
    code = totp_code(device)
    first = browser_like(cast.triage)
    assert first.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    second = browser_like(cast.triage)
    assert second.post(reverse("accounts:verify"), {"code": code}).status_code == 400
    assert second.get("/people/").status_code == 302


def test_a_wrong_code_is_refused_and_recorded(browser_like, cast):
    confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    response = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    event = SignInEvent.objects.get(event=SignInEventKind.SECOND_FACTOR_FAILED)
    assert (event.user, event.ip_address, event.user_agent) == (cast.triage, "192.0.2.10", "Test browser/1.0")


def test_after_a_wrong_code_the_next_try_must_wait(browser_like, cast):
    device = confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    assert client.post(reverse("accounts:verify"), {"code": "123456"}).status_code == 400
    right_too_soon = client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert right_too_soon.status_code == 400
    assert "Too many wrong codes in a row" in right_too_soon.content.decode()
    assert client.get("/people/").status_code == 302


def test_a_recovery_code_is_accepted_in_place_of_a_code_and_only_once(browser_like, cast):
    device = confirmed_device(cast.triage)
    codes = services.recovery_codes_replace(user=cast.triage)
    assert device.user == cast.triage

    client = browser_like(cast.triage)
    assert client.post(reverse("accounts:verify"), {"code": codes[0].upper()}).status_code == 302
    assert client.get("/people/").status_code == 200
    assert SignInEvent.objects.filter(
        event=SignInEventKind.SIGNED_IN, detail="with a recovery code (9 left)"
    ).exists()

    again = browser_like(cast.triage)
    assert again.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 400


def test_the_second_factor_gives_a_new_session_key(browser_like, cast):
    device = confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    before = client.cookies["sessionid"].value
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    after = client.cookies["sessionid"].value
    assert before != after
    assert not Session.objects.filter(pk=before).exists()


def test_a_session_api_call_needs_the_second_factor(browser_like, cast):
    device = confirmed_device(cast.triage)
    client = browser_like(cast.triage)
    assert client.get("/api/v1/me/").status_code == 401
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.get("/api/v1/me/").status_code == 200


def test_the_admin_needs_the_second_factor(browser_like, cast):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=cast.manager.pk).update(is_staff=True, is_superuser=True)
    device = confirmed_device(cast.manager)
    client = browser_like(cast.manager)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/login/verify/")
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_a_staff_session_that_is_not_verified(rf, cast):
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=cast.manager.pk).update(is_staff=True, is_superuser=True)
    cast.manager.refresh_from_db()
    request = rf.get("/admin/")
    request.user = cast.manager
    cast.manager.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    cast.manager.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_the_admin_sign_in_page_is_the_service_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/"


def test_the_admin_shows_no_device_and_no_key(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_verifying_device_is_read_again_every_minute_and_a_removed_one_stops_verifying(cast):
    from mash.accounts.middleware import DEVICE_RECHECK_KEY
    from tests.second_factor import Client

    client = Client()
    client.force_login(cast.triage)
    assert client.get("/people/").status_code == 200
    TOTPDevice.objects.filter(user=cast.triage).delete()  # not the reset (which ends the sessions)
    assert client.get("/people/").status_code == 200  # within the minute: not read again

    session = client.session
    session[DEVICE_RECHECK_KEY] -= 61
    session.save()
    response = client.get("/people/")
    assert response.status_code == 302 and response.url.startswith("/login/verify/")
