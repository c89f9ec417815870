"""The research package: sections of systems and agencies checked, graded entries, versions.

Every section and entry carries a version: a save made on an old copy is refused with the saved
values (``StaleVersion.theirs``), so the page can show the researcher the difference and nothing is lost.
A submitted version is locked; a decision maker returning it opens the next version from a copy.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from disclosures import policy
from disclosures.models import (
    Application,
    PackageEntry,
    PackageSection,
    PackageStatus,
    ResearchPackage,
    SectionKind,
    Stage,
)
from disclosures.services.common import application_url
from disclosures.services.decision import close_forum
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.common.dates import format_date
from mash.common.errors import require, require_role
from mash.common.grading import Grading, grading_errors
from mash.common.versioning import StaleVersion, bump, lock_for_change, require_version, save_change
from mash.notifications.services import notify

ENTRY_FIELDS = (
    "source_system",
    "information_date",
    "summary",
    "detail",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "handling_conditions",
    "security_marking",
)


def package_start(*, application: Application, researcher) -> ResearchPackage:
    """Version 1: one section for each system and agency to check."""
    package = ResearchPackage.objects.create(application=application, number=1, researcher=researcher)
    PackageSection.objects.bulk_create(
        PackageSection(package=package, kind=kind) for kind in SectionKind.values
    )
    return package


def _draft(package: ResearchPackage, by) -> ResearchPackage:
    package = lock_for_change(package)
    require_role(policy.may_research(actor_for(by)), "Only the police researchers compile research packages.")
    require(
        package.status == PackageStatus.DRAFT,
        f"Version {package.number} is {package.get_status_display().lower()}: it can no longer be changed.",
    )
    return package


def _touch(package: ResearchPackage) -> None:
    bump(package, updated_at=timezone.now())


def _section_changed(section: PackageSection) -> StaleVersion:
    return section.stale(theirs={"nothing_found": section.nothing_found, "note": section.note})


def _entry_changed(entry: PackageEntry) -> StaleVersion:
    return entry.stale(theirs=entry_values(entry))


@transaction.atomic
def section_update(
    *, section: PackageSection, by, nothing_found: bool, note: str = "", expected_version: int | None = None
) -> PackageSection:
    """Record what was checked in a section, and whether nothing was found."""
    _draft(section.package, by)
    section = lock_for_change(section, expected_version, stale=_section_changed)
    if nothing_found:
        require(
            not section.entries.exists(),
            {"nothing_found": f"{section.get_kind_display()} has entries: remove them, or untick this."},
        )
    section.nothing_found, section.note = nothing_found, note.strip()
    section.checked_at, section.checked_by = timezone.now(), by
    save_change(section, ["nothing_found", "note", "checked_at", "checked_by"], clean=False)
    _touch(section.package)
    return section


def _check(section: PackageSection, data: Grading) -> None:
    errors = grading_errors(data, police=section.is_police)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def entry_add(*, section: PackageSection, by, data: Grading) -> PackageEntry:
    _draft(section.package, by)
    section = lock_for_change(section)
    require(
        not section.nothing_found,
        {"summary": f"{section.get_kind_display()} is marked 'nothing found': untick it to add an entry."},
    )
    _check(section, data)
    entry = PackageEntry(section=section, author=by, **data.cleaned())
    entry.full_clean()
    entry.save()
    section.checked_at, section.checked_by = timezone.now(), by
    save_change(section, ["checked_at", "checked_by"], clean=False)
    _touch(section.package)
    return entry


def entry_values(entry: PackageEntry) -> dict:
    return {field: getattr(entry, field) for field in ENTRY_FIELDS}


@transaction.atomic
def entry_update(*, entry: PackageEntry, by, data: Grading, expected_version: int) -> PackageEntry:
    """Change an entry. A save on an old copy is refused with the saved values (StaleVersion)."""
    _draft(entry.section.package, by)
    entry = lock_for_change(
        entry, expected_version, queryset=PackageEntry.objects.select_related("section"), stale=_entry_changed
    )
    _check(entry.section, data)
    values = data.cleaned()
    for field, value in values.items():
        setattr(entry, field, value)
    save_change(entry, list(values))
    _touch(entry.section.package)
    return entry


@transaction.atomic
def entry_remove(*, entry: PackageEntry, by, expected_version: int | None = None) -> None:
    _draft(entry.section.package, by)
    entry = lock_for_change(entry, expected_version, stale=_entry_changed)
    section = entry.section
    entry.delete()
    bump(section)
    _touch(section.package)


@transaction.atomic
def package_summary_update(
    *, package: ResearchPackage, by, summary: str, expected_version: int | None = None
) -> ResearchPackage:
    """Save the summary. ``expected_version`` is the summary's own version (``summary_version``): work
    on the sections meanwhile does not make a summary save stale."""
    package = _draft(package, by)
    require_version(
        package,
        expected_version,
        version=lambda p: p.summary_version,
        stale=lambda p: StaleVersion.of("package summary", theirs={"summary": p.summary}),
    )
    package.summary = summary.strip()
    package.summary_version += 1
    save_change(package, ["summary", "summary_version"], clean=False)
    return package


def completeness_problems(package: ResearchPackage) -> dict[str, str]:
    """What stops the package being submitted: each section needs entries or 'checked, nothing found'."""
    problems = {}
    for section in package.sections.all():
        has_entries = section.entries.exists()
        if not has_entries and not section.nothing_found:
            problems[f"section-{section.kind}"] = (
                f"{section.get_kind_display()}: add what was found, or record 'checked, nothing found'."
            )
    if not package.summary.strip():
        problems["summary"] = "Write the summary for the decision maker."
    return problems


@transaction.atomic
def package_submit(*, package: ResearchPackage, by, expected_version: int | None = None) -> ResearchPackage:
    """Check completeness and lock this version; the decision makers are told."""
    package = _draft(package, by)
    require_version(package, expected_version)
    problems = completeness_problems(package)
    require(not problems, problems)
    now = timezone.now()
    package.status, package.submitted_at, package.submitted_by = PackageStatus.SUBMITTED, now, by
    save_change(package, ["status", "submitted_at", "submitted_by"], clean=False)
    application = Application.objects.select_for_update().get(pk=package.application_id)
    application.stage = Stage.DECISION
    save_change(application, ["stage"], clean=False)
    notify(
        recipients=list(members_with_role(actor_for(by).agency_id, Role.DECISION_MAKER)),
        event="disclosure.package_submitted",
        idempotency_key=f"research_package:{package.pk}:submitted",
        title=f"Research package ready for a decision: {application.reference} (v{package.number})",
        body=f"{application.get_scheme_display()}: due by {format_date(application.clock.due_at)}.",
        url=application_url(application),
        subject=application,
    )
    return package


@transaction.atomic
def package_return(*, package: ResearchPackage, by, comments: str) -> ResearchPackage:
    """The decision maker sends a submitted version back with comments: it stays as it was, and the
    next version opens as a copy for the researcher to work on."""
    package = lock_for_change(package)
    require_role(
        policy.may_decide(actor_for(by)), "Only the police decision makers return research packages."
    )
    require(package.status == PackageStatus.SUBMITTED, "Only a submitted version can be returned.")
    require(bool(comments.strip()), {"comments": "Say what the researcher should look at again."})
    now = timezone.now()
    package.status, package.returned_at, package.returned_by = PackageStatus.RETURNED, now, by
    package.return_comments = comments.strip()
    save_change(package, ["status", "returned_at", "returned_by", "return_comments"], clean=False)
    following = ResearchPackage.objects.create(
        application=package.application,
        number=package.number + 1,
        researcher=package.researcher,
        summary=package.summary,
    )
    for section in package.sections.prefetch_related("entries"):
        copy = PackageSection.objects.create(
            package=following, kind=section.kind, nothing_found=section.nothing_found, note=section.note
        )
        PackageEntry.objects.bulk_create(
            PackageEntry(section=copy, author=entry.author, **entry_values(entry))
            for entry in section.entries.all()
        )
    application = Application.objects.select_for_update().get(pk=package.application_id)
    close_forum(application)  # the forum considered the version now returned
    application.stage = Stage.RESEARCH
    save_change(application, ["stage", "forum_open"], clean=False)
    notify(
        recipients=[package.researcher],
        event="disclosure.package_returned",
        idempotency_key=f"research_package:{package.pk}:returned",
        title=f"Research package returned: {application.reference} (v{package.number})",
        body="The decision maker returned the research package with comments.",
        detail=package.return_comments,
        url=application_url(application),
        subject=application,
    )
    return following
