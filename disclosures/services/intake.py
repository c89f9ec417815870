"""Applications: intake, the 24-hour initial risk checks, identity verification and the meeting, the
researcher's assignment, withdrawal."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from disclosures import policy
from disclosures.models import (
    CLARES_LAW,
    Application,
    ApplicationPerson,
    Outcome,
    PersonRole,
    Route,
    Scheme,
    Stage,
)
from disclosures.services.common import application_url, next_reference
from disclosures.services.decision import close_forum
from disclosures.services.research import package_start
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start, clock_stop
from mash.common.backdating import recorded_time_error
from mash.common.dates import format_date
from mash.common.errors import require, require_role
from mash.common.ordering import order_error
from mash.common.versioning import lock_for_change, save_change
from mash.notifications.services import notify
from mash.people.services import PersonChoice, person_details_errors, person_resolve
from mash.sharing.services import grant_view

CLOCK = "disclosure decision"
CLARES_LAW_DAYS = 28  # DVDS statutory guidance 2023
SARAHS_LAW_DAYS = 45  # CSODS guidance 2023
INITIAL_CHECK_HOURS = 24
MEETING_DAYS = 10  # Sarah's Law: the interview within 10 days


@dataclass(kw_only=True)
class PersonInput(PersonChoice):
    """Someone in an application, in a role: a known person (matched through the core; or their id)
    or a new one's details."""

    role: str
    also_roles: tuple[str, ...] = ()  # further roles of the same person (an applicant also at risk)


