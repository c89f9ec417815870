"""Reading a person's chronology before a decision: filtering it, and its printable version."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.people.chronology_support import HEALTH_TEXT, POLICE_SECRET, answered_referral, missing_episode

pytestmark = pytest.mark.browser


def test_a_decision_maker_reads_filters_and_prints_a_chronology(page, cast, person):
    answered_referral(cast, person)
    missing_episode(cast, person)
    sign_in(page, cast.decision_maker)
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Read Jayden Smith's chronology").click()
    expect(page.get_by_role("heading", level=1, name="Chronology")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text(POLICE_SECRET)
    expect(table).to_contain_text("Reported missing")

    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Kind of record").select_option("Information sharing")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text(HEALTH_TEXT)
    expect(table).not_to_contain_text("Reported missing")

    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("heading", level=1, name="Jayden Smith")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(POLICE_SECRET)
    expect(page.get_by_text("Information sharing only")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
