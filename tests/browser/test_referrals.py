"""Referrals through the pages: intake with htmx matching, the triage queue, the referral's actions,
the consultation line, and a refusal."""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import Page, expect

from mash.common.dates import format_datetime
from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from referrals.models import Consultation, EventKind, Referral, State
from referrals.services import SubjectInput, referral_create
from tests.browser.helpers import fill_date, sign_in
from tests.factories import PersonFactory

# How a running working clock reads (mash.clocks.calendar.describe_clock): in working time, or, outside
# working hours, when it is due.
DUE = r"(in .+(of working time|working days?\b.*)|\w+ \d\d:\d\d|\d+ \w+ \d{4} \d\d:\d\d)"

pytestmark = pytest.mark.browser

BIRTHDAY = date(2015, 3, 14)


def _known_child():
    return PersonFactory(given_name="Jayden", family_name="Okafor", date_of_birth=BIRTHDAY)


def _open_referral(by, person, **fields) -> Referral:
    data = {
        "kind": "child",
        "channel": "phone",
        "referrer_name": "Priya Shah",
        "referrer_email": "priya.shah@school.invalid",
        "account": "Came to school hungry three days running.",
        "concerns": ["neglect"],
        "consent": "given",
    }
    return referral_create(by=by, subjects=[SubjectInput(person=person)], **{**data, **fields})


def _fill_referral(page: Page, *, concerns=("Neglect", "Emotional abuse"), account="") -> None:
    """The referral, referrer and concern parts of the intake form (not the people)."""
    referral = page.get_by_role("group", name="The referral", exact=True)
    referral.get_by_label("Child", exact=True).check()
    referral.get_by_label("How it came in").select_option(label="Phone call")
    referrer = page.get_by_role("group", name="The referrer", exact=True)
    referrer.get_by_label("Referrer's name").fill("Priya Shah")
    referrer.get_by_label("E-mail").fill("priya.shah@school.invalid")
    concerns_group = page.get_by_role("group", name="Concerns", exact=True)
    for concern in concerns:
        concerns_group.get_by_label(concern, exact=True).check()
    if account:
        page.get_by_label("What happened").fill(account)
    page.get_by_role("group", name="Consent to share").get_by_label("Sought and given", exact=True).check()


def _type_person(row, given: str, family: str, born: date | None = None) -> None:
    # Family name first: a practitioner types the surname, as on a referral form.
    row.get_by_label("Family name", exact=True).fill(family)
    row.get_by_label("Given name", exact=True).fill(given)
    if born:
        fill_date(row, "Date of birth", born)


def _choose_match(row, person: Person, reason: str) -> None:
    """Wait for ``person`` among the row's possible matches, with ``reason``, and choose them."""
    match = row.get_by_role("radio", name=re.compile(rf"^{person.given_name} {person.family_name}\b"))
    expect(match).to_have_accessible_description(re.compile(re.escape(reason)))
    match.check()
    expect(match).to_be_checked()


def test_a_triage_practitioner_records_a_referral_of_two_people_one_already_known(page, cast):
    known = _known_child()
    sign_in(page, cast.triage)
    page.get_by_role("link", name="Triage queue").click()
    page.get_by_role("link", name="Record a referral").click()
    expect(page.get_by_role("heading", level=1, name="Record a referral")).to_be_visible()

    _fill_referral(page, account="Jayden said his stepfather hit him; his sister Amara saw it.")

    first = page.get_by_role("group", name="First person", exact=True)
    _type_person(first, "Jayden", "Okafor", BIRTHDAY)
    _choose_match(first, known, "Same name and date of birth")

    second = page.get_by_role("group", name="Second person", exact=True)
    second.get_by_label("Role", exact=True).select_option(label="Sibling")
    _type_person(second, "Amara", "Okafor", date(2012, 9, 1))
    expect(second.get_by_text("No one known matches.")).to_be_visible()
    expect(second.get_by_role("radio", name="A new person (as typed)")).to_be_checked()

    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Referral MASH-\S+ recorded\."))
    referral = Referral.objects.get()
    expect(page.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    expect(
        page.locator("main p.govuk-body").filter(has_text=re.compile(rf"Decision due {DUE}"))
    ).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Jayden Okafor (subject)")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Amara Okafor (sibling)")).to_be_visible()

    matched, sibling = referral.subjects.select_related("person").order_by("pk")
    assert (matched.person_id, matched.role) == (known.pk, "subject")
    assert (sibling.person.full_name, sibling.person.date_of_birth, sibling.role) == (
        "Amara Okafor",
        date(2012, 9, 1),
        "sibling",
    )
    assert Person.objects.count() == 2  # the known child was not added again
    assert referral.concerns == ["emotional", "neglect"]
    assert (referral.consent, referral.referrer_email) == ("given", "priya.shah@school.invalid")

    page.get_by_role("link", name="Triage queue").click()
    expect(page.get_by_role("heading", level=1, name="Triage queue")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=referral.reference))
    expect(row).to_contain_text("Jayden Okafor")
    expect(row).to_contain_text("Amara Okafor (sibling)")
    expect(row).to_contain_text(re.compile(rf"Due {DUE}"))
    due_at = timezone.localtime(referral.decision_clock.due_at)
    expect(row).to_contain_text(f"by {format_datetime(due_at)}")


