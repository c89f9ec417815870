"""Signing in, the inbox and its unread count, and the keyboard's first stop, in a real browser."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from mash.notifications import services
from mash.notifications.models import Channel, Notification, Status
from tests.browser.accessibility import STYLESHEET
from tests.browser.helpers import fill_sign_in, pass_second_factor, sign_in
from tests.second_factor import confirmed_device

pytestmark = pytest.mark.browser


def deliver_message(user, *, title: str, url: str) -> Notification:
    """An in-app message as the worker leaves it: written in a transaction, then delivered."""
    with transaction.atomic():
        rows = services.notify(
            recipients=[user],
            event="referral.assigned",
            idempotency_key=f"browser:{title}",
            title=title,
            body="It is waiting for your triage.",
            url=url,
            channels=[Channel.IN_APP],
        )
    (row,) = rows
    assert row.status == Status.SENT, "the commit delivers an in-app message"
    return row


def test_a_triage_practitioner_signs_in_and_reads_their_inbox(page, cast):
    message = deliver_message(cast.triage, title="Referral MASH-2026-000042 needs triage", url="/people/")
    confirmed_device(cast.triage)  # enrolled in the second factor already

    with page.expect_response(lambda response: response.url.endswith(STYLESHEET)) as stylesheet:
        page.goto("/login/")
    assert stylesheet.value.status == 200

    fill_sign_in(page, "triage", "not-the-password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Please enter a correct username and password")

    fill_sign_in(page, "triage", cast.password)
    pass_second_factor(page, cast.triage)
    expect(page.get_by_role("heading", level=1, name="MASH case management")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Inbox 1 unread")).to_be_visible()

    menu.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Referral MASH-2026-000042 needs triage")
    expect(row).to_contain_text("Unread:")
    expect(row).to_contain_text("It is waiting for your triage.")

    row.get_by_role("button", name="Open Referral MASH-2026-000042 needs triage").click()
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    expect(menu.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    expect(page.locator("#unread-count")).to_have_count(0)
    message.refresh_from_db()
    assert message.read_at is not None

    menu.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("row").filter(has_text="needs triage")).not_to_contain_text("Unread:")


def assert_the_skip_link_is_the_first_stop(page):
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused(timeout=1000)
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_the_skip_link_is_the_first_stop_of_the_keyboard_on_the_sign_in_page(page):
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert_the_skip_link_is_the_first_stop(page)


def test_the_skip_link_is_the_first_stop_of_the_keyboard_once_signed_in(page, cast):
    sign_in(page, cast.triage)
    page.goto("/people/")
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    assert_the_skip_link_is_the_first_stop(page)
