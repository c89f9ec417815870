"""The pages no journey test walks through, each visited with a little data so that axe checks it
(tests/browser/accessibility.py fails a test on a violation of any impact): the error pages and the
lists that page, one test per role that sees them."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import Page, expect

from disclosures import services as disclosure_services
from disclosures.models import PersonRole, Route, Scheme
from mash.agencies.roles import Role
from mash.common.views import server_error
from mash.notifications.services import notify
from mash.sharing import services as sharing_services
from mash.sharing.models import DisseminationMethod, LawfulBasis
from missing_persons import services as missing_services
from missing_persons.models import ReporterKind, Risk
from referrals.services import consultation_create
from strategy import services as strategy_services
from strategy.models import Mode
from tests.browser.helpers import sign_in
from tests.factories import api_token, member
from tests.information_requests.support import answer, ask, referral_in_gathering

pytestmark = pytest.mark.browser


def visit(page: Page, url: str, heading: str, status: int = 200) -> None:
    """Open ``url`` and wait for its heading (the wait is when axe checks the page)."""
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


@pytest.fixture
def application(cast, person):
    return disclosure_services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_KNOW,
        route=Route.POLICE,
        circumstances="Police hold a report about this child's home.",
        people=[
            disclosure_services.PersonInput(role=PersonRole.SUBJECT, person=person),
            disclosure_services.PersonInput(role=PersonRole.AT_RISK, person=person),
        ],
    )


def _discussion_with_an_action(cast, person):
    """A red referral about ``person`` sent to strategy, its discussion convened now, and an action
    for the lead decision maker (who hears of it in the inbox)."""
    referral = referral_in_gathering(cast, person)
    (police_request,) = ask(referral, cast.triage, cast.police)
    answer(police_request, cast.police_researcher)
    referral.refresh_from_db()
    strategy_services.threshold_decide(
        referral=referral,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect significant harm.",
        answers=[police_request],
    )
    discussion = strategy_services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        location="Teams",
        chair=cast.decision_maker,
        invitees=[strategy_services.Invitee(agency=cast.police, user=cast.police_decision_maker)],
    )
    strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Visit the family with the police.",
        owner_agency=cast.lead,
        owner=cast.decision_maker,
        due_on=timezone.localdate() + timedelta(days=2),
    )
    return discussion


def test_the_lead_decision_maker_pages_and_the_error_pages(page, cast, person):
    _discussion_with_an_action(cast, person)
    consultation_create(
        by=cast.triage,
        caller_name="Ms Ward",
        caller_organisation="Orwell Primary School",
        question="A pupil says she is hungry at home: is this a referral?",
        advice="Talk to the family first; refer if it continues.",
        person=person,
    )
    notify(
        recipients=[cast.decision_maker],
        event="test",
        idempotency_key="axe-inbox",
        title="A message for the inbox",
        body="Sign in to read it.",
    )
    api_token(cast.decision_maker, name="Case system")
    sign_in(page, cast.decision_maker)

    visit(page, "/strategy/discussions/", "Strategy discussions")
    expect(page.get_by_role("table", name="1 discussion, the latest first")).to_be_visible()
    visit(page, "/strategy/actions/", "My actions")
    expect(page.get_by_role("table", name="1 action, the earliest due first")).to_contain_text(
        "Visit the family with the police."
    )
    visit(page, "/inbox/", "Inbox")
    expect(page.get_by_role("table", name="Your messages, newest first")).to_contain_text(
        "A message for the inbox"
    )
    visit(page, "/people/", "People")
    page.get_by_role("link", name="SMITH, Jayden").click()
    expect(page.get_by_role("heading", level=1, name="Jayden Smith")).to_be_visible()
    visit(page, "/referrals/consultations/", "Consultation line")
    expect(page.get_by_role("table")).to_contain_text("Ms Ward")
    visit(page, "/api-tokens/", "API tokens")
    expect(page.get_by_role("cell", name="Case system", exact=True)).to_be_visible()

    # The error pages: refused (the access log is information governance's), not found, and the
    # server error page as Django's handler renders it (no page of the service fails on purpose).
    visit(page, "/governance/access-log/", "You do not have permission to see this page", status=403)
    visit(page, "/no-such-page/", "Page not found", status=404)
    body = server_error(RequestFactory().get("/")).content
    page.route("**/broken/", lambda route: route.fulfill(status=500, content_type="text/html", body=body))
    visit(page, "/broken/", "Sorry, there is a problem with the service", status=500)


def test_the_police_data_administrator_lists(page, cast, person, application):
    now = timezone.now()
    missing_services.episode_create(
        by=cast.data_admin,
        data=missing_services.EpisodeInput(
            person=person,
            reported_at=now - timedelta(hours=1),
            reported_by="Mrs Smith (mother)",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=now - timedelta(hours=4),
            last_seen_place="Ipswich bus station",
            risk=Risk.MEDIUM,
            risk_rationale="Phone off, seen with older males.",
        ),
    )
    sign_in(page, cast.data_admin)

    visit(page, "/disclosures/", "Disclosure applications")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    visit(page, "/missing/episodes/", "Missing episodes")
    expect(page.get_by_role("link", name="Jayden Smith")).to_be_visible()
    # A form's errors: one summary of them all.
    visit(page, "/missing/episodes/new/", "Record a missing episode")
    page.get_by_role("button", name="Record the episode").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page).to_have_title("Error: Record a missing episode - MASH case management")


def test_the_information_governance_lists(page, cast, person, application):
    police_manager = member(cast.police, Role.MASH_MANAGER, username="police.manager")
    sharing_services.break_glass_open(
        user=police_manager, obj=application, reason="Strategy meeting tonight about this child's home."
    )
    sharing_services.dissemination_record(
        by=cast.decision_maker,
        approved_by=cast.manager,
        recipient_name="Dr Patel",
        recipient_organisation="Orwell Surgery",
        method=DisseminationMethod.EMAIL,
        what="The outcome of the strategy discussion.",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        need="The GP is seeing the child this week.",
    )
    # More entries than a page of the access log holds: its pagination is shown.
    for _ in range(50):
        sharing_services.access_log_write(user=cast.triage, obj=person, action="view")
    sign_in(page, cast.governance)

    visit(page, "/governance/access-log/", "Access log")
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    expect(page.get_by_role("link", name="Page 2 of 2")).to_be_visible()
    visit(page, "/governance/sign-in-events/", "Sign-in events")
    visit(page, "/governance/break-glass-reviews/", "Break-glass access awaiting review")
    expect(page.get_by_role("row").filter(has_text="police.manager")).to_be_visible()
    visit(page, "/governance/disseminations/", "Dissemination log")
    expect(page.get_by_role("table")).to_contain_text("Orwell Surgery")