def application_errors(
    *,
    scheme: str,
    route: str,
    circumstances: str,
    roles: list[str],
    received_at: datetime | None = None,
    applicant_relation: str = "",
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """Everything wrong with an application but its new people's details, all at once, each under
    the field it is about (``people`` for the people as a whole): the intake page shows them in one
    error summary, the API names each field. Nothing is written."""
    errors: dict[str, list[str]] = {}

    def check(condition: bool, field: str, message: str) -> None:
        if not condition:
            errors.setdefault(field, []).append(message)

    if received_at is not None:
        error = recorded_time_error(received_at, the="The time received", now=now or timezone.now())
        check(not error, "received_at", error)
    check(scheme in Scheme.values, "scheme", "Choose the scheme.")
    check(route in Route.values, "route", "Choose how the application came in.")
    check(bool(circumstances.strip()), "circumstances", "Say why the application is made.")
    check(PersonRole.SUBJECT in roles, "people", "Name the person about whom disclosure may be made.")
    if scheme == Scheme.SARAHS_LAW:
        check(PersonRole.CHILD in roles, "people", "Sarah's Law: name the child or children concerned.")
    elif scheme in CLARES_LAW:
        check(
            PersonRole.AT_RISK in roles, "people", "Clare's Law: name the person at risk of domestic abuse."
        )
    if scheme in Scheme.values and scheme != Scheme.RIGHT_TO_KNOW:
        check(PersonRole.APPLICANT in roles, "people", "Name the applicant.")
        check(bool(applicant_relation.strip()), "applicant_relation", "Give the applicant's relation.")
    return errors


def people_errors(people: list[PersonInput], *, keys: list[int] | None = None) -> dict[str, list[str]]:
    """What is wrong with the details of the new people named, as ``people-<index>-<field>`` (the
    index in ``people``, or the one ``keys`` gives it). Nothing is written."""
    errors: dict[str, list[str]] = {}
    for position, item in enumerate(people):
        index = keys[position] if keys is not None else position
        for role in (item.role, *item.also_roles):
            if role not in PersonRole.values:
                errors.setdefault(f"people-{index}-role", []).append(f"{role!r} is not a role here.")
        if item.person is None:
            for field, messages in person_details_errors(item).items():
                errors.setdefault(f"people-{index}-{field}", []).extend(messages)
    return errors


def _people(by, application: Application, people: list[PersonInput]) -> None:
    seen = set()
    for index, item in enumerate(people):
        roles = (item.role, *item.also_roles)
        person = person_resolve(by=by, choice=item, prefix=f"people-{index}-")
        for role in roles:
            require(
                (person.pk, role) not in seen,
                {f"people-{index}-person": f"{person} is already named as that."},
            )
            seen.add((person.pk, role))
            ApplicationPerson.objects.create(application=application, person=person, role=role)
        # The disclosure team sees every application, so who it names: the person's partner fields,
        # through a grant to the recording agency (mash/people/policy.py).
        if actor_for(by).agency is not None:
            grant_view(obj=person, agency=actor_for(by).agency)


@transaction.atomic
def application_create(
    *,
    by,
    scheme: str,
    route: str,
    circumstances: str,
    people: list[PersonInput],
    received_at: datetime | None = None,
    applicant_relation: str = "",
    applicant_contact: str = "",
) -> Application:
    """Record an application (or a Right to Know case) with its people; start its clocks."""
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators record applications."
    )
    # The known people named are checked first (one the administrator may not see is refused as one
    # who does not exist); new people are made once the application is found valid.
    people = [
        replace(item, person=person_resolve(by=by, choice=item, prefix=f"people-{index}-"))
        if item.person is not None
        else item
        for index, item in enumerate(people)
    ]
    now = timezone.now()
    received_at = received_at or now
    errors = application_errors(
        scheme=scheme,
        route=route,
        circumstances=circumstances,
        roles=[role for p in people for role in (p.role, *p.also_roles)],
        received_at=received_at,
        applicant_relation=applicant_relation,
        now=now,
    )
    errors.update(people_errors(people))
    require(not errors, errors)
    days = CLARES_LAW_DAYS if scheme in CLARES_LAW else SARAHS_LAW_DAYS
    application = Application(
        reference=next_reference(timezone.localtime(received_at).year),
        scheme=scheme,
        route=route,
        received_at=received_at,
        recorded_by=by,
        applicant_relation=applicant_relation.strip(),
        applicant_contact=applicant_contact.strip(),
        circumstances=circumstances.strip(),
        clock=clock_start(kind=CLOCK, basis=ClockBasis.CALENDAR_DAYS, amount=days, started_at=received_at),
        initial_check_clock=clock_start(
            kind="disclosure initial risk checks",
            basis=ClockBasis.CALENDAR_HOURS,
            amount=INITIAL_CHECK_HOURS,
            started_at=received_at,
        ),
        meeting_clock=(
            clock_start(
                kind="disclosure interview",
                basis=ClockBasis.CALENDAR_DAYS,
                amount=MEETING_DAYS,
                started_at=received_at,
            )
            if scheme == Scheme.SARAHS_LAW
            else None
        ),
    )
    application.full_clean()
    application.save()
    _people(by, application, people)
    return application


def _lead_triage() -> list:
    lead = Agency.objects.filter(is_lead=True).first()
    return list(members_with_role(lead.pk, Role.TRIAGE_PRACTITIONER)) if lead else []


@transaction.atomic
def initial_check_record(
    *, application: Application, by, immediate_risk: bool, notes: str, expected_version: int | None = None
) -> Application:
    """The initial risk checks (within 24 hours). Immediate risk routes to an urgent safeguarding
    response: the police decision makers and the MASH triage team are told at once."""
    application = lock_for_change(application, expected_version)
    actor = actor_for(by)
    require_role(
        policy.may_administer(actor) or policy.may_research(actor), "Only the disclosure team records checks."
    )
    require(application.stage == Stage.INITIAL_CHECKS, "The initial checks are already recorded.")
    require(bool(notes.strip()), {"notes": "Record what was checked and what was found."})
    now = timezone.now()
    application.immediate_risk = immediate_risk
    application.initial_check_notes = notes.strip()
    application.initial_check_at, application.initial_check_by = now, by
    # Right to Know has no applicant to verify: straight to research.
    application.stage = Stage.RESEARCH if application.scheme == Scheme.RIGHT_TO_KNOW else Stage.VERIFICATION
    save_change(
        application,
        ["immediate_risk", "initial_check_notes", "initial_check_at", "initial_check_by", "stage"],
    )
    clock_stop(clock=application.initial_check_clock, stopped_at=now)
    if immediate_risk:
        police_decision_makers = list(members_with_role(actor.agency_id, Role.DECISION_MAKER))
        notify(
            recipients=list({u.pk: u for u in [*police_decision_makers, *_lead_triage()]}.values()),
            event="disclosure.immediate_risk",
            idempotency_key=f"disclosure:{application.pk}:immediate_risk",
            title=f"Immediate risk: disclosure application {application.reference}",
            body="The initial checks found an immediate risk. Start an urgent safeguarding response; the "
            "MASH triage team should record a referral (police notification).",
            url=application_url(application),
            subject=application,
        )
    return application


