"""Missing persons through the pages: the police data administrator imports a file of police reports,
sees the high-risk episode on the dashboard, records the return and then the return home interview."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from missing_persons import services
from missing_persons.models import Episode, EpisodeStatus, ImportBatch, InterviewStatus
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def _report_file(tmp_path):
    """The sample file, and a high-risk report of a thirteen-year-old missing since yesterday evening."""
    day = date.today() - timedelta(days=1)
    row = (
        f"SC-{day:%Y}-0003,Mia,Turner,{day.year - 13}-06-01,,female,{day:%Y-%m-%d} 18:30,"
        f"Mr Turner (father),parent,{day:%Y-%m-%d} 17:15,Ipswich railway station,high,"
        "Thirteen; messages from an unknown adult,Left home without her phone,cse,,,"
    )
    path = tmp_path / "police-export.csv"
    path.write_text(services.sample_csv() + row + "\n", encoding="utf-8")
    return path


def test_the_data_administrator_imports_reports_and_records_a_return_and_its_interview(page, cast, tmp_path):
    sign_in(page, cast.data_admin)
    page.get_by_role("link", name="Missing", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Missing persons")).to_be_visible()
    expect(page.get_by_text("No one is missing.")).to_be_visible()

    # The import: check the file, then confirm.
    page.get_by_role("link", name="Import police reports").click()
    expect(page.get_by_role("heading", level=1, name="Import police missing-person reports")).to_be_visible()
    page.get_by_label("CSV file of missing-person reports").set_input_files(_report_file(tmp_path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("police-export.csv: 3 reports checked, no problems. 3 new")).to_be_visible()
    assert not Episode.objects.exists()
    page.get_by_role("button", name="Import 3 reports").click()
    expect(page.get_by_role("heading", level=1, name="Missing persons")).to_be_visible()
    expect(page.get_by_text("Imported police-export.csv: 3 new, 0 updated, 0 unchanged.")).to_be_visible()
    assert ImportBatch.objects.get().created == 3

    # The dashboard: the two still missing, both high risk; the returned one awaits its interview.
    missing = page.get_by_role("table", name="2 open episodes, the highest risk first")
    expect(missing.get_by_role("row")).to_have_count(3)
    mia = missing.get_by_role("row").filter(has_text="Mia Turner")
    expect(mia).to_contain_text("High risk")
    expect(mia).to_contain_text("Ipswich railway station")
    interviews = page.get_by_role("table", name="1 return home interview, the soonest due first")
    expect(interviews).to_contain_text("Tyler Grant")

    # The episode: record the return, well-being confirmed.
    mia.get_by_role("link", name="Mia Turner").click()
    expect(page.get_by_role("heading", level=1, name="Mia Turner")).to_be_visible()
    expect(page.get_by_text("Thirteen; messages from an unknown adult")).to_be_visible()
    page.get_by_label("Where", exact=True).fill("Her aunt's house, Felixstowe")
    page.get_by_label("Found by, or returned to").fill("PC 2231 Lee")
    page.get_by_label("Their well-being is confirmed").check()
    page.get_by_label("Well-being notes").fill("Tired and hungry; no injuries.")
    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_role("alert")).to_contain_text("Return recorded.")
    expect(page.locator(".govuk-tag").filter(has_text="Found or returned")).to_be_visible()
    expect(page.get_by_role("heading", name="Return home interview")).to_be_visible()
    expect(page.get_by_text("Due within 72 hours of the return")).to_be_visible()

    # The return home interview, done by the lead agency.
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("By which agency").select_option(label=cast.lead.name)
    page.get_by_label("Where they were").fill("With an older male at a flat in Ipswich")
    page.get_by_label("With whom").fill("A man she met online")
    page.get_by_label("Push factors").fill("Arguments with her father")
    page.get_by_label("Pull factors").fill("Gifts and attention")
    page.get_by_role("button", name="Record the interview").click()
    expect(page.get_by_role("alert")).to_contain_text("Return home interview recorded.")
    expect(page.get_by_text(re.compile(rf"^Done by {re.escape(cast.lead.name)}\. "))).to_be_visible()
    expect(page.get_by_text("done in time")).to_be_visible()
    expect(page.get_by_text("With an older male at a flat in Ipswich")).to_be_visible()
    expect(page.get_by_text("Gifts and attention")).to_be_visible()
    expect(page.get_by_role("button", name="Record the interview")).to_have_count(0)

    episode = Episode.objects.get(person__given_name="Mia")
    assert episode.status == EpisodeStatus.RETURNED
    assert episode.wellbeing_confirmed
    assert episode.interview.status == InterviewStatus.DONE
    assert episode.interview.agency == cast.lead
    assert episode.interview.clock.stopped_at is not None