def test_the_intake_form_refuses_a_referral_without_a_concern_or_an_account(page, cast):
    sign_in(page, cast.triage)
    page.goto("/referrals/new/")
    _fill_referral(page, concerns=())
    _type_person(page.get_by_role("group", name="First person", exact=True), "Amara", "Okafor")
    second = page.get_by_role("group", name="Second person", exact=True)
    _type_person(second, "Kofi", "Okafor")
    second.get_by_label("NHS number", exact=True).fill("943 476 5918")
    page.get_by_role("button", name="Record referral").click()

    # Every section's errors at once, the person named by their place.
    expect(page).to_have_title("Error: Record a referral - MASH case management")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter what happened.")).to_be_visible()
    nhs = "The NHS number of the second person is not valid: its check digit does not match."
    summary.get_by_role("link", name=nhs).click()
    expect(page.get_by_role("group", name="Second person").get_by_label("NHS number")).to_be_focused()
    summary.get_by_role("link", name="Choose at least one concern category.").click()
    expect(page.get_by_role("group", name="Concerns").get_by_role("checkbox").first).to_be_focused()
    # What was typed is kept.
    expect(page.get_by_role("group", name="First person").get_by_label("Given name")).to_have_value("Amara")
    assert Referral.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_possible_duplicate_is_pointed_out_and_recorded_once_confirmed_new(page, cast):
    child = _known_child()
    earlier = _open_referral(cast.triage, child)
    sign_in(page, cast.triage)
    page.goto("/referrals/new/")
    _fill_referral(page, account="A second call: seen out late again.")
    first = page.get_by_role("group", name="First person", exact=True)
    _type_person(first, "Jayden", "Okafor", BIRTHDAY)
    _choose_match(first, child, f"Referral {earlier.reference}")
    page.get_by_role("button", name="Record referral").click()

    expect(page.get_by_text("This may be a duplicate.")).to_be_visible()
    expect(page.get_by_role("link", name=earlier.reference)).to_be_visible()
    assert Referral.objects.count() == 1
    # The person chosen is still chosen.
    expect(first.get_by_role("radio", name=re.compile(r"^Jayden Okafor"))).to_be_checked()

    page.get_by_label("This is a new referral, not a duplicate").check()
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_role("alert")).to_contain_text("recorded.")
    later = Referral.objects.exclude(pk=earlier.pk).get()
    expect(page.get_by_role("heading", level=1, name=later.reference)).to_be_visible()
    assert [link.person_id for link in later.subjects.all()] == [child.pk]
    assert Person.objects.count() == 1


def test_add_another_person_adds_a_third_row(page, cast):
    sign_in(page, cast.triage)
    page.goto("/referrals/new/")
    expect(page.get_by_role("group", name=re.compile(r"^\w+ person$"))).to_have_count(2)
    page.get_by_role("button", name="Add another person").click()
    third = page.get_by_role("group", name="Third person", exact=True)
    expect(third).to_be_visible()
    expect(page.locator("#id_subjects-TOTAL_FORMS")).to_have_value("3")
    # The new row matches as the first two do.
    third.get_by_label("Family name", exact=True).fill("Okafor")
    third.get_by_label("Given name", exact=True).fill("Tobi")
    expect(third.get_by_text("No one known matches.")).to_be_visible()


