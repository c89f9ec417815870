"""The research package: sections, graded entries, the summary, submission; concurrent edits are 409s
that carry the saved values, so nothing typed is lost."""

import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import PackageEntry, PackageStatus, SectionKind
from tests.disclosures_api.conftest import call, ok, police_grading, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(at_research):
    return at_research.packages.get()


def section_of(package, kind):
    return package.sections.get(kind=kind)


@pytest.fixture
def entry(team, package):
    return services.entry_add(
        section=section_of(package, SectionKind.PNC), by=team.researcher, data=police_grading()
    )


def test_the_package_shows_its_sections_entries_and_what_is_missing(api_client, team, package, entry):
    body = ok(call(api_client, team.decision_maker, "get", url("api-research-package", package.pk)))
    assert (body["number"], body["status"], body["application"]["id"]) == (1, "draft", package.application_id)
    assert [s["kind"] for s in body["sections"]] == SectionKind.values
    pnc = body["sections"][0]
    assert (pnc["police"], pnc["version"]) == (True, 2)
    assert [(e["id"], e["summary"], e["source_evaluation"], e["author"]["id"]) for e in pnc["entries"]] == [
        (entry.pk, entry.summary, "1", team.researcher.pk)
    ]
    assert body["sections"][5]["police"] is False  # children's services
    assert set(body["completeness_problems"]) == {f"section-{k}" for k in SectionKind.values[1:]} | {
        "summary"
    }


def test_a_researcher_records_nothing_found_and_the_note(api_client, team, package):
    section = section_of(package, SectionKind.HEALTH)
    body = ok(
        call(
            api_client,
            team.researcher,
            "post",
            url("api-research-package-section", package.pk, section.pk),
            {"nothing_found": True, "note": "GP records checked.", "version": 1},
        )
    )
    assert (body["nothing_found"], body["note"], body["version"], body["entries"]) == (
        True,
        "GP records checked.",
        2,
        [],
    )


def test_nothing_found_is_refused_where_there_are_entries(api_client, team, package, entry):
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-section", package.pk, entry.section_id),
        {"nothing_found": True, "version": 2},
    )
    assert response.status_code == 400
    assert "nothing_found" in response.json()


@pytest.mark.parametrize(
    "kind, data, field",
    [
        (
            SectionKind.PNC,
            {"source_system": "PNC", "summary": "x", "intelligence_assessment": "A"},
            "source_evaluation",
        ),
        (
            SectionKind.PNC,
            {"source_system": "PNC", "summary": "x", "source_evaluation": "1"},
            "handling_code",
        ),
        (SectionKind.HEALTH, {"source_system": "GP"}, "summary"),
        (SectionKind.HEALTH, {"summary": "Seen at A&E"}, "source_system"),
        (
            SectionKind.HEALTH,
            {"source_system": "GP", "summary": "x", "handling_code": "C"},
            "handling_conditions",
        ),
        (
            SectionKind.HEALTH,
            {"source_system": "GP", "summary": "x", "source_evaluation": "9"},
            "source_evaluation",
        ),
        (
            SectionKind.HEALTH,
            {"source_system": "GP", "summary": "x", "information_date": "soon"},
            "information_date",
        ),
    ],
)
def test_a_bad_entry_is_a_400_naming_the_field(api_client, team, package, kind, data, field):
    section = section_of(package, kind)
    response = call(
        api_client, team.researcher, "post", url("api-research-package-entries", package.pk, section.pk), data
    )
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not PackageEntry.objects.exists()


def test_a_partner_agency_section_needs_no_grading(api_client, team, package):
    section = section_of(package, SectionKind.HEALTH)
    body = ok(
        call(
            api_client,
            team.researcher,
            "post",
            url("api-research-package-entries", package.pk, section.pk),
            {"source_system": "GP record", "summary": "Attended A&E with a broken wrist, 2023"},
        ),
        201,
    )
    assert (body["section_id"], body["source_evaluation"], body["version"]) == (section.pk, "", 1)


def test_an_entry_is_changed_and_removed(api_client, team, package, entry):
    path = url("api-research-package-entry", package.pk, entry.pk)
    body = ok(
        call(
            api_client,
            team.researcher,
            "post",
            path,
            {
                **services.entry_values(police_grading()) | {"summary": "Convicted, 2021 and 2022"},
                "version": 1,
            },
        )
    )
    assert (body["summary"], body["version"]) == ("Convicted, 2021 and 2022", 2)
    assert call(api_client, team.researcher, "delete", path + "?version=2").status_code == 204
    assert not PackageEntry.objects.exists()


