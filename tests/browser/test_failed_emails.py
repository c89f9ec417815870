"""A MASH manager finds the e-mails that could not be sent from their inbox and puts one back for
sending, in a real browser (axe checks every page)."""

import pytest
from playwright.sync_api import expect

from mash.notifications.models import Channel, Notification, Status
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def failed(recipient, title):
    return Notification.objects.create(
        recipient=recipient,
        channel=Channel.EMAIL,
        event="information_request.sent",
        idempotency_key=title,
        title=title,
        body="Case detail that the list never shows",
        status=Status.FAILED,
        attempts=11,
        last_error="SMTPRecipientsRefused(550 mailbox unavailable)",
    )


def test_a_manager_retries_one_failed_e_mail(page, cast):
    first = failed(cast.police_researcher, "Information request to Constabulary")
    failed(cast.health_researcher, "Information request to Integrated Care Board")
    sign_in(page, cast.manager)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name="2 e-mails could not be sent").click()
    expect(page.get_by_role("heading", level=1, name="Failed e-mails")).to_be_visible()
    expect(page.get_by_text("Case detail that the list never shows")).to_have_count(0)

    page.get_by_role("button", name="Retry selected").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the e-mails to retry")

    page.get_by_label("Retry Information request to Constabulary").check()
    page.get_by_role("button", name="Retry selected").click()
    expect(page.get_by_role("alert")).to_contain_text("1 e-mail put back for sending")
    expect(page.get_by_role("row").filter(has_text="Integrated Care Board")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="to Constabulary")).to_have_count(0)
    first.refresh_from_db()
    assert first.status == Status.PENDING
