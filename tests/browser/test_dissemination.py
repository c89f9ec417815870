"""Sharing outside the MASH: ask from the referral, the police approve their item, the requester
downloads the document that leaves (every page checked by axe)."""

import re

import pytest
from playwright.sync_api import expect

from mash.sharing.models import Dissemination
from tests.browser.helpers import sign_in, sign_out
from tests.sharing.dissemination_setup import referral_with_answers

pytestmark = pytest.mark.browser


def test_ask_approve_and_download(page, cast):
    referral = referral_with_answers(cast).referral
    sign_in(page, cast.triage)
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Share outside the MASH").click()
    expect(page.get_by_role("heading", level=1, name="Share outside the MASH")).to_be_visible()

    page.get_by_role("button", name="Ask for approval").click()
    expect(
        page.get_by_role("alert").get_by_role("link", name="Choose at least one item to share.")
    ).to_be_visible()

    page.get_by_label("Constabulary answer about Jayden Smith").check()
    page.get_by_label("Organisation").fill("Riverside Academy")
    page.get_by_label("Name of the person").fill("Ms Okafor")
    page.get_by_label("Secure e-mail").check()
    page.get_by_label("The need").fill("The school keeps the child safe in the day.")
    page.get_by_label(re.compile(r"^UK GDPR Article 6\(1\)\(e\)")).check()
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DR-")
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]
    sign_out(page)

    sign_in(page, cast.police_decision_maker)
    page.get_by_role("link", name=re.compile(f"^{reference}: Constabulary answer")).click()
    page.get_by_label("Release this item").check()
    page.get_by_label("I confirm the handling conditions are met").check()
    page.get_by_label("Reason").fill("The school is told not to tell the family.")
    page.get_by_role("button", name=re.compile("^Record the decision")).click()
    expect(page.get_by_text("Approved and sent").first).to_be_visible()
    assert Dissemination.objects.get().approved_by == cast.police_decision_maker
    sign_out(page)

    sign_in(page, cast.triage)
    page.goto(f"/governance/dissemination-requests/{Dissemination.objects.get().request_id}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the document (PDF)").click()
    assert download.value.suggested_filename == f"{reference}.pdf"
