"""Information governance logs a subject access request, verifies the identity, compiles what is held,
decides the flagged item and reaches the response's download; axe checks every page on the way."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mash.people import chronology
from mash.subject_access.models import Decision, State, SubjectAccessRequest
from tests.browser.helpers import fill_date, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def flagged_event(monkeypatch, cast, person):
    monkeypatch.setattr(chronology, "_sources", [])

    def source(viewer, who):
        return [
            chronology.Event(
                at=datetime(2026, 1, 6, 10, tzinfo=ZoneInfo("Europe/London")),
                kind="Answer from Constabulary",
                title="Police intelligence",
                summary="Intelligence about an associate.",
                release_flags=("police intelligence",),
            )
        ]

    chronology.register_chronology_source(source)


def test_governance_answers_a_subject_access_request(page, cast, person, flagged_event):
    sign_in(page, cast.governance)
    page.goto("/governance/subject-access/")
    expect(page.get_by_role("heading", level=1, name="Subject access requests")).to_be_visible()
    expect(page.get_by_text("No subject access requests match.")).to_be_visible()
    page.get_by_role("link", name="Log a request").click()

    page.get_by_label("Given name").fill("Jayden")
    page.get_by_label("Family name").fill("Smith")
    page.get_by_role("button", name="Find the person").click()
    page.get_by_label("Jayden Smith", exact=False).check()
    page.get_by_label("Name of the person asking").fill("Kayleigh Smith")
    page.get_by_label("A parent with parental responsibility").check()
    page.get_by_label("Where the response goes").fill("12 High Street, Ipswich")
    fill_date(page, "Date received", timezone.localdate() + timedelta(days=1))
    page.get_by_role("button", name="Log the request").click()
    expect(page.get_by_role("alert")).to_contain_text("The date received must be today or in the past.")
    fill_date(page, "Date received", timezone.localdate())
    page.get_by_role("button", name="Log the request").click()

    sar = SubjectAccessRequest.objects.get()
    expect(page.get_by_role("heading", level=1, name=sar.reference)).to_be_visible()
    expect(page.get_by_text("Not verified yet")).to_be_visible()
    page.get_by_label("Photographic identity document seen in person").check()
    page.get_by_role("button", name="Record the verification").click()
    page.get_by_role("button", name="Compile", exact=True).click()
    expect(page.get_by_text("police intelligence").first).to_be_visible()

    page.get_by_role("link", name="Answer from Constabulary: Police intelligence").click()
    page.get_by_label("Withhold").check()
    page.get_by_label("Exemption").select_option("law_enforcement")
    page.get_by_label("Reason").fill("An investigation is under way.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("link", name="Download the response (PDF)")).to_be_visible()
    sar.refresh_from_db()
    assert sar.state == State.DECIDED
    assert sar.items.filter(decision=Decision.PENDING).count() == 0