def test_a_referral_is_screened_rated_decided_and_closed(page, cast, open_page):
    referral = _open_referral(cast.triage, _known_child())
    sign_in(page, cast.triage)
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("button", name="Start screening").click()
    expect(page.get_by_role("alert")).to_contain_text("Referral moved on.")
    state = page.locator("main strong.govuk-tag").first
    expect(state).to_have_text("Screening")

    rate = page.locator("form").filter(has=page.get_by_role("button", name="Save rating"))
    rate.get_by_label("Amber", exact=True).check()
    rate.get_by_role("button", name="Save rating").click()
    expect(page).to_have_title(f"Error: Referral {referral.reference} - MASH case management")
    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Rationale: Give the rationale for this rating.").click()
    expect(page.get_by_label("Rationale")).to_be_focused()
    referral.refresh_from_db()
    assert referral.rag == ""

    rate = page.locator("form").filter(has=page.get_by_role("button", name="Save rating"))
    rate.get_by_label("Amber", exact=True).check()
    rate.get_by_label("Rationale").fill("Repeated neglect, no immediate danger.")
    rate.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("RAG rating recorded.")
    expect(page.locator(".mash-rag", has_text="Amber")).to_be_visible()
    expect(page.get_by_text("Repeated neglect, no immediate danger.").first).to_be_visible()

    decider = open_page()
    sign_in(decider, cast.decision_maker)
    decider.goto(f"/referrals/{referral.pk}/")
    outcome = decider.locator("form").filter(has=decider.get_by_role("button", name="Record outcome"))
    outcome.get_by_label("Early help", exact=True).check()
    outcome.get_by_label("Rationale").fill("Family support worker; school to monitor.")
    outcome.get_by_role("button", name="Record outcome").click()
    expect(decider.get_by_role("alert")).to_contain_text("Outcome recorded; the decision clock has stopped.")
    expect(decider.get_by_text("Decision made in time")).to_be_visible()

    page.reload()
    page.get_by_role("button", name="Close referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Referral closed and the referrer told.")
    expect(state).to_have_text("Closed")
    timeline = page.locator(".mash-timeline")
    expect(timeline).to_contain_text("Feedback sent to the referrer")
    expect(timeline).to_contain_text("E-mailed to priya.shah@school.invalid")
    referral.refresh_from_db()
    assert (referral.state, referral.rag, referral.outcome) == (State.CLOSED, "amber", "early_help")
    assert referral.timeline.filter(kind=EventKind.FEEDBACK).count() == 1


def test_a_consultation_call_is_logged_and_made_a_referral(page, cast):
    sign_in(page, cast.triage)
    page.get_by_role("link", name="Consultation line").click()
    page.get_by_role("link", name="Log a call").click()
    page.get_by_label("Caller's name").fill("Dev Patel")
    page.get_by_label("Organisation").fill("Riverside Primary")
    page.get_by_label("Who was discussed").fill("girl, 7, Year 2")
    page.get_by_label("The caller's question").fill("Bruises seen twice this month: refer?")
    page.get_by_label("Advice given").fill("Yes: make a referral today.")
    page.get_by_label("A referral was advised").check()
    page.get_by_role("button", name="Log call").click()
    expect(page.get_by_role("alert")).to_contain_text("Consultation call logged.")
    expect(page.get_by_role("heading", level=1, name="Call from Dev Patel")).to_be_visible()

    page.get_by_role("link", name="Consultation line").click()
    row = page.get_by_role("row").filter(has_text="Dev Patel, Riverside Primary")
    expect(row).to_contain_text("girl, 7, Year 2")
    expect(row).to_contain_text("Advised, not yet made")
    row.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1, name="Call from Dev Patel")).to_be_visible()
    page.get_by_role("group", name="Concerns").get_by_label("Physical abuse").check()
    person = page.get_by_role("group", name="The person the referral is about")
    person.get_by_label("Given name").fill("Lily")
    person.get_by_label("Family name").fill("Hughes")
    page.get_by_role("button", name="Make a referral from this call").click()

    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Referral MASH-\S+ made from the call\."))
    referral = Referral.objects.get()
    expect(page.get_by_role("heading", level=1, name=referral.reference)).to_be_visible()
    received = page.locator(".govuk-summary-list__row").filter(has_text="Received")
    expect(received).to_contain_text("by consultation call")
    expect(page.get_by_role("heading", level=3, name="Lily Hughes (subject)")).to_be_visible()
    assert Consultation.objects.get().referral == referral
    assert (referral.channel, referral.concerns) == ("consultation", ["physical"])


def test_an_outsider_gets_not_found_for_a_referral_and_the_refusal_is_logged(page, cast):
    referral = _open_referral(cast.triage, _known_child())
    sign_in(page, cast.outsider)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_text(referral.reference)).to_have_count(0)
    expect(page.get_by_text("Okafor")).to_have_count(0)
    assert AccessLog.objects.filter(
        user=cast.outsider,
        action=AccessAction.DENIED,
        content_type=ContentType.objects.get_for_model(Referral),
        object_id=str(referral.pk),
    ).exists()
