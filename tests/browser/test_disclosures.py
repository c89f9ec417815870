"""A Clare's Law application through the pages: the data administrator records a Right to Ask and
prepares it, the police researcher compiles the package, the decision maker decides to disclose and
records the disclosure, which enters the dissemination log."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from disclosures import services
from disclosures.models import (
    Application,
    DisclosureRecord,
    Outcome,
    PackageStatus,
    PersonRole,
    Route,
    Scheme,
    SectionKind,
    Stage,
)
from mash.sharing.models import DisseminationMethod
from tests.browser.helpers import fill_date, sign_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

CONCERN = "Her daughter's new partner; a friend says he hit his last partner."
WORDING = "Dorian Pemberton has a conviction for assaulting a former partner, in 2021."
SAFETY_PLAN = "Referred to the domestic abuse service; Ines has the number of the local IDVA."


def _banner(page: Page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def _person(page: Page, number: int, *, role: str, given: str, family: str, born: date, gender: str) -> None:
    row = page.get_by_role("group", name=f"Person {number}", exact=True)
    row.get_by_label("Role").select_option(label=role)
    row.get_by_label("Given name").fill(given)
    row.get_by_label("Family name").fill(family)
    fill_date(row, "Date of birth", born)
    row.get_by_label("Gender").select_option(label=gender)


def _record_the_application(page: Page, received) -> Application:
    page.get_by_role("link", name="Disclosures").click()
    expect(page.get_by_role("heading", level=1, name="Disclosure applications")).to_be_visible()
    page.get_by_role("link", name="Record an application").click()
    expect(page.get_by_role("heading", level=1, name="Record a disclosure application")).to_be_visible()
    page.get_by_label("Clare's Law: Right to Ask").check()
    page.get_by_label("How it came in").select_option(label="Phone call (101)")
    # She phoned this morning; the record is made now.
    fill_date(page, "Received", received)
    page.get_by_label("Why the application is made").fill(CONCERN)
    page.get_by_label("The applicant's relation to the person at risk or the child").fill("Mother of Ines")
    page.get_by_label("How to contact the applicant safely").fill("Mobile 07700 900123, any time")
    _person(
        page, 1, role="Applicant", given="Keziah", family="Oduya", born=date(1968, 2, 11), gender="Female"
    )
    _person(
        page,
        2,
        role="Subject (about whom disclosure may be made)",
        given="Dorian",
        family="Pemberton",
        born=date(1990, 7, 30),
        gender="Male",
    )
    _person(
        page, 3, role="Person at risk", given="Ines", family="Oduya", born=date(1995, 5, 2), gender="Female"
    )
    page.get_by_role("button", name="Record the application").click()

    application = Application.objects.get()
    _banner(page, f"Application {application.reference} recorded")
    expect(page.get_by_role("heading", level=1, name=application.reference)).to_be_visible()
    expect(page.locator(".govuk-tag").filter(has_text="Initial risk checks")).to_be_visible()
    return application


def _prepare(page: Page, application: Application, researcher, met) -> None:
    """The initial checks (no immediate risk), the verification and meeting, the researcher."""
    checks = page.locator("form").filter(has=page.get_by_role("button", name="Record the checks"))
    checks.get_by_label("No", exact=True).check()
    checks.get_by_label("What was checked and found").fill(
        "PNC, PND and command and control: no live incident."
    )
    checks.get_by_role("button", name="Record the checks").click()
    _banner(page, "Initial checks recorded.")
    expect(page.get_by_text("No immediate risk: PNC, PND and command and control")).to_be_visible()

    verify = page.locator("form").filter(has=page.get_by_role("button", name="Record the verification"))
    verify.get_by_label("How the identity was verified").fill("Passport and a utility bill seen")
    fill_date(verify, "Face-to-face meeting", met)
    verify.get_by_label("Notes of the meeting").fill("Met at Ipswich police station with her daughter.")
    verify.get_by_role("button", name="Record the verification").click()
    _banner(page, "Identity verification and meeting recorded.")

    assign = page.locator("form").filter(has=page.get_by_role("button", name="Assign"))
    assign.get_by_label("Researcher").select_option(label=researcher.get_full_name())
    assign.get_by_role("button", name="Assign").click()
    _banner(page, "Researcher assigned; they have been told.")
    researcher_row = page.locator(".govuk-summary-list__row").filter(has_text="Researcher")
    expect(researcher_row).to_contain_text(researcher.get_full_name())
    application.refresh_from_db()
    assert (application.stage, application.researcher) == (Stage.RESEARCH, researcher)


def _compile(page: Page, application: Application) -> None:
    """The researcher: one graded PNC entry, every other section checked with nothing found, the
    summary, and the submission."""
    page.get_by_role("link", name="Disclosures").click()
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("link", name="Open version 1 of the package").click()
    expect(page.get_by_role("heading", level=1, name="Research package, version 1")).to_be_visible()

    pnc = page.locator("#section-pnc")
    pnc.get_by_text("Add what was found").click()
    pnc.get_by_label("Source system or record").fill("PNC")
    fill_date(pnc, "Date of the information", date(2021, 3, 14))
    pnc.get_by_label("Summary", exact=True).fill("Convicted of assault on a former partner")
    pnc.get_by_label("Detail", exact=True).fill(
        "Assault by beating, Ipswich magistrates; 12 weeks suspended."
    )
    # Police information without its 3x5x2 is refused, and what was typed is kept.
    pnc.get_by_role("button", name="Add the entry to Police National Computer").click()
    problem = page.locator("#section-pnc").get_by_role("alert")
    expect(problem).to_contain_text("There is a problem")
    expect(
        problem.get_by_role(
            "link", name="Source evaluation: Police information needs its source evaluation (1-3)."
        )
    ).to_be_visible()
    pnc = page.locator("#section-pnc")
    expect(pnc.get_by_label("Summary", exact=True)).to_have_value("Convicted of assault on a former partner")
    pnc.get_by_label("Source evaluation").select_option(label="1: reliable")
    pnc.get_by_label("Intelligence assessment").select_option(label="A: known directly to the source")
    pnc.get_by_label("Handling code", exact=True).select_option(label="P: lawful sharing permitted")
    pnc.get_by_role("button", name="Add the entry to Police National Computer").click()
    _banner(page, "Entry added.")
    expect(page.locator("#section-pnc h2 .govuk-tag")).to_have_text("1 found")
    expect(page.locator("#section-pnc")).to_contain_text("1AP: 1: reliable; A: known directly to the source")

    for kind in SectionKind:
        if kind == SectionKind.PNC:
            continue
        section = page.locator(f"#section-{kind.value}")
        section.get_by_text("What was checked").first.click()
        section.get_by_label("Checked, nothing found").check()
        section.get_by_label("What was checked", exact=True).fill(
            f"{kind.label} searched by name and date of birth."
        )
        section.get_by_role("button", name=f"Save {kind.label}").click()
        _banner(page, f"{kind.label} saved.")
        expect(page.locator(f"#section-{kind.value} h2 .govuk-tag")).to_have_text("Checked, nothing found")

    page.get_by_label("Summary for the decision maker").fill(
        "One conviction for assaulting a former partner (PNC, 1AP); nothing else held."
    )
    page.get_by_role("button", name="Save the summary").click()
    _banner(page, "Summary saved.")
    expect(page.get_by_text("Every section is checked.")).to_be_visible()
    page.get_by_role("button", name="Submit version 1").click()
    _banner(page, "Version 1 submitted and locked")
    expect(page.get_by_role("heading", level=1, name=application.reference)).to_be_visible()
    package = application.packages.get()
    assert package.status == PackageStatus.SUBMITTED


def _decide_and_disclose(page: Page, application: Application) -> None:
    page.goto(f"/disclosures/{application.pk}/")
    expect(page.get_by_role("heading", level=1, name=application.reference)).to_be_visible()
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_text("One conviction for assaulting a former partner (PNC, 1AP)")).to_be_visible()
    page.get_by_role("link", name=application.reference).click()

    decision = page.locator("form").filter(has=page.get_by_role("button", name="Record the decision"))
    decision.get_by_label("Disclose", exact=True).check()
    decision.get_by_label("Lawful: why").fill("Common law power to disclose to prevent a crime.")
    decision.get_by_label("Necessary: why").fill("Ines is at risk of serious harm from a violent partner.")
    decision.get_by_label("Proportionate: why").fill("Only the conviction is disclosed, to Ines alone.")
    decision.get_by_label("What will be disclosed (the words to be used)").fill(WORDING)
    decision.get_by_label("To whom: the person best placed to protect").fill("Ines Oduya")
    decision.get_by_label("Their relation").fill("His partner")
    decision.get_by_role("button", name="Record the decision").click()
    _banner(page, "Decision recorded.")

    disclosure = page.locator("form").filter(has=page.get_by_role("button", name="Record the disclosure"))
    # The form starts from the decision: the words and the recipient; the time offered (now, to the
    # minute) is kept, as a decision maker recording a disclosure just made would keep it.
    expect(disclosure.get_by_label("The words used")).to_have_value(WORDING)
    expect(disclosure.get_by_label("Told to")).to_have_value("Ines Oduya")
    disclosure.get_by_label("Where", exact=True).fill("Ipswich police station, interview room 2")
    disclosure.get_by_label("Their relation").fill("His partner")
    disclosure.get_by_label(
        "They were told the disclosure is confidential and may not be shared further"
    ).check()
    disclosure.get_by_label("They acknowledged the warning").check()
    disclosure.get_by_label("Safety plan").fill(SAFETY_PLAN)
    disclosure.get_by_role("button", name="Record the disclosure").click()
    _banner(page, "Disclosure recorded, and entered in the dissemination log.")


def test_intake_summarises_every_problem_keeps_the_match_chosen_and_points_out_an_open_application(
    page, cast
):
    # Dorian is known, and the subject of an application not yet decided.
    dorian = PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1990, 7, 30))
    ines = PersonFactory(given_name="Ines", family_name="Oduya", date_of_birth=date(1995, 5, 2))
    open_one = services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_KNOW,
        route=Route.POLICE,
        circumstances="Police information: a risk to his new partner.",
        people=[
            services.PersonInput(role=PersonRole.SUBJECT, person=dorian),
            services.PersonInput(role=PersonRole.AT_RISK, person=ines),
        ],
    )
    sign_in(page, cast.data_admin)
    page.goto("/disclosures/new/")
    page.get_by_label("Clare's Law: Right to Ask").check()
    _person(
        page,
        1,
        role="Applicant, and the person at risk",
        given="",
        family="Oduya",
        born=date(1968, 2, 11),
        gender="Female",
    )
    _person(
        page,
        2,
        role="Subject (about whom disclosure may be made)",
        given="Dorian",
        family="Pemberton",
        born=date(1990, 7, 30),
        gender="Male",
    )
    page.get_by_role("button", name="Record the application").click()

    # Every problem at once, each naming whom it is about.
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Say why the application is made.")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the given name of the applicant.")).to_be_visible()
    choose = "Choose whether the subject is one of the matching people, or a new person."
    summary.get_by_role("link", name=choose).click()
    known = page.get_by_role("radio", name=re.compile(r"^Dorian Pemberton, born 30 July 1990"))
    expect(known).to_be_focused()
    known.check()
    page.get_by_role("group", name="Person 1", exact=True).get_by_label("Given name").fill("Keziah")
    page.get_by_role("button", name="Save with the people chosen").click()

    # The choice is kept; Dorian's open application is pointed out, and must be confirmed as another.
    expect(summary.get_by_role("link", name="Say why the application is made.")).to_be_visible()
    expect(summary.get_by_role("link", name=choose)).to_have_count(0)
    expect(known).to_be_checked()
    expect(page.get_by_text("This may be a duplicate.")).to_be_visible()
    expect(page.get_by_role("link", name=open_one.reference)).to_be_visible()
    page.get_by_label("Why the application is made").fill(CONCERN)
    page.get_by_label("The applicant's relation to the person at risk or the child").fill("Herself")
    page.get_by_label("This is a new application, not a duplicate of the open application shown").check()
    page.get_by_role("button", name="Save with the people chosen").click()

    application = Application.objects.exclude(pk=open_one.pk).get()
    _banner(page, f"Application {application.reference} recorded")
    assert application.people.get(role=PersonRole.SUBJECT).person == dorian


def test_a_right_to_ask_is_recorded_researched_decided_and_disclosed(page, cast, open_page):
    now = timezone.now()

    # The data administrator records the application and prepares it for research.
    sign_in(page, cast.data_admin)
    application = _record_the_application(page, received=now - timedelta(hours=3))
    assert {(link.role, link.person.full_name) for link in application.people.select_related("person")} == {
        (PersonRole.APPLICANT, "Keziah Oduya"),
        (PersonRole.SUBJECT, "Dorian Pemberton"),
        (PersonRole.AT_RISK, "Ines Oduya"),
    }
    _prepare(page, application, cast.police_researcher, met=now - timedelta(hours=1))

    # The researcher compiles the package, in another browser.
    researcher = open_page()
    sign_in(researcher, cast.police_researcher)
    _compile(researcher, application)

    # The decision maker decides and records the disclosure.
    decider = open_page()
    sign_in(decider, cast.police_decision_maker)
    _decide_and_disclose(decider, application)

    expect(decider.get_by_text("Disclosure made", exact=True)).to_be_visible()
    record = DisclosureRecord.objects.get(application=application)
    log = decider.locator(".govuk-summary-list__row").filter(has_text="Dissemination log")
    expect(log).to_contain_text(f"Entry {record.dissemination_id}")
    expect(decider.locator(".govuk-summary-list__row").filter(has_text="Safety plan")).to_contain_text(
        SAFETY_PLAN
    )
    expect(decider.get_by_text("Warning given and acknowledged")).to_be_visible()
    expect(decider.get_by_role("button", name="Record the disclosure")).to_have_count(0)

    application.refresh_from_db()
    assert (application.stage, application.outcome) == (Stage.CLOSED, Outcome.DISCLOSED)
    assert (record.warning_given, record.warning_acknowledged, record.safety_plan) == (
        True,
        True,
        SAFETY_PLAN,
    )
    entry = record.dissemination
    assert (entry.recipient_name, entry.method, entry.record) == (
        "Ines Oduya",
        DisseminationMethod.IN_PERSON,
        application,
    )
    assert entry.person.full_name == "Dorian Pemberton"
    assert WORDING in entry.what
    assert entry.approved_by == cast.police_decision_maker

    # The data administrator's queue no longer holds it.
    page.get_by_role("link", name="Disclosures").click()
    expect(page.get_by_role("heading", level=1, name="Disclosure applications")).to_be_visible()
    expect(page.get_by_role("link", name=application.reference)).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^No applications"))).to_be_visible()
