"""The quality of information shared dashboard in the browser: the police's MASH manager sees their
agency's row and the MASH-wide total, a chart with its table, and follows the 'not sufficient' figure to
their own answers' ratings, the reason shown as text (axe checks each page)."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.measures.quality_data import PERIOD_PARAMS, POLICE_REASON, build

pytestmark = pytest.mark.browser


def test_an_agencys_manager_reads_the_quality_of_their_answers(page, cast):
    built = build(cast)
    sign_in(page, cast.police_manager)
    page.goto(f"/measures/quality/?{urlencode(PERIOD_PARAMS)}")
    expect(page.get_by_role("heading", level=1, name="Quality of information shared")).to_be_visible()
    ratings = page.locator("table").filter(has_text="Answers rated sufficient, by agency")
    expect(ratings.get_by_role("row")).to_have_count(3)  # the header, Constabulary, the MASH-wide total
    expect(ratings).to_contain_text("Constabulary")
    expect(ratings).not_to_contain_text("Integrated Care Board")
    expect(page.locator('[data-chart="chart-quality-ratings"]')).to_be_visible()

    ratings.get_by_role("row").filter(has_text="Constabulary").get_by_role("link", name="1").click()
    expect(page.get_by_role("heading", level=1, name="Answers rated not sufficient")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=built.r2_police.referral.reference)).to_contain_text(
        POLICE_REASON
    )
