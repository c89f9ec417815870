"""Information requests through the pages: the MASH asks partner agencies, the police researcher
answers from the notification with a graded entry, and the lead agency sees the answers collated."""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Page, expect

from mash.notifications.delivery import deliver_many
from mash.notifications.models import Notification
from mash.sharing.models import AccessAction, AccessLog
from referrals import services
from referrals.models import InformationRequest, RequestStatus, ResponseEntry
from referrals.requests import services as request_services
from referrals.services import SubjectInput
from tests.browser.helpers import fill_date, sign_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

POLICE_QUESTIONS = "Any domestic abuse call-outs to the address?\nAny warning markers on the adults?"
HEALTH_QUESTIONS = "Is the child registered with a GP? Any attendances at A&E this year?"
CONDITIONS = "Do not disclose to the family without consulting the MASH police officer."


def _gathering(cast, person):
    """A red referral in information gathering, about two people (as the services would leave it)."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mrs Price",
        referrer_email="dsl@school.example",
        referrer_phone="01473 111111",
        account="Bruising seen at school.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(person=person), SubjectInput(person=sibling, role="sibling")],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral, sibling


def _ask(cast, referral, *agencies) -> list[InformationRequest]:
    return request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[
            request_services.RequestInput(agency=a, questions=f"What does {a} know?") for a in agencies
        ],
    )


def _deliver_pending() -> None:
    """What the Celery worker would do: send every pending e-mail."""
    deliver_many(Notification.objects.filter(status="pending").values_list("pk", flat=True))


def _person_block(page: Page, name: str):
    """The collation's row of agency columns under a person's heading."""
    return page.locator(f"xpath=//h2[normalize-space(.)='{name}']/following-sibling::div[1]")


def test_police_and_health_are_asked_and_the_graded_police_answer_is_collated(page, cast, person, open_page):
    referral, sibling = _gathering(cast, person)

    # The triage practitioner flags the police and health.
    sign_in(page, cast.triage)
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Ask partner agencies").click()
    expect(page.get_by_role("heading", level=1, name="Ask partner agencies")).to_be_visible()
    police = page.get_by_role("group", name=re.compile(r"^Constabulary\b"))
    police.get_by_label("Ask Constabulary").check()
    police.get_by_label("Questions for Constabulary").fill(POLICE_QUESTIONS)
    health = page.get_by_role("group", name=re.compile(r"^Integrated Care Board\b"))
    health.get_by_label("Ask Integrated Care Board").check()
    health.get_by_label("Questions for Integrated Care Board").fill(HEALTH_QUESTIONS)
    page.get_by_role("button", name="Send requests").click()
    expect(page.get_by_role("alert")).to_contain_text("Asked 2 agencies")
    expect(page.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    police_request = InformationRequest.objects.get(referral=referral, agency=cast.police)
    assert InformationRequest.objects.get(referral=referral, agency=cast.health).questions == HEALTH_QUESTIONS
    # A browser submits a textarea's line breaks as CRLF, and they are stored as sent.
    assert police_request.questions.splitlines() == POLICE_QUESTIONS.splitlines()

    _deliver_pending()

    # The police researcher, in another browser, opens the notification.
    researcher = open_page()
    sign_in(researcher, cast.police_researcher)
    researcher.get_by_role("link", name=re.compile(r"^Inbox")).click()
    title = f"Information requested: {referral.reference} (Red)"
    message = researcher.get_by_role("row").filter(has_text=title)
    expect(message).to_have_count(1)
    message.get_by_role("button", name=re.compile(r"^Open")).click()

    expect(researcher).to_have_url(re.compile(rf"/referrals/requests/{police_request.pk}/$"))
    expect(researcher.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    expect(researcher.get_by_text("Request to Constabulary")).to_be_visible()
    expect(researcher.get_by_text("Any warning markers on the adults?")).to_be_visible()

    researcher.get_by_role("button", name="Assign to me").click()
    expect(researcher.get_by_role("alert")).to_contain_text("The request is assigned to you.")
    assigned = researcher.locator(".govuk-summary-list__row").filter(has_text="Assigned to")
    expect(assigned).to_contain_text(cast.police_researcher.get_full_name())
    expect(researcher.get_by_role("button", name="Assign to me")).to_have_count(0)

    # A graded entry for the subject…
    researcher.get_by_label("About", exact=True).select_option(label=person.full_name)
    researcher.get_by_label("Source system or record").fill("Niche RMS")
    fill_date(researcher, "Date of the information", date(2024, 11, 2))
    researcher.get_by_label("Summary", exact=True).fill("Domestic abuse call-out to the home address")
    researcher.get_by_label("Detail", exact=True).fill("Officers attended; the child was present.")
    researcher.get_by_label("Source evaluation").select_option(label="1: reliable")
    researcher.get_by_label("Intelligence assessment").select_option(
        label="B: known indirectly but corroborated"
    )
    researcher.get_by_label("Handling code", exact=True).select_option(
        label="C: lawful sharing permitted with conditions"
    )
    researcher.get_by_label("Handling conditions").fill(CONDITIONS)
    researcher.get_by_role("button", name="Save entry").click()
    expect(researcher.get_by_role("alert")).to_contain_text("Entry saved to the draft answer.")
    expect(
        researcher.get_by_role("heading", name="Domestic abuse call-out to the home address")
    ).to_be_visible()

    # …and nothing known about the sibling.
    researcher.get_by_label("About", exact=True).select_option(label=sibling.full_name)
    researcher.get_by_label("Nothing known about this person").check()
    researcher.get_by_role("button", name="Save entry").click()
    expect(researcher.get_by_role("alert")).to_contain_text("Entry saved to the draft answer.")

    researcher.get_by_role("button", name="Submit answer").click()
    expect(researcher.get_by_role("alert")).to_contain_text("Answer submitted. The MASH has been told.")
    expect(researcher.get_by_text("Answered", exact=True)).to_be_visible()
    expect(researcher.get_by_role("button", name="Submit answer")).to_have_count(0)

    police_request.refresh_from_db()
    assert (police_request.status, police_request.answered_by) == (
        RequestStatus.ANSWERED,
        cast.police_researcher,
    )
    graded = ResponseEntry.objects.get(request=police_request, person=person)
    assert (graded.source_evaluation, graded.intelligence_assessment, graded.handling_code) == ("1", "B", "C")
    assert (graded.handling_conditions, graded.information_date) == (CONDITIONS, date(2024, 11, 2))
    assert ResponseEntry.objects.get(request=police_request, person=sibling).nothing_known

    # The practitioner sees the police answer, graded, beside health's (still awaited).
    page.reload()
    page.get_by_role("link", name="See all the answers side by side").click()
    expect(page.get_by_role("heading", level=1, name="Partner agencies' answers")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Waiting for: Integrated Care Board \(.+\)\."))).to_be_visible()

    subject = _person_block(page, person.full_name)
    police_column = subject.locator(".govuk-grid-column-one-half").filter(
        has=page.get_by_role("heading", level=3, name="Constabulary (answered)")
    )
    card = police_column.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", level=4, name="Domestic abuse call-out to the home address")
    )
    expect(card).to_be_visible()
    grading = card.locator(".govuk-summary-list__row").filter(has_text="Grading")
    expect(grading).to_contain_text("1BC")
    expect(grading).to_contain_text("1: reliable; B: known indirectly but corroborated")
    conditions = card.locator(".govuk-summary-list__row").filter(has_text="Handling conditions")
    expect(conditions).to_contain_text(CONDITIONS)
    expect(card).to_contain_text("Niche RMS, 2 November 2024")
    health_column = subject.locator(".govuk-grid-column-one-half").filter(
        has=page.get_by_role("heading", level=3, name="Integrated Care Board (awaiting answer)")
    )
    expect(health_column).to_contain_text("No entry yet.")

    second = _person_block(page, sibling.full_name)
    expect(
        second.locator(".govuk-grid-column-one-half")
        .filter(has=page.get_by_role("heading", level=3, name="Constabulary (answered)"))
        .get_by_role("heading", level=4, name="Nothing known")
    ).to_be_visible()


def test_another_agency_gets_not_found_for_the_police_request(page, cast, person):
    referral, _ = _gathering(cast, person)
    police_request, health_request = _ask(cast, referral, cast.police, cast.health)
    assert police_request.agency == cast.police

    sign_in(page, cast.health_researcher)
    page.get_by_role("link", name="Agency requests").click()
    expect(page.get_by_role("heading", level=1, name="Requests to Integrated Care Board")).to_be_visible()
    links = page.get_by_role("table").get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", f"/referrals/requests/{health_request.pk}/")

    response = page.goto(f"/referrals/requests/{police_request.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_text("What does Constabulary know?")).to_have_count(0)
    assert AccessLog.objects.filter(
        user=cast.health_researcher,
        action=AccessAction.DENIED,
        content_type=ContentType.objects.get_for_model(InformationRequest),
        object_id=str(police_request.pk),
    ).exists()


def test_a_police_entry_without_its_grading_is_refused_and_not_saved(page, cast, person):
    referral, _ = _gathering(cast, person)
    (police_request,) = _ask(cast, referral, cast.police)

    sign_in(page, cast.police_researcher)
    page.goto(f"/referrals/requests/{police_request.pk}/")
    page.get_by_label("About", exact=True).select_option(label=person.full_name)
    page.get_by_label("Source system or record").fill("Niche RMS")
    page.get_by_label("Summary", exact=True).fill("Missing from home twice")
    page.get_by_role("button", name="Save entry").click()

    expect(page).to_have_title(f"Error: Request about {referral.reference} - MASH case management")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    link = summary.get_by_role("link", name=re.compile(r"^Source evaluation: Police information needs its"))
    expect(link).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(r"^Intelligence assessment: "))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(r"^Handling code: "))).to_be_visible()
    link.click()
    grading = page.get_by_label("Source evaluation")
    expect(grading).to_be_focused()
    expect(grading).to_have_accessible_description(
        re.compile(r"Police information needs its source evaluation")
    )
    # What was typed is kept; nothing was saved.
    expect(page.get_by_label("Summary", exact=True)).to_have_value("Missing from home twice")
    assert not ResponseEntry.objects.filter(request=police_request).exists()
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN
