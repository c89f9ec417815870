"""The research package page: sections, graded entries, the summary, submission and its lock, versions,
and the concurrent edit that never loses work."""

import pytest
from django.urls import reverse

from disclosures import services
from disclosures.models import PackageEntry, PackageStatus, ResearchPackage, SectionKind, Stage
from mash.notifications.models import Notification
from tests.disclosures.conftest import police_grading
from tests.disclosures_pages.builders import package_url, page

pytestmark = pytest.mark.django_db

PNC_ENTRY = {
    "source_system": "PNC",
    "information_date": "2021-03-14",
    "summary": "Convicted of assault on a former partner",
    "detail": "Assault by beating; 12 weeks suspended.",
    "source_evaluation": "1",
    "intelligence_assessment": "A",
    "handling_code": "C",
    "handling_conditions": "Not to be shared beyond the person best placed to protect.",
    "security_marking": "official_sensitive",
}


@pytest.fixture
def package(at_research):
    return at_research.packages.get()


def section_of(package, kind):
    return package.sections.get(kind=kind)


def section_url(package, kind, name="section") -> str:
    return reverse(f"disclosures:{name}", args=[package.pk, section_of(package, kind).pk])


def entry_url(package, entry) -> str:
    return reverse("disclosures:entry_edit", args=[package.pk, entry.pk])


def pnc_entry(package) -> PackageEntry:
    return section_of(package, SectionKind.PNC).entries.get()


# The page -----------------------------------------------------------------------------------------


def test_the_researcher_sees_every_section_to_check(client, team, package):
    client.force_login(team.researcher)
    response = client.get(package_url(package))
    assert response.status_code == 200
    body = page(response)
    assert "Research package, version 1" in body
    for kind in SectionKind:
        assert f'id="section-{kind.value}"' in body
    assert body.count("Not yet checked") == len(SectionKind)
    assert body.count("Add the entry") == len(SectionKind)
    assert "Save the summary" in body and "Submit version 1" in body
    # The police sections ask for the 3x5x2; the partner agencies' do not.
    rows = {row["section"].kind: row["entry_form"] for row in response.context["rows"]}
    assert "source_evaluation" in rows[SectionKind.PNC].fields
    assert "source_evaluation" not in rows[SectionKind.HEALTH].fields


def test_a_police_entry_with_its_3x5x2_is_added(client, team, package):
    client.force_login(team.researcher)
    response = client.post(section_url(package, SectionKind.PNC, "entry_add"), PNC_ENTRY)
    assert response.status_code == 302
    assert response.url == package_url(package) + "#section-pnc"
    entry = pnc_entry(package)
    assert (entry.source_evaluation, entry.intelligence_assessment, entry.handling_code) == ("1", "A", "C")
    assert entry.author == team.researcher
    body = page(client.get(response.url))
    assert "Entry added." in body
    assert "1AC: 1: reliable; A: known directly to the source" in body
    assert "1 found" in body


def test_a_police_entry_without_its_3x5x2_is_refused(client, team, package):
    client.force_login(team.researcher)
    data = {**PNC_ENTRY, "source_evaluation": "", "intelligence_assessment": "", "handling_code": ""}
    response = client.post(section_url(package, SectionKind.PNC, "entry_add"), data)
    assert response.status_code == 400
    body = page(response)
    assert "Source evaluation: Police information needs its source evaluation (1-3)." in body
    assert "Intelligence assessment: Police information needs its intelligence assessment (A-E)." in body
    # The form comes back open, with what was typed.
    assert "Convicted of assault on a former partner" in body
    assert not PackageEntry.objects.exists()


def test_a_page_refusing_an_entry_is_titled_as_an_error(client, team, package):
    client.force_login(team.researcher)
    response = client.post(section_url(package, SectionKind.PNC, "entry_add"), {**PNC_ENTRY, "summary": ""})
    assert response.status_code == 400
    assert "<title>Error: Research package v1" in page(response)


def test_handling_code_c_needs_its_conditions(client, team, package):
    client.force_login(team.researcher)
    response = client.post(
        section_url(package, SectionKind.PNC, "entry_add"), {**PNC_ENTRY, "handling_conditions": ""}
    )
    assert response.status_code == 400
    assert "Handling code C: record the conditions of sharing." in page(response)
    assert not PackageEntry.objects.exists()