@transaction.atomic
def verification_record(
    *,
    application: Application,
    by,
    identity_method: str,
    meeting_at: datetime,
    notes: str = "",
    expected_version: int | None = None,
) -> Application:
    """The applicant's identity is verified and they were met face to face."""
    application = lock_for_change(application, expected_version)
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators record the verification."
    )
    require(application.stage == Stage.VERIFICATION, "This application is not awaiting verification.")
    require(bool(identity_method.strip()), {"identity_method": "Say how the identity was verified."})
    require(meeting_at <= timezone.now(), {"meeting_at": "The meeting cannot be in the future."})
    error = order_error(
        meeting_at,
        the="The meeting",
        earlier=application.received_at,
        earlier_the="the application was received",
    )
    require(not error, {"meeting_at": error})
    application.identity_verified = True
    application.identity_method = identity_method.strip()
    application.meeting_at, application.meeting_notes = meeting_at, notes.strip()
    application.verified_by = by
    application.stage = Stage.RESEARCH
    save_change(
        application,
        ["identity_verified", "identity_method", "meeting_at", "meeting_notes", "verified_by", "stage"],
    )
    if application.meeting_clock_id:
        clock_stop(clock=application.meeting_clock, stopped_at=meeting_at)
    return application


@transaction.atomic
def researcher_assign(*, application: Application, by, researcher, expected_version: int | None = None):
    """Assign (or re-assign) the researcher. The first assignment starts version 1 of the package."""
    application = lock_for_change(application, expected_version)
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators assign researchers."
    )
    require(policy.may_research(actor_for(researcher)), {"researcher": "Choose a police researcher."})
    require(application.stage == Stage.RESEARCH, "Assign a researcher once the application is at research.")
    application.researcher = researcher
    save_change(application, ["researcher"])
    package = application.packages.filter(status="draft").first()
    if package is None:
        package_start(application=application, researcher=researcher)
    else:
        package.researcher = researcher
        package.save(update_fields=["researcher", "updated_at"])
    notify(
        recipients=[researcher],
        event="disclosure.assigned",
        idempotency_key=f"disclosure:{application.pk}:assigned:{researcher.pk}:{application.version}",
        title=f"Research package to compile: {application.reference}",
        body=f"{application.get_scheme_display()}: due by {format_date(application.clock.due_at)}.",
        url=application_url(application),
        subject=application,
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str, expected_version: int | None = None):
    """The applicant withdraws (or the case ends otherwise) before a decision."""
    application = lock_for_change(application, expected_version)
    require_role(
        policy.may_administer(actor_for(by)), "Only the police data administrators close applications."
    )
    require(application.stage not in (Stage.DISCLOSURE, Stage.CLOSED), "This application is already decided.")
    require(bool(reason.strip()), {"reason": "Say why the application is withdrawn."})
    now = timezone.now()
    close_forum(application)
    application.stage, application.outcome = Stage.CLOSED, Outcome.WITHDRAWN
    application.closed_at, application.closure_note = now, reason.strip()
    save_change(application, ["stage", "outcome", "closed_at", "closure_note", "forum_open"])
    for clock in (application.clock, application.initial_check_clock, application.meeting_clock):
        if clock is not None:
            clock_stop(clock=clock, stopped_at=now)
    return application
