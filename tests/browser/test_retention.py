"""Information governance reviews a record past its retention period: the queue, a keep decision with
a review date in the past refused and then given, the legal hold page and the periods; axe checks every
page on the way."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from mash.retention.models import RetentionDecision
from tests.browser.helpers import fill_date, sign_in
from tests.retention.conftest import closed_nfa  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _rules():
    importlib.import_module("mash.retention.migrations.0002_seed_rules").seed(apps, None)


def test_governance_keeps_a_record_past_its_period(page, cast, closed_nfa):  # noqa: F811
    referral = closed_nfa()
    sign_in(page, cast.governance)
    page.goto("/governance/retention/")
    expect(page.get_by_role("heading", level=1, name="Records due for a retention review")).to_be_visible()
    page.get_by_role("link", name=f"Review Referral {referral.pk}:").click()

    page.get_by_label("Keep").check()
    page.get_by_label("Reason").fill("A sibling's referral is still open.")
    fill_date(page, "Next review date", timezone.localdate() - timedelta(days=1))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("The next review date must be in the future.")
    fill_date(page, "Next review date", timezone.localdate() + timedelta(days=180))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The record is kept until its next review.")).to_be_visible()
    expect(page.get_by_text("No referrals closed with no further action are due")).to_be_visible()
    assert RetentionDecision.objects.get().next_review_on == timezone.localdate() + timedelta(days=180)

    page.get_by_role("link", name="Legal holds").click()
    expect(page.get_by_text("No legal hold is in force.")).to_be_visible()
    page.get_by_role("link", name="Retention periods").click()
    expect(page.get_by_role("cell", name="24 months Local policy: to be set")).to_be_visible()
