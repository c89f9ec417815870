"""Each role's journey starts from its work tray (templates/home.html): sign in, follow the most urgent
item, and take the next step of the role's work."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disclosures import services as disclosure_services
from disclosures.models import PersonRole, Route, Scheme
from mash.agencies.roles import Role
from mash.sharing.models import BreakGlassAccess, ReviewStatus
from mash.sharing.services import break_glass_open
from missing_persons import services as missing_services
from referrals.models import State
from tests.browser.helpers import sign_in
from tests.factories import PersonFactory, member
from tests.information_requests.support import ask, referral_in_gathering
from tests.missing_persons import conftest as missing_conftest
from tests.referrals_pages.builders import make_referral, move_to, new_subject, working_days_ago
from tests.strategy import conftest as strategy_conftest

gathering = strategy_conftest.gathering
collated = strategy_conftest.collated
child = missing_conftest.child
episode_input = missing_conftest.episode_input

pytestmark = pytest.mark.browser


def most_urgent(page, key: str):
    """The first record of a section of the tray."""
    section = page.locator(f"#tray-{key}")
    expect(section).to_be_visible()
    return section.locator("tbody tr").first


def test_the_triage_practitioner_rates_the_referral_past_its_deadline(page, cast):
    make_referral(cast, subjects=[new_subject(given_name="Fresh")])
    late = move_to(
        make_referral(cast, subjects=[new_subject(given_name="Late")], received_at=working_days_ago(5)),
        State.SCREENING,
        cast,
    )
    sign_in(page, cast.triage)
    expect(page.locator("#tray-referrals")).to_contain_text("1 past the decision deadline")
    first = most_urgent(page, "referrals")
    expect(first.locator(".govuk-tag--red")).to_have_text("Overdue")
    first.get_by_role("link", name=late.reference).click()

    expect(page.get_by_role("heading", level=1, name=late.reference)).to_be_visible()
    rate = page.locator("form").filter(has=page.get_by_role("button", name="Save rating"))
    rate.get_by_label("Red", exact=True).check()
    rate.get_by_label("Rationale").fill("Five working days without a decision; injury reported.")
    rate.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("RAG rating recorded.")


def test_a_researcher_claims_an_unclaimed_request_of_their_agency(page, cast):
    referral = referral_in_gathering(cast, PersonFactory(given_name="Ruby", family_name="Hart"))
    ask(referral, cast.triage, cast.police)
    sign_in(page, cast.police_researcher)
    expect(page.locator("#tray-requests")).to_contain_text("1 unclaimed")
    most_urgent(page, "requests").get_by_role("link", name=f"Request about {referral.reference}").click()

    expect(page.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_role("alert")).to_contain_text("The request is assigned to you.")
    page.get_by_role("link", name="MASH case management").first.click()
    expect(page.locator("#tray-requests")).to_contain_text("1 yours in progress")


def test_a_partner_agency_s_manager_opens_their_agency_s_request(page, cast):
    referral = referral_in_gathering(cast, PersonFactory(given_name="Theo", family_name="Hart"))
    ask(referral, cast.triage, cast.health)
    manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    sign_in(page, manager)
    most_urgent(page, "requests").get_by_role("link", name=f"Request about {referral.reference}").click()
    expect(page.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    expect(page.get_by_text("Request to Integrated Care Board")).to_be_visible()


def test_a_decision_maker_opens_the_threshold_decision(page, cast, collated):
    sign_in(page, cast.decision_maker)
    expect(page.locator("#tray-threshold")).to_contain_text("1 awaiting a threshold decision")
    most_urgent(page, "threshold").get_by_role("link", name=collated.reference).click()
    expect(page.get_by_role("heading", level=1, name="Strategy Threshold Decision")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/strategy/referrals/{collated.pk}/threshold/$"))


def test_the_data_administrator_opens_the_episode_due_an_interview(page, cast, episode_input):
    back = missing_services.episode_create(by=cast.data_admin, data=episode_input(police_reference="MP-7"))
    missing_services.episode_return(
        episode=back,
        by=cast.data_admin,
        found_at=timezone.now() - timedelta(minutes=30),
        found_place="Home",
        found_by="Mother",
        wellbeing_confirmed=True,
    )
    sign_in(page, cast.data_admin)
    expect(page.locator("#tray-interviews")).to_contain_text("1 due")
    most_urgent(page, "interviews").get_by_role("link", name="MP-7").click()
    expect(page.get_by_role("heading", level=1, name=back.person.full_name)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/missing/episodes/{back.pk}/$"))


def test_information_governance_reviews_the_break_glass_opening(page, cast, person):
    application = disclosure_services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_KNOW,
        route=Route.POLICE,
        circumstances="Police hold a report about this child's home.",
        people=[
            disclosure_services.PersonInput(role=PersonRole.SUBJECT, person=person),
            disclosure_services.PersonInput(role=PersonRole.AT_RISK, person=person),
        ],
    )
    police_manager = member(cast.police, Role.MASH_MANAGER, username="police.manager")
    access = break_glass_open(user=police_manager, obj=application, reason="Urgent: child at risk tonight.")
    sign_in(page, cast.governance)
    expect(page.locator("#tray-break_glass")).to_contain_text("1 to review")
    most_urgent(page, "break_glass").get_by_role("link", name=application.reference).click()

    expect(page.get_by_role("heading", level=1, name="Review break-glass access")).to_be_visible()
    page.get_by_label("Justified", exact=True).check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert")).to_contain_text("Review recorded.")
    access.refresh_from_db()
    assert access.review_status == ReviewStatus.JUSTIFIED
    assert not BreakGlassAccess.objects.filter(review_status=ReviewStatus.PENDING).exists()
