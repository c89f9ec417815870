"""The inspection lists in the browser: the lead agency's MASH manager finds them from the measures page,
opens List 1 for a period of dates, and sees the rows and the period's messages (axe checks each page)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import fill_date, sign_in
from tests.measures.inspection_data import contacts

pytestmark = pytest.mark.browser


def test_a_manager_opens_the_contacts_list_for_a_period(page, cast):
    known = contacts(cast)
    sign_in(page, cast.manager)
    page.goto("/measures/")
    page.get_by_role("link", name="Inspection lists").click()
    expect(page.get_by_role("heading", level=1, name="Inspection lists")).to_be_visible()
    page.get_by_role("link", name="List 1: Contacts").click()
    expect(page.get_by_role("heading", level=1, name="List 1: Contacts")).to_be_visible()

    page.get_by_text("Change the period").click()
    page.get_by_label("Dates").check()
    fill_date(page, "since", known.period.first)
    fill_date(page, "until", known.period.first - timedelta(days=1))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The last day must be the same as or after the first day."
    )

    fill_date(page, "until", known.period.last)
    page.get_by_role("button", name="Show").click()
    table = page.locator("#inspection-table")
    expect(table.get_by_role("columnheader", name="Contact Source")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table).to_contain_text("Police notification")
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
