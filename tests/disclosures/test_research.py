"""The research package: completeness, the 3x5x2 on police sections, 'nothing found', concurrent edits
that never lose work, submission locking a version, return opening the next one, all versions kept."""

import pytest
from django.core.exceptions import ValidationError

from disclosures import services
from disclosures.models import (
    POLICE_SECTIONS,
    PackageEntry,
    PackageSection,
    PackageStatus,
    ResearchPackage,
    SectionKind,
    Stage,
)
from mash.common.grading import Grading, grading_errors
from mash.common.versioning import StaleVersion
from mash.notifications.models import Channel, Notification
from tests.disclosures.conftest import police_grading

pytestmark = pytest.mark.django_db

NON_POLICE_SECTIONS = [kind for kind in SectionKind.values if kind not in POLICE_SECTIONS]


def _section(package, kind) -> PackageSection:
    return package.sections.get(kind=kind)


def _partner_grading(**fields) -> Grading:
    values = {"source_system": "GP record", "summary": "Attended A&E with bruising, 2024"}
    values.update(fields)
    return Grading(**values)


def _snapshot(package: ResearchPackage):
    """Everything a version holds, to show it is unchanged."""
    package = ResearchPackage.objects.get(pk=package.pk)
    return (
        (package.status, package.summary, package.submitted_at, package.submitted_by_id),
        [
            (s.pk, s.kind, s.nothing_found, s.note, s.version)
            for s in PackageSection.objects.filter(package=package).order_by("pk")
        ],
        [
            (e.pk, e.section_id, e.version, *services.entry_values(e).values())
            for e in PackageEntry.objects.filter(section__package=package).order_by("pk")
        ],
    )


# Completeness.


def test_an_empty_package_names_every_section_and_the_summary(team, at_research):
    package = at_research.packages.get()

    with pytest.raises(ValidationError) as error:
        services.package_submit(package=package, by=team.researcher)

    assert set(error.value.message_dict) == {f"section-{kind}" for kind in SectionKind.values} | {"summary"}
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT
    at_research.refresh_from_db()
    assert at_research.stage == Stage.RESEARCH


def test_a_section_with_neither_entries_nor_nothing_found_is_named(team, compiled):
    # Undo 'nothing found' on health: it is now neither.
    health = _section(compiled, SectionKind.HEALTH)
    services.section_update(section=health, by=team.researcher, nothing_found=False, note="Still waiting.")

    with pytest.raises(ValidationError) as error:
        services.package_submit(package=compiled, by=team.researcher)

    assert set(error.value.message_dict) == {"section-health"}
    assert "Health" in error.value.message_dict["section-health"][0]
    assert services.completeness_problems(compiled).keys() == {"section-health"}


def test_a_missing_summary_is_named(team, compiled):
    services.package_summary_update(package=compiled, by=team.researcher, summary="   ")

    with pytest.raises(ValidationError) as error:
        services.package_submit(package=compiled, by=team.researcher)

    assert set(error.value.message_dict) == {"summary"}


def test_a_section_counts_as_checked_with_entries_or_with_nothing_found(compiled):
    assert services.completeness_problems(compiled) == {}
    assert _section(compiled, SectionKind.PNC).entries.count() == 1
    assert all(s.nothing_found for s in compiled.sections.exclude(kind=SectionKind.PNC))


# Entries: the 3x5x2 on police sections.


@pytest.mark.parametrize("kind", POLICE_SECTIONS)
def test_police_sections_need_the_3x5x2(team, at_research, kind):
    section = _section(at_research.packages.get(), kind)
    ungraded = Grading(source_system="Local intelligence", summary="Seen with her at 2am")

    with pytest.raises(ValidationError) as error:
        services.entry_add(section=section, by=team.researcher, data=ungraded)

    assert set(error.value.message_dict) == set(grading_errors(ungraded, police=True))
    assert set(error.value.message_dict) == {"source_evaluation", "intelligence_assessment", "handling_code"}
    assert not section.entries.exists()


