"""Adding a person through the page, with the htmx check for people already known."""

import pytest
from playwright.sync_api import expect

from mash.people.models import Person
from tests.browser.helpers import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_a_triage_practitioner_adds_a_person_after_checking_the_possible_matches(page, cast, person):
    sign_in(page, cast.triage)
    page.goto("/people/new/")
    expect(page.get_by_role("heading", level=1, name="Add a person")).to_be_visible()

    # Jayden Smith's twin sister: the same family name and date of birth.
    page.get_by_label("Given name", exact=True).fill("Maya")
    page.get_by_label("Family name", exact=True).fill("Smith")
    fill_date(page, "Date of birth", person.date_of_birth)
    matches = page.locator("#matches")
    expect(matches.get_by_role("link", name="Jayden Smith")).to_be_visible()
    expect(matches).to_contain_text("Family name sounds alike, same date of birth")

    page.get_by_label("NHS number", exact=True).fill("943 476 5920")
    page.get_by_role("button", name="Add person").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The NHS number is not valid: its check digit does not match.")
    expect(page).to_have_title("Error: Add a person - MASH case management")
    summary.get_by_role("link", name="NHS number").click()
    expect(page.get_by_label("NHS number", exact=True)).to_be_focused()
    assert not Person.objects.filter(given_name="Maya").exists()

    page.get_by_label("NHS number", exact=True).fill("943 476 5927")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1, name="Maya Smith")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Maya Smith added.")
    expect(page.get_by_role("definition").filter(has_text="9434765927")).to_be_visible()
    maya = Person.objects.get(given_name="Maya", family_name="Smith")
    assert maya.nhs_number == "9434765927"
    assert maya.date_of_birth == person.date_of_birth
    assert page.url.endswith(f"/people/{maya.pk}/")
