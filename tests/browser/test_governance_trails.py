"""Information governance's journey: the landing page, the trail of a user, a record's trail from it
and by its reference (each page checked by axe: tests/browser/accessibility.py)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.sharing.trail_support import BREAK_GLASS_REASON, plant

pytestmark = pytest.mark.browser


def test_information_governance_follows_a_break_glass_to_its_trails(page: Page, cast):
    planted = plant(cast)
    sign_in(page, cast.governance)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", level=1, name="Information governance")).to_be_visible()
    expect(page.get_by_role("heading", name="Break-glass openings to review")).to_be_visible()

    page.get_by_role("link", name="Trails of users and records").click()
    expect(page.get_by_role("heading", level=1, name="Trails of users and records")).to_be_visible()
    page.get_by_label("Name or user name").fill("manager")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=cast.manager.get_full_name()).click()
    expect(page.get_by_role("heading", level=1, name=cast.manager.get_full_name())).to_be_visible()
    expect(page.get_by_role("cell", name=BREAK_GLASS_REASON)).to_be_visible()

    page.get_by_role("link", name=str(planted.referral)).first.click()
    expect(page.get_by_role("heading", level=1, name=str(planted.referral))).to_be_visible()
    expect(page.get_by_text("Refused", exact=True)).to_be_visible()
    page.get_by_label("Show").select_option("refusals")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name=BREAK_GLASS_REASON)).to_have_count(0)
    expect(page.get_by_text("Refused", exact=True)).to_be_visible()

    # By its reference, from the trails page: a wrong one is said so, the right one opens the trail.
    page.goto("/governance/trail/users/")
    page.get_by_role("link", name="find a record's trail").click()
    page.get_by_label("Reference").fill("MASH-1999-99999")
    page.get_by_role("button", name="Find the record").click()
    expect(page.get_by_role("alert")).to_contain_text("No record has this reference")
    page.get_by_label("Reference").fill(planted.referral.reference)
    page.get_by_role("button", name="Find the record").click()
    expect(page.get_by_role("heading", level=1, name=str(planted.referral))).to_be_visible()