@pytest.mark.parametrize("kind", NON_POLICE_SECTIONS)
def test_partner_sections_do_not_need_the_3x5x2(team, at_research, kind):
    section = _section(at_research.packages.get(), kind)

    entry = services.entry_add(section=section, by=team.researcher, data=_partner_grading())

    entry.refresh_from_db()
    assert entry.section == section and entry.author == team.researcher
    assert (entry.source_evaluation, entry.intelligence_assessment, entry.handling_code) == ("", "", "")


@pytest.mark.parametrize("kind", [SectionKind.PNC, SectionKind.HEALTH])
def test_every_entry_needs_a_summary_and_its_source(team, at_research, kind):
    section = _section(at_research.packages.get(), kind)

    with pytest.raises(ValidationError) as error:
        services.entry_add(
            section=section, by=team.researcher, data=police_grading(summary=" ", source_system="")
        )

    assert {"summary", "source_system"} <= set(error.value.message_dict)
    assert not section.entries.exists()


@pytest.mark.parametrize("kind", [SectionKind.PNC, SectionKind.PROBATION])
def test_handling_code_c_needs_its_conditions(team, at_research, kind):
    section = _section(at_research.packages.get(), kind)

    with pytest.raises(ValidationError) as error:
        services.entry_add(section=section, by=team.researcher, data=police_grading(handling_code="C"))

    assert set(error.value.message_dict) == {"handling_conditions"}
    entry = services.entry_add(
        section=section,
        by=team.researcher,
        data=police_grading(handling_code="C", handling_conditions=" Not to be shared outside the MASH. "),
    )
    entry.refresh_from_db()
    assert entry.handling_code == "C"
    assert entry.handling_conditions == "Not to be shared outside the MASH."


def test_an_entry_update_is_checked_like_an_entry(team, compiled):
    entry = PackageEntry.objects.get(section__package=compiled)

    with pytest.raises(ValidationError) as error:
        services.entry_update(
            entry=entry,
            by=team.researcher,
            data=police_grading(intelligence_assessment=""),
            expected_version=1,
        )

    assert set(error.value.message_dict) == {"intelligence_assessment"}
    entry.refresh_from_db()
    assert entry.intelligence_assessment == "A" and entry.version == 1


# 'Checked, nothing found'.


def test_nothing_found_is_refused_while_the_section_has_entries(team, compiled):
    pnc = _section(compiled, SectionKind.PNC)

    with pytest.raises(ValidationError) as error:
        services.section_update(section=pnc, by=team.researcher, nothing_found=True, note="Nothing.")

    assert "nothing_found" in error.value.message_dict
    pnc.refresh_from_db()
    assert pnc.nothing_found is False and pnc.entries.count() == 1


def test_an_entry_is_refused_on_a_section_marked_nothing_found(team, compiled):
    custody = _section(compiled, SectionKind.CUSTODY)

    with pytest.raises(ValidationError) as error:
        services.entry_add(section=custody, by=team.researcher, data=police_grading(source_system="Custody"))

    assert "nothing found" in " ".join(error.value.messages)
    assert not custody.entries.exists()


def test_removing_the_last_entry_then_marking_nothing_found(team, compiled):
    pnc = _section(compiled, SectionKind.PNC)
    entry = pnc.entries.get()

    services.entry_remove(entry=entry, by=team.researcher, expected_version=1)
    services.section_update(section=pnc, by=team.researcher, nothing_found=True, note="Record was removed.")

    pnc.refresh_from_db()
    assert pnc.nothing_found and not pnc.entries.exists()
    assert services.completeness_problems(compiled) == {}


# Concurrent edits: the second save on an old copy is told, and nothing is lost or overwritten.


def test_a_second_entry_save_on_an_old_copy_is_refused_with_the_first_save(team, compiled):
    mine = PackageEntry.objects.get(section__package=compiled)
    yours = PackageEntry.objects.get(pk=mine.pk)
    assert mine.version == yours.version == 1
    first = police_grading(
        summary="Convicted of assault, 2021; restraining order to 2026", detail="Checked PNC."
    )

    services.entry_update(entry=mine, by=team.researcher, data=first, expected_version=mine.version)
    with pytest.raises(StaleVersion) as conflict:
        services.entry_update(
            entry=yours,
            by=team.second_researcher,
            data=police_grading(summary="Convicted of assault, 2021", source_evaluation="2"),
            expected_version=yours.version,
        )

    assert conflict.value.code == "stale"
    assert conflict.value.theirs["summary"] == "Convicted of assault, 2021; restraining order to 2026"
    assert conflict.value.theirs["detail"] == "Checked PNC."
    assert conflict.value.theirs["source_evaluation"] == "1"
    saved = PackageEntry.objects.get(pk=mine.pk)
    assert saved.version == 2
    assert services.entry_values(saved) == first.cleaned()