def test_a_partner_agency_entry_needs_no_grading(client, team, package):
    client.force_login(team.researcher)
    response = client.post(
        section_url(package, SectionKind.HEALTH, "entry_add"),
        {
            "source_system": "GP record",
            "summary": "Attended A&E with bruising",
            "security_marking": "official",
        },
    )
    assert response.status_code == 302
    entry = section_of(package, SectionKind.HEALTH).entries.get()
    assert (entry.summary, entry.source_evaluation, entry.handling_code) == (
        "Attended A&E with bruising",
        "",
        "",
    )


def test_a_section_is_marked_checked_with_nothing_found(client, team, package):
    section = section_of(package, SectionKind.PROBATION)
    client.force_login(team.researcher)
    response = client.post(
        section_url(package, SectionKind.PROBATION),
        {"version": section.version, "nothing_found": "on", "note": "nDelius searched by name and DOB."},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.nothing_found, section.note, section.checked_by) == (
        True,
        "nDelius searched by name and DOB.",
        team.researcher,
    )
    body = page(client.get(package_url(package)))
    assert "Probation saved." in body
    assert body.count("Checked, nothing found</strong>") == 1


def test_nothing_found_is_refused_for_a_section_with_entries(client, team, package):
    services.entry_add(
        section=section_of(package, SectionKind.PNC), by=team.researcher, data=police_grading()
    )
    section = section_of(package, SectionKind.PNC)
    client.force_login(team.researcher)
    response = client.post(
        section_url(package, SectionKind.PNC), {"version": section.version, "nothing_found": "on"}
    )
    assert response.status_code == 400
    assert "Police National Computer has entries: remove them, or untick this." in page(response)
    section.refresh_from_db()
    assert not section.nothing_found


def test_a_section_saved_on_an_old_copy_shows_the_difference(client, team, package):
    section = section_of(package, SectionKind.CUSTODY)
    old = section.version
    services.section_update(
        section=section, by=team.second_researcher, nothing_found=True, note="Custody: none."
    )
    client.force_login(team.researcher)
    response = client.post(
        section_url(package, SectionKind.CUSTODY), {"version": old, "note": "Still looking."}
    )
    assert response.status_code == 409
    body = page(response)
    assert "Someone else saved this first" in body
    assert "Custody: none." in body and "Still looking." in body
    section.refresh_from_db()
    assert section.note == "Custody: none."


