"""What of a disclosure application may be shared outside the MASH (mash/sharing/dissemination.py): its
summary and the entries of its latest submitted research package, owned by the police (the disclosure
team's agency), the entries with their grading and handling conditions. Only what the requester may see
is offered: nobody outside the disclosure team sees a research package."""

from django.urls import reverse

from disclosures.models import Application, PackageEntry, PackageStatus
from mash.agencies.models import Agency, AgencyKind
from mash.agencies.selectors import actor_for
from mash.common.dates import format_date
from mash.sharing import dissemination, policy
from mash.sharing.dissemination import ItemChoice, item_key
from referrals.dissemination import entry_text, graded


def police_agency(user) -> Agency | None:
    """The disclosure team's agency: the requester's own when they are police, else the police force."""
    actor = actor_for(user)
    if actor.agency is not None and actor.agency_kind == AgencyKind.POLICE:
        return actor.agency
    return Agency.objects.filter(kind=AgencyKind.POLICE, is_active=True).order_by("pk").first()


def application_summary_text(user, application: Application) -> str:
    audience = policy.audience_of(user, application)
    lines = [
        f"{application.get_scheme_display()} application {application.reference}, received "
        f"{format_date(application.received_at)}: {application.get_stage_display().lower()}."
    ]
    if policy.shows(audience, Application, "people"):
        people = [
            f"{link.person.full_name} ({link.get_role_display().lower()})"
            for link in application.people.all()
        ]
        lines.append("People: " + "; ".join(people) + ".")
    if policy.shows(audience, Application, "circumstances"):
        lines.append(f"Why: {application.circumstances}")
    if application.outcome:
        lines.append(f"Outcome: {application.get_outcome_display()}.")
    return "\n".join(lines)


def application_items(user, application: Application) -> list[ItemChoice]:
    police = police_agency(user)
    if police is None:
        return []
    items = [
        ItemChoice(
            key=item_key(application, "summary"),
            kind=f"Disclosure application {application.reference}: summary",
            owner_agency=police,
            text=application_summary_text(user, application),
            record=application,
        )
    ]
    package = application.packages.filter(status=PackageStatus.SUBMITTED).order_by("-number").first()
    if package is None or not policy.can_view(user, package):
        return items
    entries = PackageEntry.objects.filter(section__package=package).select_related("section")
    for entry in entries.order_by("section__pk", "created_at", "pk"):
        items.append(
            ItemChoice(
                key=item_key(entry),
                kind=f"Research package: {entry.section.get_kind_display()}: {entry.summary[:60]}",
                owner_agency=police,
                text=entry_text(entry),
                record=entry,
                **graded(entry),
            )
        )
    return items


def register() -> None:
    dissemination.register_items(
        Application,
        application_items,
        url=lambda application: reverse("disclosures:application", args=[application.pk]),
        label=lambda application: f"Disclosure application {application.reference}",
    )
