"""make run's demo users: pre-enrolled with one printed key when DEBUG, never otherwise; and the reset
command that sends a user back to enrolment."""

import base64
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts.models import SignInEvent, SignInEventKind
from mash.common.management.commands.seed_demo import UNENROLLED
from tests.second_factor import Client, code_for_key

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_demo", password="demo-password-for-tests", stdout=out, **options)
    return out.getvalue()


def test_without_debug_the_demo_enrols_nobody(settings):
    settings.DEBUG = False
    output = seed()
    assert "Second factor" not in output
    assert not TOTPDevice.objects.exists()


def test_with_debug_the_demo_users_share_a_printed_key_that_signs_them_in(settings):
    settings.DEBUG = True
    output = seed()
    key = re.search(r"add this key to an authenticator app: ([A-Z2-7 ]+)\n", output).group(1)
    assert seed().count(key) == 1  # a second run prints the same key and changes nothing

    User = get_user_model()
    assert not TOTPDevice.objects.filter(user__username=UNENROLLED).exists()
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count() - 1

    client = Client()
    client.post("/login/", {"username": "triage", "password": "demo-password-for-tests"})
    code = code_for_key(base64.b32decode(key.replace(" ", "")))
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    assert client.get("/").status_code == 200

    newcomer = Client()
    newcomer.post("/login/", {"username": UNENROLLED, "password": "demo-password-for-tests"})
    assert newcomer.get(reverse("accounts:verify")).url.startswith(reverse("accounts:enrol"))


def test_the_reset_command_sends_a_user_back_to_enrolment(cast):
    TOTPDevice.objects.create(user=cast.triage, name="phone", confirmed=True)
    out = StringIO()
    call_command("second_factor_reset", "triage", stdout=out)
    assert "Second factor reset for triage" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=cast.triage).exists()
    assert SignInEvent.objects.filter(event=SignInEventKind.SECOND_FACTOR_RESET, by=None).exists()
    with pytest.raises(CommandError):
        call_command("second_factor_reset", "nobody.here", stdout=out)
