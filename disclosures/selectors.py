"""Reads of disclosure applications and research packages, for an acting user (the policy applies)."""

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from disclosures.models import (
    OPEN_STAGES,
    Application,
    ApplicationPerson,
    Decision,
    DisclosureRecord,
    PackageEntry,
    PackageSection,
    PersonRole,
    ResearchPackage,
    Stage,
)
from mash.clocks.calendar import clock_columns, describe_clock
from mash.people.history import HistoryItem, newest_of_each
from mash.sharing import policy
from mash.sharing.services import record_get

# What a list shows of the people an application names: who they are and their part in it (not
# their address and other details).
_PEOPLE_NAMES = (
    "application",
    "role",
    "person",
    "person__given_name",
    "person__family_name",
    "person__date_of_birth",
)
# What a row of the queue shows (disclosures/queue.html), and a row of the API's list
# (ApplicationRowSerializer): not the circumstances, the notes, the applicant's contact.
APPLICATION_ROW = (
    "reference",
    "scheme",
    "stage",
    "outcome",
    "received_at",
    "forum_open",
    *clock_columns("clock"),
    *clock_columns("initial_check_clock"),
    *clock_columns("meeting_clock"),
    "researcher",
    "researcher__first_name",
    "researcher__last_name",
    "researcher__username",
)


def application_queue(user, *, stage: str = "", include_closed: bool = False):
    """The data administrator's queue: applications by stage, the most urgent first, each with the
    names of its people (a list's: the queue's, the API's, the tray's, the measures')."""
    applications = Application.objects.all()
    if stage:
        applications = applications.filter(stage=stage)
    elif not include_closed:
        applications = applications.filter(stage__in=OPEN_STAGES)
    people = ApplicationPerson.objects.select_related("person").only(*_PEOPLE_NAMES)
    return (
        policy.visible(user, applications)
        .select_related("clock", "initial_check_clock", "meeting_clock", "researcher")
        .prefetch_related(Prefetch("people", queryset=people))
        .order_by("clock__due_at", "pk")
    )


def stage_counts(user) -> dict[str, int]:
    rows = policy.visible(user, Application.objects.filter(stage__in=OPEN_STAGES)).values("stage")
    return {row["stage"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


# Not yet decided: another application about the same subject may be a duplicate of one of these.
UNDECIDED_STAGES = (Stage.INITIAL_CHECKS, Stage.VERIFICATION, Stage.RESEARCH, Stage.DECISION)


def open_applications_about(user, person_ids):
    """The applications of any scheme not yet decided whose subject is one of these people, that
    this user may see, the oldest first: pointed out before another is recorded (as a referral's
    possible duplicates are), each with its ``subjects``."""
    if not person_ids:
        return Application.objects.none()
    applications = Application.objects.filter(
        stage__in=UNDECIDED_STAGES, people__role=PersonRole.SUBJECT, people__person_id__in=list(person_ids)
    )
    subjects = ApplicationPerson.objects.filter(role=PersonRole.SUBJECT).select_related("person")
    return (
        policy.visible(user, applications)
        .distinct()
        .prefetch_related(Prefetch("people", queryset=subjects, to_attr="subjects"))
        .order_by("received_at", "pk")
    )


def application_get_for(user, pk: int, *, request=None) -> Application:
    application = record_get(
        user=user,
        queryset=Application.objects.select_related(
            "clock", "initial_check_clock", "meeting_clock", "researcher", "recorded_by", "verified_by"
        ),
        pk=pk,
        request=request,
    )
    return application


def package_get_for(user, pk: int, *, request=None) -> ResearchPackage:
    package = record_get(
        user=user,
        queryset=ResearchPackage.objects.select_related("application__clock", "researcher"),
        pk=pk,
        request=request,
    )
    return package


def packages_of(user, application: Application):
    return policy.visible(
        user, application.packages.select_related("researcher", "submitted_by", "returned_by")
    )


def application_detail_parts(user, application: Application) -> dict:
    """What the application's detail shows beside it, as far as the user's audience shows it: its
    people, the package versions, the decision and the disclosure (None until made). A forum
    participant (the partner audience) gets the people only: the summary, never the research package."""
    audience = policy.audience_of(user, application)
    parts = {}
    if policy.shows(audience, Application, "people"):
        parts["people"] = list(application.people.select_related("person"))
    if policy.shows(audience, Application, "packages"):
        parts["packages"] = list(packages_of(user, application))
    if policy.shows(audience, Application, "decision"):
        parts["decision"] = (
            Decision.objects.filter(application=application)
            .select_related("decided_by")
            .prefetch_related("forum_agencies")
            .first()
        )
    if policy.shows(audience, Application, "disclosure"):
        parts["disclosure"] = (
            DisclosureRecord.objects.filter(application=application).select_related("disclosed_by").first()
        )
    return parts


def package_sections(package: ResearchPackage) -> list[PackageSection]:
    return list(
        package.sections.prefetch_related(
            Prefetch(
                "entries", queryset=PackageEntry.objects.select_related("author").order_by("created_at", "pk")
            )
        ).select_related("checked_by")
    )


def clock_texts(application: Application, *, now=None) -> dict[str, str]:
    now = now or timezone.now()
    return {
        "decision": describe_clock(application.clock, now=now),
        "initial_checks": describe_clock(application.initial_check_clock, now=now),
        "meeting": describe_clock(application.meeting_clock, now=now),
    }


def _outcome_or_stage(application) -> str:
    return application.get_outcome_display() if application.outcome else application.get_stage_display()


def people_disclosure_history(user, people) -> dict[int, list[HistoryItem]]:
    """History source: the applications naming each person that the user may see."""
    ids = [person.pk for person in people]
    applications = policy.visible(user, Application.objects.filter(people__person__in=ids))
    # Distinct: a person named in two roles of one application is one record of their history.
    applications = applications.only("reference", "received_at", "scheme", "outcome", "stage").distinct()
    return {
        person_id: [
            HistoryItem(
                kind="Disclosure application",
                at=application.received_at,
                title=application.reference,
                summary=f"{application.get_scheme_display()}; {_outcome_or_stage(application)}",
                url=reverse("disclosures:application", args=[application.pk]),
            )
            for application in found
        ]
        for person_id, found in newest_of_each(
            applications, "people__person_id", ids, "-received_at", "pk"
        ).items()
    }
