"""The second factor in a real browser: enrolment on first sign-in with a code computed from the key the
page shows, then a sign-in with a recovery code; and the idle timeout's warning and 'stay signed in'."""

import base64
import re

import pytest
from playwright.sync_api import expect

from mash.accounts.models import SignInEvent, SignInEventKind
from tests.browser.helpers import enter_security_code, fill_sign_in, sign_in, sign_out
from tests.second_factor import code_for_key

pytestmark = pytest.mark.browser

HOME = re.compile(r"^MASH case management$")


def test_a_new_user_enrols_on_first_sign_in_then_signs_in_with_a_recovery_code(page, cast):
    page.goto("/login/")
    fill_sign_in(page, "triage", cast.password)

    expect(page.get_by_role("heading", level=1, name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add triage to an authenticator app")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#setup-key").inner_text()
    code = code_for_key(base64.b32decode(key.replace(" ", "")))
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your authenticator app is set up")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1, name=HOME)).to_be_visible()

    sign_out(page)
    fill_sign_in(page, "triage", cast.password)
    enter_security_code(page, codes[0])
    expect(page.get_by_role("heading", level=1, name=HOME)).to_be_visible()
    assert SignInEvent.objects.filter(
        user=cast.triage, event=SignInEventKind.SIGNED_IN, detail="with a recovery code (9 left)"
    ).exists()


def test_a_wrong_code_is_refused_on_the_page(page, cast):
    from tests.second_factor import confirmed_device

    confirmed_device(cast.triage)
    page.goto("/login/")
    fill_sign_in(page, "triage", cast.password)
    enter_security_code(page, "000000")
    expect(page).to_have_title(re.compile(r"^Error: Enter your security code"))
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")


def test_an_idle_session_is_warned_kept_alive_then_signed_out(page, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 4
    sign_in(page, cast.triage)
    warning = page.get_by_role("alert").filter(has_text="You will be signed out soon")

    expect(warning).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    # No activity now: the warning comes back, then the session ends and the page goes to sign-in.
    expect(warning).to_be_visible(timeout=10_000)
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("You were signed out after 8 seconds without activity")).to_be_visible()
    assert SignInEvent.objects.filter(user=cast.triage, event=SignInEventKind.SESSION_TIMED_OUT).exists()


def test_information_governance_reads_the_sign_in_events(page, cast):
    page.goto("/login/")
    fill_sign_in(page, "mallory", "a-guess")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    sign_in(page, cast.governance)
    page.get_by_role("link", name="Sign-in events").click()
    expect(page.get_by_role("heading", level=1, name="Sign-in events")).to_be_visible()
    page.get_by_label("Event").select_option(label="Sign-in failed")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_role("row").filter(has_text="mallory")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Sign-in failed")
    expect(page.get_by_role("row").filter(has_text="Signed in")).to_have_count(0)
