"""The disclosures app's kinds of record for retention (mash/retention/registry.py;
docs/retention.md): applications closed without a disclosure, and applications disclosed. An erasure
takes the application's people links, research packages (sections and graded entries), the decision and
the record of the disclosure; the scheme, route, stages, outcome, dates and clocks stay."""

from disclosures.models import (
    Application,
    ApplicationPerson,
    Decision,
    DisclosureRecord,
    Outcome,
    PackageEntry,
    PackageSection,
    ResearchPackage,
    Stage,
)
from mash.retention.registry import RetentionKind, register_kind


def _closed():
    return Application.objects.filter(stage=Stage.CLOSED, closed_at__isnull=False)


def erase_application(application: Application, scrub) -> None:
    scrub.rows(Application.objects.filter(pk=application.pk), keep=("reference",))
    links = ApplicationPerson.objects.filter(application=application)
    scrub.rows(links)
    scrub.rows(ResearchPackage.objects.filter(application=application))
    scrub.rows(PackageSection.objects.filter(package__application=application))
    scrub.rows(PackageEntry.objects.filter(section__package__application=application))
    scrub.rows(Decision.objects.filter(application=application))
    scrub.rows(DisclosureRecord.objects.filter(application=application))
    scrub.link_people(links.values_list("person_id", flat=True))


def describe_application(application: Application) -> str:
    outcome = application.get_outcome_display() if application.outcome else "no outcome"
    return f"{application.get_scheme_display()}, {outcome}"


def register() -> None:
    common = {
        "model": Application,
        "counted_from": "the date the application was closed",
        "date_field": "closed_at",
        "erase": erase_application,
        "describe": describe_application,
        "of_people": lambda ids: Application.objects.filter(people__person__in=list(ids)).distinct(),
        "lookup": lambda reference: Application.objects.filter(reference__iexact=reference).first(),
        "reference_field": "reference",
    }
    register_kind(
        RetentionKind(
            key="disclosure-not-disclosed",
            label="Disclosure applications closed without a disclosure",
            records=lambda: _closed().exclude(outcome=Outcome.DISCLOSED),
            **common,
        )
    )
    register_kind(
        RetentionKind(
            key="disclosure-disclosed",
            label="Disclosure applications disclosed",
            records=lambda: _closed().filter(outcome=Outcome.DISCLOSED),
            **common,
        )
    )