def test_a_second_entry_removal_on_an_old_copy_is_refused(team, compiled):
    mine = PackageEntry.objects.get(section__package=compiled)
    services.entry_update(
        entry=mine, by=team.researcher, data=police_grading(summary="Updated"), expected_version=1
    )

    with pytest.raises(StaleVersion) as conflict:
        services.entry_remove(entry=mine, by=team.second_researcher, expected_version=1)

    assert conflict.value.theirs["summary"] == "Updated"
    assert PackageEntry.objects.filter(pk=mine.pk).exists()


def test_a_second_section_save_on_an_old_copy_is_refused_with_the_first_save(team, at_research):
    package = at_research.packages.get()
    mine = _section(package, SectionKind.PROBATION)
    yours = PackageSection.objects.get(pk=mine.pk)
    assert mine.version == yours.version == 1

    services.section_update(
        section=mine, by=team.researcher, nothing_found=True, note="nDelius checked.", expected_version=1
    )
    with pytest.raises(StaleVersion) as conflict:
        services.section_update(
            section=yours,
            by=team.second_researcher,
            nothing_found=False,
            note="Waiting for probation.",
            expected_version=yours.version,
        )

    assert conflict.value.code == "stale"
    assert conflict.value.theirs == {"nothing_found": True, "note": "nDelius checked."}
    saved = PackageSection.objects.get(pk=mine.pk)
    assert (saved.nothing_found, saved.note, saved.checked_by) == (True, "nDelius checked.", team.researcher)


def test_a_second_summary_save_on_an_old_copy_is_refused_with_the_first_save(team, at_research):
    mine = at_research.packages.get()
    yours = ResearchPackage.objects.get(pk=mine.pk)
    assert mine.version == yours.version == 1

    services.package_summary_update(
        package=mine, by=team.researcher, summary="One conviction for violence.", expected_version=1
    )
    with pytest.raises(StaleVersion) as conflict:
        services.package_summary_update(
            package=yours,
            by=team.second_researcher,
            summary="Nothing of note.",
            expected_version=yours.summary_version,
        )

    assert conflict.value.code == "stale"
    assert conflict.value.theirs == {"summary": "One conviction for violence."}
    assert ResearchPackage.objects.get(pk=mine.pk).summary == "One conviction for violence."


def test_a_summary_save_is_not_refused_because_someone_added_an_entry(team, at_research):
    mine = at_research.packages.get()
    services.entry_add(
        section=_section(mine, SectionKind.PNC), by=team.second_researcher, data=police_grading()
    )

    services.package_summary_update(
        package=mine, by=team.researcher, summary="One conviction.", expected_version=mine.summary_version
    )

    assert ResearchPackage.objects.get(pk=mine.pk).summary == "One conviction."


def test_a_save_on_the_current_version_succeeds(team, compiled):
    entry = PackageEntry.objects.get(section__package=compiled)
    services.entry_update(
        entry=entry, by=team.researcher, data=police_grading(summary="v2"), expected_version=1
    )

    services.entry_update(
        entry=entry, by=team.second_researcher, data=police_grading(summary="v3"), expected_version=2
    )

    entry.refresh_from_db()
    assert entry.summary == "v3" and entry.version == 3


# Submission.


def test_submission_locks_the_version_and_moves_the_application_to_decision(cast, team, compiled):
    submitted = services.package_submit(package=compiled, by=team.researcher)

    package = ResearchPackage.objects.get(pk=compiled.pk)
    assert package.status == PackageStatus.SUBMITTED
    assert package.submitted_by == team.researcher and package.submitted_at is not None
    assert submitted.pk == package.pk
    application = package.application
    application.refresh_from_db()
    assert application.stage == Stage.DECISION
    told = Notification.objects.filter(event="disclosure.package_submitted", channel=Channel.IN_APP)
    assert [row.recipient for row in told] == [cast.police_decision_maker]