def test_the_summary_is_saved(client, team, package):
    client.force_login(team.researcher)
    response = client.post(
        package_url(package, "package_summary"),
        {"version": package.summary_version, "summary": "One conviction."},
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.summary == "One conviction."


def test_a_summary_saved_on_an_old_copy_is_refused_with_the_difference(client, team, package):
    old = package.summary_version
    services.package_summary_update(package=package, by=team.second_researcher, summary="Theirs.")
    client.force_login(team.researcher)
    response = client.post(package_url(package, "package_summary"), {"version": old, "summary": "Mine."})
    assert response.status_code == 409
    body = page(response)
    assert "Someone else saved this first" in body and "Theirs." in body and "Mine." in body
    package.refresh_from_db()
    assert package.summary == "Theirs."
    # The form comes back with what was typed and the version now saved: saving again is deliberate.
    form = response.context["summary_form"]
    assert (form["summary"].value(), int(form["version"].value())) == ("Mine.", package.summary_version)
    again = client.post(
        package_url(package, "package_summary"), {"version": package.summary_version, "summary": "Mine."}
    )
    assert again.status_code == 302
    package.refresh_from_db()
    assert package.summary == "Mine."


# Submission and the lock --------------------------------------------------------------------------


def test_an_incomplete_package_is_not_submitted_and_the_problems_are_listed(client, team, package):
    services.entry_add(
        section=section_of(package, SectionKind.PNC), by=team.researcher, data=police_grading()
    )
    package.refresh_from_db()
    client.force_login(team.researcher)
    response = client.post(package_url(package, "package_submit"), {"version": package.version})
    assert response.status_code == 400
    body = page(response)
    assert "The package is not complete" in body
    assert "The package cannot be submitted yet" in body
    assert '<a href="#section-pnd">Police National Database: add what was found' in body
    assert '<a href="#summary">Write the summary for the decision maker.</a>' in body
    assert "#section-pnc" not in body.split("The package is not complete")[1].split("</ul>")[0]
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT
    assert package.application.stage == Stage.RESEARCH


def test_a_complete_package_is_submitted_locked_and_the_decision_makers_told(client, team, compiled):
    client.force_login(team.researcher)
    response = client.post(package_url(compiled, "package_submit"), {"version": compiled.version})
    assert response.status_code == 302
    assert response.url == reverse("disclosures:application", args=[compiled.application_id])
    compiled.refresh_from_db()
    assert (compiled.status, compiled.submitted_by) == (PackageStatus.SUBMITTED, team.researcher)
    assert compiled.application.stage == Stage.DECISION
    assert Notification.objects.filter(
        event="disclosure.package_submitted", recipient=team.decision_maker
    ).exists()
    assert "Version 1 submitted and locked" in page(client.get(response.url))


def test_a_submitted_version_shows_no_form(client, team, submitted):
    client.force_login(team.researcher)
    body = page(client.get(package_url(submitted)))
    assert "This version is locked." in body
    for form in (
        "Add the entry",
        "Save the summary",
        "Submit version",
        "Change or remove",
        "What was checked<",
    ):
        assert form not in body, form
    assert "One conviction for violence against a partner." in body


def locked_posts(package):
    entry = pnc_entry(package)
    section = section_of(package, SectionKind.HEALTH)
    return [
        (section_url(package, SectionKind.PNC, "entry_add"), PNC_ENTRY),
        (section_url(package, SectionKind.HEALTH), {"version": section.version, "note": "More."}),
        (package_url(package, "package_summary"), {"version": package.version, "summary": "Changed."}),
        (package_url(package, "package_submit"), {"version": package.version}),
        (entry_url(package, entry), {**PNC_ENTRY, "version": entry.version, "summary": "Changed."}),
        (entry_url(package, entry), {**PNC_ENTRY, "version": entry.version, "remove": "1"}),
    ]


def test_a_submitted_version_refuses_every_change(client, team, submitted):
    entry = pnc_entry(submitted)
    section = section_of(submitted, SectionKind.HEALTH)
    before = (submitted.version, submitted.summary, entry.summary, section.note, PackageEntry.objects.count())
    client.force_login(team.researcher)
    for url, data in locked_posts(submitted):
        assert client.post(url, data).status_code == 400, url
    submitted.refresh_from_db()
    entry.refresh_from_db()
    section.refresh_from_db()
    assert (
        submitted.version,
        submitted.summary,
        entry.summary,
        section.note,
        PackageEntry.objects.count(),
    ) == before


def test_a_change_refused_on_a_submitted_version_says_why(client, team, submitted):
    # A researcher whose page was open when the package was submitted is told why nothing was saved.
    client.force_login(team.researcher)
    unexplained = [
        url
        for url, data in locked_posts(submitted)
        if "Version 1 is submitted: it can no longer be changed." not in page(client.post(url, data))
    ]
    assert not unexplained, "refused without saying why"


# Versions -----------------------------------------------------------------------------------------


def test_the_decision_maker_returns_it_with_comments_and_version_2_opens(client, team, submitted):
    client.force_login(team.decision_maker)
    assert "Return with comments" in page(client.get(package_url(submitted)))
    response = client.post(
        package_url(submitted, "package_return"), {"comments": "Check the PND for the 2023 intelligence."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_by) == (PackageStatus.RETURNED, team.decision_maker)
    following = ResearchPackage.objects.get(application=submitted.application, number=2)
    assert (following.status, following.researcher, following.summary) == (
        PackageStatus.DRAFT,
        team.researcher,
        submitted.summary,
    )
    assert pnc_entry(following).summary == pnc_entry(submitted).summary
    assert submitted.application.stage == Stage.RESEARCH
    assert Notification.objects.filter(
        event="disclosure.package_returned", recipient=team.researcher
    ).exists()

    # Both versions stay, each on its own page.
    client.force_login(team.researcher)
    first = page(client.get(package_url(submitted)))
    assert "Returned with comments" in first and "This version is locked." in first
    assert "Check the PND for the 2023 intelligence." in first
    second = client.get(package_url(following))
    assert second.status_code == 200
    body = page(second)
    assert "Research package, version 2" in body
    assert "Version 1 was returned: Check the PND for the 2023 intelligence." in body
    assert f'href="{package_url(submitted)}"' in body
    assert "Submit version 2" in body
    application = page(client.get(reverse("disclosures:application", args=[submitted.application_id])))
    assert "Version 1</a>" in application and "Version 2</a>" in application


def test_a_return_without_comments_is_refused(client, team, submitted):
    client.force_login(team.decision_maker)
    response = client.post(package_url(submitted, "package_return"), {"comments": ""}, follow=True)
    assert "Say what the researcher should look at again." in page(response)
    submitted.refresh_from_db()
    assert submitted.status == PackageStatus.SUBMITTED
    assert ResearchPackage.objects.count() == 1


def test_only_a_decision_maker_returns_a_package(client, team, submitted):
    client.force_login(team.researcher)
    response = client.post(package_url(submitted, "package_return"), {"comments": "Again."}, follow=True)
    assert "Only the police decision makers return research packages." in page(response)
    submitted.refresh_from_db()
    assert submitted.status == PackageStatus.SUBMITTED


# Changing an entry --------------------------------------------------------------------------------


@pytest.fixture
def entry(team, package):
    return services.entry_add(
        section=section_of(package, SectionKind.PNC), by=team.researcher, data=police_grading()
    )


def test_the_entry_page_shows_the_entry_to_change(client, team, package, entry):
    client.force_login(team.researcher)
    response = client.get(entry_url(package, entry))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["summary"] == entry.summary
    assert form.initial["version"] == entry.version
    assert "Police National Computer" in page(response)


def test_an_entry_saved_on_the_current_version_is_saved(client, team, package, entry):
    client.force_login(team.researcher)
    data = {**PNC_ENTRY, "summary": "Convicted twice of assault", "version": entry.version}
    response = client.post(entry_url(package, entry), data)
    assert response.status_code == 302
    assert response.url == package_url(package) + "#section-pnc"
    version = entry.version
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("Convicted twice of assault", version + 1)


def test_an_entry_change_without_its_grading_is_refused(client, team, package, entry):
    client.force_login(team.researcher)
    data = {**PNC_ENTRY, "source_evaluation": "", "version": entry.version}
    response = client.post(entry_url(package, entry), data)
    assert response.status_code == 400
    assert "Source evaluation: Police information needs its source evaluation (1-3)." in page(response)
    entry.refresh_from_db()
    assert entry.source_evaluation == "1"


def test_an_entry_is_removed(client, team, package, entry):
    client.force_login(team.researcher)
    response = client.post(entry_url(package, entry), {**PNC_ENTRY, "version": entry.version, "remove": "1"})
    assert response.status_code == 302
    assert not PackageEntry.objects.filter(pk=entry.pk).exists()


def test_the_second_of_two_concurrent_saves_is_shown_the_difference_and_loses_nothing(
    client, team, package, entry
):
    from tests.second_factor import Client

    url = entry_url(package, entry)
    a, b = client, Client()
    a.force_login(team.researcher)
    b.force_login(team.second_researcher)
    # Both open the entry.
    version_a = a.get(url).context["form"].initial["version"]
    version_b = b.get(url).context["form"].initial["version"]
    assert version_a == version_b == entry.version

    saved_by_a = {**PNC_ENTRY, "summary": "Convicted of assault on two former partners", "version": version_a}
    assert a.post(url, saved_by_a).status_code == 302

    typed_by_b = {
        **PNC_ENTRY,
        "summary": "Convicted of assault, 2021, and harassment, 2022",
        "version": version_b,
    }
    response = b.post(url, typed_by_b)
    assert response.status_code == 409
    body = page(response)
    assert "Someone else saved this first" in body
    assert "Error:" in body.split("</title>")[0]
    conflict = response.context["conflict"]
    assert {"label": "Summary", "theirs": saved_by_a["summary"], "mine": typed_by_b["summary"]} in conflict
    table = body.split('<table class="govuk-table">')[1].split("</table>")[0]
    assert saved_by_a["summary"] in table and typed_by_b["summary"] in table
    # What B typed is still in the form, to save again; the entry still holds A's.
    form = response.context["form"]
    assert form["summary"].value() == typed_by_b["summary"]
    assert f'value="{typed_by_b["summary"]}"' in body
    entry.refresh_from_db()
    assert entry.summary == saved_by_a["summary"]

    # B saves again, on the version now saved.
    again = {**typed_by_b, "version": form["version"].value()}
    assert str(again["version"]) == str(entry.version)
    response = b.post(url, again)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == typed_by_b["summary"]
