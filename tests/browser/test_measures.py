"""The measures seen in a browser (issue 18): a lead MASH manager, an agency's manager and a partnership
board member each open the landing page and every dashboard; axe passes on each (the harness checks
every page, tests/browser/accessibility.py); every chart is drawn by Chart.js under the content
security policy (no console error, no policy violation); the period form names a wrong date in the
GOV.UK error summary, then shows the chosen dates; a table's download answers with its CSV.

A little known data so that every dashboard has figures: two referrals from two channels, one of them
asked about and answered by the police, a consultation call. The numbers themselves are each measure's
own tests' (tests/measures/); here, only that they reach the page and its charts.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mash.agencies.selectors import actor_for
from mash.common.dates import format_date
from mash.measures import registry
from mash.measures.scope import Viewer
from referrals.services import consultation_convert, consultation_create
from tests.browser.helpers import fill_date, sign_in
from tests.factories import PersonFactory
from tests.information_requests.support import answer, ask, referral_in_gathering
from tests.referrals_pages.builders import working_days_ago

pytestmark = pytest.mark.browser

# Records every violation of the content security policy in the page, whatever reports it.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI}`);
});
"""

# Each chart's canvas: its Chart.js instance, its number of values, and whether it painted anything.
CHARTS = """() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const { width, height } = canvas;
  const pixels = width && height ? canvas.getContext("2d").getImageData(0, 0, width, height).data : [];
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
  return {
    id: canvas.dataset.chart,
    drawn: Boolean(chart),
    values: chart ? chart.data.datasets.reduce((n, set) => n + set.data.length, 0) : 0,
    painted,
  };
})"""


@pytest.fixture
def known_data(cast):
    """Three contacts of a fortnight ago, so that their clocks fell due in the last 12 months: a red
    phone call asked about and answered (late) by the police, an e-mail and a consultation call that
    became a referral."""
    received = working_days_ago(10)
    phoned = referral_in_gathering(
        cast, PersonFactory(given_name="Ivy", family_name="Crane"), received_at=received
    )
    (police_request,) = ask(phoned, cast.triage, cast.police)
    answer(police_request, cast.police_researcher)
    referral_in_gathering(
        cast, PersonFactory(given_name="Owen", family_name="Crane"), channel="email", received_at=received
    )
    call = consultation_create(
        by=cast.triage,
        caller_name="School nurse",
        caller_organisation="Orwell Primary School",
        question="A pupil's weight loss.",
        advice="Refer if it goes on.",
        person=PersonFactory(given_name="Ada", family_name="Crane"),
        called_at=received,
    )
    consultation_convert(consultation=call, by=cast.triage)


def watch_csp(page: Page) -> Page:
    page.context.add_init_script(script=WATCH_CSP)
    return page


def charts_of(page: Page) -> list[dict]:
    """The page's charts once its scripts have run (the chart module is deferred)."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((canvas) => window.Chart && window.Chart.getChart(canvas))"
    )
    return page.evaluate(CHARTS)


def open_dashboard(page: Page, title: str) -> list[dict]:
    page.get_by_role("navigation", name="Dashboards").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    return charts_of(page)


@pytest.mark.parametrize("who", ["manager", "police_manager", "board"])
def test_each_viewer_opens_every_dashboard_with_its_charts(page, cast, known_data, who):
    user = getattr(cast, who)
    sign_in(watch_csp(page), user)
    page.get_by_role("link", name="Measures", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Measures")).to_be_visible()
    dashboards = sorted(registry.DASHBOARDS.values(), key=lambda d: d.order)
    for dashboard in dashboards:
        expect(page.get_by_role("link", name=dashboard.title, exact=True)).to_be_visible()
    # The last 12 months (the links between dashboards keep the period).
    page.goto(f"/measures/{dashboards[0].key}/?period=year")
    expect(page.get_by_role("heading", level=1, name=dashboards[0].title)).to_be_visible()

    viewer, drawn = Viewer(actor_for(user)), 0
    for dashboard in dashboards:
        charts = charts_of(page) if dashboard is dashboards[0] else open_dashboard(page, dashboard.title)
        assert all(c["drawn"] and c["painted"] for c in charts), (dashboard.key, charts)
        drawn += sum(bool(c["values"]) for c in charts)
        if registry.measures_on(dashboard.key, viewer):
            expect(page.locator("table.mash-measure-table").first).to_be_visible()
            # The known data reach the page: some figure of the dashboard is not nought.
            cells = page.locator("table.mash-measure-table td.govuk-table__cell--numeric").all_inner_texts()
            assert any(re.search(r"[1-9]", cell) for cell in cells), dashboard.key
        if not viewer.may_drill:  # the board: counts and shares, no way to the records
            expect(page.locator("a[href*='/measures/records/']")).to_have_count(0)
        assert page.evaluate("window.__cspViolations") == [], dashboard.key
    assert drawn, "no chart with figures on any dashboard"
    assert page.evaluate("window.__cspViolations") == []


def test_the_period_form_names_a_wrong_date_then_shows_the_dates_and_a_table_downloads(
    page, cast, known_data
):
    sign_in(watch_csp(page), cast.manager)
    demand = registry.DASHBOARDS["demand"]
    page.goto(f"/measures/{demand.key}/")
    expect(page.get_by_role("heading", level=1, name=demand.title)).to_be_visible()

    page.get_by_text("Change the period or breakdown").click()
    form = page.get_by_role("form", name="Choose the period")
    form.get_by_label("Dates", exact=True).check()
    group = form.get_by_role("group", name="From")
    group.get_by_label("Day", exact=True).fill("31")
    group.get_by_label("Month", exact=True).fill("2")
    group.get_by_label("Year", exact=True).fill(str(timezone.localdate().year))
    fill_date(form, "To", timezone.localdate())
    form.get_by_role("button", name="Show").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The first day must be a real date")
    summary.get_by_role("link", name=re.compile("The first day")).click()
    expect(page.locator("#id_since")).to_be_focused()
    assert page.title().startswith("Error: ")

    today = timezone.localdate()
    first = today - timedelta(days=40)
    form = page.get_by_role("form", name="Choose the period")
    fill_date(form, "From", first)
    form.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#period")).to_contain_text(f"{format_date(first)} to {format_date(today)}")

    link = page.get_by_role("link", name=re.compile(r"^CSV")).first
    href = link.get_attribute("href")
    assert f"since={first.isoformat()}" in href and f"until={today.isoformat()}" in href
    with page.expect_download() as download:
        link.click()
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    header = response.text().splitlines()[0]
    assert header and download.value.suggested_filename.endswith(".csv")
    assert page.evaluate("window.__cspViolations") == []