def test_a_submitted_version_can_no_longer_be_changed(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    before = _snapshot(compiled)
    entry = PackageEntry.objects.get(section__package=compiled)
    health = _section(compiled, SectionKind.HEALTH)
    attempts = [
        lambda: services.entry_add(section=health, by=team.researcher, data=_partner_grading()),
        lambda: services.entry_add(
            section=_section(compiled, SectionKind.PNC), by=team.researcher, data=police_grading()
        ),
        lambda: services.entry_update(
            entry=entry, by=team.researcher, data=police_grading(summary="Changed"), expected_version=1
        ),
        lambda: services.entry_remove(entry=entry, by=team.researcher),
        lambda: services.section_update(section=health, by=team.researcher, nothing_found=False),
        lambda: services.package_summary_update(package=compiled, by=team.researcher, summary="Changed"),
        lambda: services.package_submit(package=compiled, by=team.researcher),
    ]

    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()

    assert _snapshot(compiled) == before


@pytest.mark.parametrize("who", ["health_researcher", "outsider", "police_decision_maker", "data_admin"])
def test_only_a_police_researcher_compiles_the_package(cast, at_research, who):
    package = at_research.packages.get()
    section = _section(package, SectionKind.PNC)
    user = getattr(cast, who)

    with pytest.raises(ValidationError):
        services.entry_add(section=section, by=user, data=police_grading())
    with pytest.raises(ValidationError):
        services.section_update(section=section, by=user, nothing_found=True)
    with pytest.raises(ValidationError):
        services.package_summary_update(package=package, by=user, summary="Mine")

    assert not section.entries.exists()
    section.refresh_from_db()
    assert not section.nothing_found
    package.refresh_from_db()
    assert package.summary == ""


# Return, and the next version.


@pytest.fixture
def submitted(team, compiled):
    health = _section(compiled, SectionKind.HEALTH)
    services.section_update(section=health, by=team.researcher, nothing_found=False, note="GP record.")
    services.entry_add(section=health, by=team.researcher, data=_partner_grading())
    services.package_submit(package=compiled, by=team.researcher)
    return ResearchPackage.objects.get(pk=compiled.pk)


def test_returning_needs_comments(team, submitted):
    with pytest.raises(ValidationError) as error:
        services.package_return(package=submitted, by=team.decision_maker, comments="  ")

    assert "comments" in error.value.message_dict
    assert ResearchPackage.objects.filter(application=submitted.application).count() == 1
    submitted.refresh_from_db()
    assert submitted.status == PackageStatus.SUBMITTED


@pytest.mark.parametrize("who", ["police_researcher", "data_admin", "decision_maker", "health_researcher"])
def test_only_a_police_decision_maker_returns_a_package(cast, submitted, who):
    with pytest.raises(ValidationError):
        services.package_return(package=submitted, by=getattr(cast, who), comments="Look again.")

    submitted.refresh_from_db()
    assert submitted.status == PackageStatus.SUBMITTED
    assert ResearchPackage.objects.filter(application=submitted.application).count() == 1


def test_a_draft_cannot_be_returned(team, compiled):
    with pytest.raises(ValidationError):
        services.package_return(package=compiled, by=team.decision_maker, comments="Look again.")

    assert ResearchPackage.objects.filter(application=compiled.application).count() == 1


def test_returning_keeps_v1_as_it_was_and_opens_v2_as_a_copy(team, submitted):
    before = _snapshot(submitted)

    v2 = services.package_return(
        package=submitted, by=team.decision_maker, comments="Check the custody record for 2023."
    )

    v1 = ResearchPackage.objects.get(pk=submitted.pk)
    assert v1.status == PackageStatus.RETURNED
    assert v1.return_comments == "Check the custody record for 2023."
    assert v1.returned_by == team.decision_maker and v1.returned_at is not None
    _status, *rest = before[0]
    assert _snapshot(v1)[0] == (PackageStatus.RETURNED, *rest)
    assert _snapshot(v1)[1:] == before[1:]  # sections and entries untouched

    v2 = ResearchPackage.objects.get(pk=v2.pk)
    assert (v2.number, v2.status, v2.researcher) == (2, PackageStatus.DRAFT, team.researcher)
    assert v2.summary == v1.summary
    v1_sections = {s.kind: (s.nothing_found, s.note) for s in v1.sections.all()}
    v2_sections = {s.kind: (s.nothing_found, s.note) for s in v2.sections.all()}
    assert v2_sections == v1_sections
    assert not set(v1.sections.values_list("pk", flat=True)) & set(v2.sections.values_list("pk", flat=True))
    v1_entries = PackageEntry.objects.filter(section__package=v1).order_by("section__kind", "pk")
    v2_entries = PackageEntry.objects.filter(section__package=v2).order_by("section__kind", "pk")
    assert len(v1_entries) == len(v2_entries) == 2
    for old, new in zip(v1_entries, v2_entries, strict=True):
        assert new.pk != old.pk
        assert new.section.kind == old.section.kind
        assert services.entry_values(new) == services.entry_values(old)
        assert new.author == old.author

    application = v1.application
    application.refresh_from_db()
    assert application.stage == Stage.RESEARCH
    assert Notification.objects.filter(
        event="disclosure.package_returned", recipient=team.researcher, channel=Channel.IN_APP
    ).exists()


def test_v2_is_edited_and_submitted_while_v1_stays_as_returned(team, submitted):
    v2 = services.package_return(package=submitted, by=team.decision_maker, comments="Check custody.")
    v1_before = _snapshot(submitted)

    copy = PackageEntry.objects.get(section__package=v2, section__kind=SectionKind.PNC)
    services.entry_update(
        entry=copy,
        by=team.researcher,
        data=police_grading(summary="Convicted 2021; arrested 2023"),
        expected_version=1,
    )
    custody = _section(v2, SectionKind.CUSTODY)
    services.section_update(
        section=custody, by=team.researcher, nothing_found=False, note="Custody record found."
    )
    services.entry_add(section=custody, by=team.researcher, data=police_grading(source_system="Custody"))
    services.package_summary_update(
        package=v2, by=team.researcher, summary="A conviction and a later arrest."
    )
    services.package_submit(package=v2, by=team.researcher)

    assert _snapshot(submitted) == v1_before
    assert PackageEntry.objects.get(section__package=submitted, section__kind=SectionKind.PNC).summary == (
        police_grading().summary
    )
    # Nothing in v1 can be changed any more.
    with pytest.raises(ValidationError):
        services.package_summary_update(package=submitted, by=team.researcher, summary="Changed")
    v2.refresh_from_db()
    assert v2.status == PackageStatus.SUBMITTED
    application = v2.application
    application.refresh_from_db()
    assert application.stage == Stage.DECISION
    assert list(application.packages.order_by("number").values_list("number", "status")) == [
        (1, PackageStatus.RETURNED),
        (2, PackageStatus.SUBMITTED),
    ]


def test_every_version_is_kept_and_the_decision_is_on_the_latest(team, submitted):
    v2 = services.package_return(package=submitted, by=team.decision_maker, comments="Check custody.")
    services.package_submit(package=v2, by=team.researcher)
    v3 = services.package_return(package=v2, by=team.decision_maker, comments="And probation.")
    services.package_submit(package=v3, by=team.researcher)

    decision = services.decision_record(
        application=submitted.application,
        by=team.decision_maker,
        disclose=False,
        lawful="Lawful.",
        necessary="Not necessary now.",
        proportionate="Not proportionate.",
        no_disclosure_reason="The relationship has ended.",
        applicant_told="Told no disclosure will be made.",
    )

    assert list(submitted.application.packages.order_by("number").values_list("number", "status")) == [
        (1, PackageStatus.RETURNED),
        (2, PackageStatus.RETURNED),
        (3, PackageStatus.SUBMITTED),
    ]
    assert decision.package == v3
    for version in (submitted, v2, v3):
        assert version.sections.count() == len(SectionKind.values)
        assert PackageEntry.objects.filter(section__package=version).count() == 2