def test_removing_an_entry_needs_its_version(api_client, team, package, entry):
    response = call(
        api_client, team.researcher, "delete", url("api-research-package-entry", package.pk, entry.pk)
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert PackageEntry.objects.filter(pk=entry.pk).exists()


def test_the_second_of_two_concurrent_edits_is_a_409_with_the_saved_entry(api_client, team, package, entry):
    path = url("api-research-package-entry", package.pk, entry.pk)
    mine = {**services.entry_values(entry), "information_date": None, "version": 1}
    first = ok(
        call(
            api_client,
            team.researcher,
            "post",
            path,
            {**mine, "summary": "Convicted twice", "detail": "2021, 2022"},
        )
    )
    assert first["version"] == 2

    response = call(
        api_client, team.second_researcher, "post", path, {**mine, "summary": "Convicted in 2021 only"}
    )

    assert response.status_code == 409
    body = response.json()
    assert "Someone else changed this entry" in body["detail"]
    assert body["current"] == {
        "source_system": "PNC",
        "information_date": None,
        "summary": "Convicted twice",
        "detail": "2021, 2022",
        "source_evaluation": "1",
        "intelligence_assessment": "A",
        "handling_code": "P",
        "handling_conditions": "",
        "security_marking": "official_sensitive",
    }
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("Convicted twice", 2)


def test_removing_an_entry_changed_since_is_a_409_with_the_saved_entry(api_client, team, package, entry):
    services.entry_update(
        entry=entry, by=team.second_researcher, data=police_grading(summary="Changed"), expected_version=1
    )
    response = call(
        api_client,
        team.researcher,
        "delete",
        url("api-research-package-entry", package.pk, entry.pk) + "?version=1",
    )
    assert response.status_code == 409
    assert response.json()["current"]["summary"] == "Changed"
    assert PackageEntry.objects.filter(pk=entry.pk).exists()


def test_a_section_changed_since_is_a_409_with_the_saved_values(api_client, team, package):
    section = section_of(package, SectionKind.PROBATION)
    services.section_update(
        section=section, by=team.second_researcher, nothing_found=True, note="Probation: none."
    )
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-section", package.pk, section.pk),
        {"nothing_found": False, "note": "Asked probation.", "version": 1},
    )
    assert response.status_code == 409
    assert response.json()["current"] == {"nothing_found": True, "note": "Probation: none."}
    section.refresh_from_db()
    assert section.note == "Probation: none."


def test_a_summary_changed_since_is_a_409_with_the_saved_summary(api_client, team, package):
    services.package_summary_update(package=package, by=team.second_researcher, summary="Theirs.")
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-summary", package.pk),
        {"summary": "Mine.", "version": package.version},
    )
    assert response.status_code == 409
    assert response.json()["current"] == {"summary": "Theirs."}


def test_an_incomplete_package_is_not_submitted(api_client, team, package, entry):
    package.refresh_from_db()
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-submit", package.pk),
        {"version": package.version},
    )
    assert response.status_code == 400
    assert {"section-pnd", "section-health", "summary"} <= set(response.json())
    assert "section-pnc" not in response.json()
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT


def test_a_submitted_version_is_locked(api_client, team, submitted):
    section = submitted.sections.get(kind=SectionKind.HEALTH)
    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-entries", submitted.pk, section.pk),
        {"source_system": "GP", "summary": "Late news"},
    )
    assert response.status_code == 400
    assert "can no longer be changed" in response.json()["non_field_errors"][0]


def test_only_a_decision_maker_returns_a_package_and_says_why(api_client, team, submitted):
    path = url("api-research-package-return", submitted.pk)
    response = call(api_client, team.researcher, "post", path, {"comments": "Again."})
    assert response.status_code == 403
    assert "decision makers" in response.json()["detail"]
    response = call(api_client, team.decision_maker, "post", path, {"comments": " "})
    assert response.status_code == 400
    assert "comments" in response.json()
    submitted.refresh_from_db()
    assert submitted.status == PackageStatus.SUBMITTED


def test_a_section_or_entry_of_another_package_is_a_404(api_client, team, package, entry, new_application):
    other = new_application()
    services.initial_check_record(application=other, by=team.admin, immediate_risk=False, notes="None.")
    services.verification_record(
        application=other, by=team.admin, identity_method="Passport", meeting_at=timezone.now()
    )
    services.researcher_assign(application=other, by=team.admin, researcher=team.researcher)
    other_package = other.packages.get()
    section = other_package.sections.get(kind=SectionKind.HEALTH)

    response = call(
        api_client,
        team.researcher,
        "post",
        url("api-research-package-section", package.pk, section.pk),
        {"nothing_found": True, "version": 1},
    )
    assert response.status_code == 404
    response = call(
        api_client,
        team.researcher,
        "delete",
        url("api-research-package-entry", other_package.pk, entry.pk) + "?version=1",
    )
    assert response.status_code == 404
    section.refresh_from_db()
    assert not section.nothing_found
    assert PackageEntry.objects.filter(pk=entry.pk).exists()
