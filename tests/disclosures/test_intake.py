"""Applications: intake and its refusals, people through the core, the initial checks (and immediate
risk), verification, the researcher's assignment and withdrawal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosures import services
from disclosures.models import (
    Application,
    ApplicationPerson,
    Outcome,
    PackageStatus,
    PersonRole,
    ResearchPackage,
    Route,
    Scheme,
    SectionKind,
    Stage,
)
from mash.agencies.roles import Role
from mash.common.ordering import when
from mash.notifications.models import Channel, Notification
from mash.people.models import Person
from tests.factories import member

pytestmark = pytest.mark.django_db

IMMEDIATE_RISK = "disclosure.immediate_risk"


def _refused(make, *, field=None):
    """Call ``make()``: it must be refused (naming ``field`` when given) and record nothing."""
    before = Application.objects.count()
    with pytest.raises(ValidationError) as error:
        make()
    if field is not None:
        assert field in error.value.message_dict, error.value
    assert Application.objects.count() == before
    return error.value


# Intake: what an application must have.


def test_it_refuses_an_application_without_a_subject(new_application, people):
    roles = [
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
        services.PersonInput(role=PersonRole.AT_RISK, person=people["applicant"]),
    ]

    error = _refused(lambda: new_application(people=roles), field="people")

    assert "disclosure" in " ".join(error.message_dict["people"])


@pytest.mark.parametrize("scheme", [Scheme.RIGHT_TO_ASK, Scheme.RIGHT_TO_KNOW])
def test_it_refuses_clares_law_without_a_person_at_risk(new_application, people, scheme):
    roles = [
        services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
    ]

    error = _refused(lambda: new_application(scheme=scheme, people=roles), field="people")

    assert "at risk" in " ".join(error.message_dict["people"])


def test_it_refuses_sarahs_law_without_a_child(new_application, people):
    roles = [
        services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
        services.PersonInput(role=PersonRole.AT_RISK, person=people["at_risk"]),
    ]

    error = _refused(lambda: new_application(scheme=Scheme.SARAHS_LAW, people=roles), field="people")

    assert "child" in " ".join(error.message_dict["people"])


@pytest.mark.parametrize("scheme", [Scheme.RIGHT_TO_ASK, Scheme.SARAHS_LAW])
def test_it_refuses_an_application_without_its_applicant(new_application, people, scheme):
    roles = [
        services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        services.PersonInput(role=PersonRole.AT_RISK, person=people["at_risk"]),
        services.PersonInput(role=PersonRole.CHILD, person=people["child"]),
    ]

    error = _refused(lambda: new_application(scheme=scheme, people=roles), field="people")

    assert "applicant" in " ".join(error.message_dict["people"])


@pytest.mark.parametrize("scheme", [Scheme.RIGHT_TO_ASK, Scheme.SARAHS_LAW])
def test_it_refuses_an_application_without_the_applicants_relation(new_application, scheme):
    _refused(lambda: new_application(scheme=scheme, applicant_relation="  "), field="applicant_relation")


def test_right_to_know_needs_no_applicant_nor_relation(new_application, people):
    application = new_application(scheme=Scheme.RIGHT_TO_KNOW, applicant_relation="")

    assert application.stage == Stage.INITIAL_CHECKS
    assert set(application.people.values_list("role", flat=True)) == {PersonRole.SUBJECT, PersonRole.AT_RISK}
    assert application.applicant_relation == ""


def test_it_refuses_an_application_without_circumstances(new_application):
    _refused(lambda: new_application(circumstances="   \n"), field="circumstances")


def test_it_refuses_an_unknown_scheme_and_route(new_application):
    _refused(lambda: new_application(scheme="unknown"), field="scheme")
    _refused(lambda: new_application(route="pigeon"), field="route")


@pytest.mark.parametrize("who", ["police_researcher", "health_researcher", "triage", "police_decision_maker"])
def test_only_a_police_data_administrator_records_an_application(cast, new_application, who):
    error = _refused(lambda: new_application(by=getattr(cast, who)))

    assert "data administrator" in error.messages[0]
    assert not ApplicationPerson.objects.exists()


def test_a_data_administrator_of_another_agency_is_refused(cast, new_application):
    health_admin = member(cast.health, Role.DATA_ADMINISTRATOR, username="health.admin")

    _refused(lambda: new_application(by=health_admin))


# People: matched or created through the core.


def test_existing_people_are_linked_not_copied(team, new_application, people):
    before = Person.objects.count()

    application = new_application()

    assert Person.objects.count() == before
    links = {(link.role, link.person_id) for link in application.people.all()}
    assert links == {
        (PersonRole.SUBJECT, people["subject"].pk),
        (PersonRole.APPLICANT, people["applicant"].pk),
        (PersonRole.AT_RISK, people["applicant"].pk),
    }


def test_new_people_are_created_through_the_core(team, new_application, people):
    before = Person.objects.count()
    roles = [
        services.PersonInput(
            role=PersonRole.SUBJECT,
            given_name=" Darren ",
            family_name="Cole",
            approximate_age=40,
            gender="male",
            nhs_number="943 476 5870",
            postcode="ip1 2ab",
        ),
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
        services.PersonInput(role=PersonRole.AT_RISK, given_name="Kim", family_name="Cole"),
    ]

    application = new_application(people=roles)

    assert Person.objects.count() == before + 2
    subject = application.people.get(role=PersonRole.SUBJECT).person
    # The core's normalisation shows it went through person_create.
    assert (subject.given_name, subject.family_name) == ("Darren", "Cole")
    assert subject.nhs_number == "9434765870"
    assert subject.postcode == "IP1 2AB"
    assert application.people.get(role=PersonRole.AT_RISK).person.full_name == "Kim Cole"
    assert application.people.get(role=PersonRole.APPLICANT).person == people["applicant"]


def test_a_new_person_the_core_refuses_is_named_by_position_and_nothing_is_recorded(new_application, people):
    before = Person.objects.count()
    roles = [
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
        services.PersonInput(
            role=PersonRole.SUBJECT, given_name="Darren", family_name="Cole", nhs_number="123"
        ),
        services.PersonInput(role=PersonRole.AT_RISK, person=people["applicant"]),
    ]

    _refused(lambda: new_application(people=roles), field="people-1-nhs_number")

    assert Person.objects.count() == before
    assert not ApplicationPerson.objects.exists()


def test_a_person_named_twice_in_the_same_role_is_refused(new_application, people):
    roles = [
        services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]),
        services.PersonInput(role=PersonRole.AT_RISK, person=people["applicant"]),
    ]

    _refused(lambda: new_application(people=roles), field="people-1-person")


def test_the_application_records_who_recorded_it_and_how_it_came_in(team, new_application):
    application = new_application(route=Route.ONLINE, applicant_contact=" Mobile, texts only ")

    application.refresh_from_db()
    assert application.recorded_by == team.admin
    assert application.route == Route.ONLINE
    assert application.applicant_contact == "Mobile, texts only"
    assert application.stage == Stage.INITIAL_CHECKS and application.outcome == ""


# The initial checks.


def test_right_to_ask_goes_from_the_initial_checks_to_verification(team, new_application):
    application = new_application()

    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")

    application.refresh_from_db()
    assert application.stage == Stage.VERIFICATION
    assert application.immediate_risk is False
    assert application.initial_check_by == team.admin and application.initial_check_at is not None


def test_right_to_know_skips_verification_and_goes_to_research(team, new_application):
    application = new_application(scheme=Scheme.RIGHT_TO_KNOW)

    services.initial_check_record(
        application=application, by=team.researcher, immediate_risk=False, notes="Intelligence reviewed."
    )

    application.refresh_from_db()
    assert application.stage == Stage.RESEARCH
    assert application.identity_verified is False
    services.researcher_assign(application=application, by=team.admin, researcher=team.researcher)
    assert application.packages.get().number == 1


def test_the_initial_checks_need_notes(team, new_application):
    application = new_application()

    with pytest.raises(ValidationError) as error:
        services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes=" ")

    assert "notes" in error.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.INITIAL_CHECKS
    assert application.initial_check_clock.stopped_at is None


@pytest.mark.parametrize("who", ["health_researcher", "triage", "outsider", "police_decision_maker"])
def test_the_initial_checks_are_the_disclosure_teams(cast, new_application, who):
    application = new_application()

    with pytest.raises(ValidationError):
        services.initial_check_record(
            application=application, by=getattr(cast, who), immediate_risk=False, notes="None."
        )

    application.refresh_from_db()
    assert application.stage == Stage.INITIAL_CHECKS


def test_the_initial_checks_are_recorded_once(team, new_application):
    application = new_application()
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")

    with pytest.raises(ValidationError):
        services.initial_check_record(
            application=application, by=team.admin, immediate_risk=True, notes="Again"
        )

    application.refresh_from_db()
    assert application.immediate_risk is False


def test_immediate_risk_tells_the_police_decision_makers_and_the_lead_triage_team_once(
    cast, team, new_application
):
    second_police_decider = member(cast.police, Role.DECISION_MAKER, username="police.decision2")
    second_triage = member(cast.lead, Role.TRIAGE_PRACTITIONER, username="triage2")
    # Not to be told: a triage practitioner of another agency, the lead decision maker, the researcher.
    member(cast.health, Role.TRIAGE_PRACTITIONER, username="health.triage")
    application = new_application()

    services.initial_check_record(
        application=application, by=team.admin, immediate_risk=True, notes="He was at her door last night."
    )

    rows = Notification.objects.filter(event=IMMEDIATE_RISK, channel=Channel.IN_APP)
    recipients = [row.recipient for row in rows]
    assert sorted(u.username for u in recipients) == sorted(
        u.username for u in [cast.police_decision_maker, second_police_decider, cast.triage, second_triage]
    )
    # Once each: one in-app row and one e-mail per person.
    assert Notification.objects.filter(event=IMMEDIATE_RISK, channel=Channel.EMAIL).count() == 4
    assert all(row.subject == application for row in rows)
    assert all(application.reference in row.title for row in rows)


def test_no_immediate_risk_tells_nobody(team, new_application):
    application = new_application()

    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")

    assert not Notification.objects.filter(event=IMMEDIATE_RISK).exists()


# Verification and the meeting.


@pytest.fixture
def at_verification(team, new_application):
    application = new_application(received_at=timezone.now() - timedelta(days=2))
    services.initial_check_record(application=application, by=team.admin, immediate_risk=False, notes="None.")
    application.refresh_from_db()
    return application


def test_verification_moves_the_application_to_research(team, at_verification):
    met_at = timezone.now() - timedelta(hours=1)

    services.verification_record(
        application=at_verification,
        by=team.admin,
        identity_method=" Passport seen ",
        meeting_at=met_at,
        notes="Met at the station.",
    )

    at_verification.refresh_from_db()
    assert at_verification.stage == Stage.RESEARCH
    assert at_verification.identity_verified is True
    assert at_verification.identity_method == "Passport seen"
    assert at_verification.meeting_at == met_at
    assert at_verification.verified_by == team.admin


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"identity_method": "  "}, "identity_method"),
        ({"meeting_at": timezone.now() + timedelta(days=1)}, "meeting_at"),
        ({"meeting_at": timezone.now() - timedelta(days=5)}, "meeting_at"),  # before it was received
    ],
)
def test_verification_refusals_name_the_field(team, at_verification, overrides, field):
    values = {"identity_method": "Passport", "meeting_at": timezone.now()}
    values.update(overrides)

    with pytest.raises(ValidationError) as error:
        services.verification_record(application=at_verification, by=team.admin, **values)

    assert field in error.value.message_dict
    at_verification.refresh_from_db()
    assert at_verification.stage == Stage.VERIFICATION and not at_verification.identity_verified


@pytest.mark.parametrize("who", ["police_researcher", "police_decision_maker", "health_researcher", "triage"])
def test_only_a_data_administrator_records_the_verification(cast, at_verification, who):
    with pytest.raises(ValidationError):
        services.verification_record(
            application=at_verification,
            by=getattr(cast, who),
            identity_method="Passport",
            meeting_at=timezone.now(),
        )

    at_verification.refresh_from_db()
    assert at_verification.stage == Stage.VERIFICATION


def test_verification_before_the_initial_checks_is_refused(team, new_application):
    application = new_application()

    with pytest.raises(ValidationError):
        services.verification_record(
            application=application, by=team.admin, identity_method="Passport", meeting_at=timezone.now()
        )

    application.refresh_from_db()
    assert application.stage == Stage.INITIAL_CHECKS


def test_a_stale_copy_of_the_application_is_refused(team, at_verification):
    with pytest.raises(ValidationError) as error:
        services.verification_record(
            application=at_verification,
            by=team.admin,
            identity_method="Passport",
            meeting_at=timezone.now(),
            expected_version=at_verification.version - 1,
        )

    assert error.value.code == "stale"


# The researcher.


def test_assigning_the_researcher_starts_package_v1_with_one_section_per_kind(team, at_research):
    package = at_research.packages.get()

    assert at_research.researcher == team.researcher
    assert package.number == 1 and package.status == PackageStatus.DRAFT
    assert package.researcher == team.researcher
    kinds = list(package.sections.values_list("kind", flat=True))
    assert sorted(kinds) == sorted(SectionKind.values)
    assert not package.sections.filter(nothing_found=True).exists()
    assert Notification.objects.filter(
        event="disclosure.assigned", recipient=team.researcher, channel=Channel.IN_APP
    ).exists()


def test_reassigning_keeps_the_same_package(team, at_research):
    package = at_research.packages.get()

    services.researcher_assign(application=at_research, by=team.admin, researcher=team.second_researcher)

    package.refresh_from_db()
    assert ResearchPackage.objects.filter(application=at_research).count() == 1
    assert package.researcher == team.second_researcher
    at_research.refresh_from_db()
    assert at_research.researcher == team.second_researcher


@pytest.mark.parametrize("who", ["health_researcher", "outsider", "police_decision_maker", "triage"])
def test_only_a_police_researcher_can_be_assigned(cast, team, at_verification, who):
    services.verification_record(
        application=at_verification, by=team.admin, identity_method="Passport", meeting_at=timezone.now()
    )

    with pytest.raises(ValidationError) as error:
        services.researcher_assign(application=at_verification, by=team.admin, researcher=getattr(cast, who))

    assert "researcher" in error.value.message_dict
    at_verification.refresh_from_db()
    assert at_verification.researcher is None
    assert not ResearchPackage.objects.exists()


def test_only_a_data_administrator_assigns_the_researcher(team, at_verification):
    services.verification_record(
        application=at_verification, by=team.admin, identity_method="Passport", meeting_at=timezone.now()
    )

    with pytest.raises(ValidationError):
        services.researcher_assign(
            application=at_verification, by=team.decision_maker, researcher=team.researcher
        )

    assert not ResearchPackage.objects.exists()


def test_a_researcher_is_assigned_only_at_research(team, at_verification):
    with pytest.raises(ValidationError):
        services.researcher_assign(application=at_verification, by=team.admin, researcher=team.researcher)

    assert not ResearchPackage.objects.exists()


# Withdrawal.


def test_withdrawing_closes_the_application_and_stops_its_clocks(team, new_application):
    application = new_application(scheme=Scheme.SARAHS_LAW)

    services.application_withdraw(application=application, by=team.admin, reason=" The applicant withdrew. ")

    application = Application.objects.get(pk=application.pk)
    assert application.stage == Stage.CLOSED and application.outcome == Outcome.WITHDRAWN
    assert application.closure_note == "The applicant withdrew."
    assert application.closed_at is not None
    for clock in (application.clock, application.initial_check_clock, application.meeting_clock):
        assert clock.stopped_at == application.closed_at


def test_withdrawing_needs_a_reason_and_a_data_administrator(team, at_research):
    with pytest.raises(ValidationError) as error:
        services.application_withdraw(application=at_research, by=team.admin, reason="")
    assert "reason" in error.value.message_dict

    with pytest.raises(ValidationError):
        services.application_withdraw(application=at_research, by=team.researcher, reason="Withdrawn.")

    at_research.refresh_from_db()
    assert at_research.stage == Stage.RESEARCH and at_research.outcome == ""


def test_a_decided_application_cannot_be_withdrawn(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    application = compiled.application
    services.decision_record(
        application=application,
        by=team.decision_maker,
        disclose=True,
        lawful="Common law power.",
        necessary="Serious risk.",
        proportionate="Only the conviction.",
        wording="He has a conviction for violence against a partner.",
        recipient_name="Sarah Jones",
    )

    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=team.admin, reason="Changed her mind.")

    application.refresh_from_db()
    assert application.stage == Stage.DISCLOSURE and application.outcome == ""


def test_a_meeting_before_the_application_was_received_names_the_time(team, at_verification):
    received = at_verification.received_at
    with pytest.raises(ValidationError) as refused:
        services.verification_record(
            application=at_verification,
            by=team.admin,
            identity_method="Passport",
            meeting_at=received - timedelta(hours=1),
        )
    assert refused.value.message_dict == {
        "meeting_at": [f"The meeting cannot be before the application was received ({when(received)})."]
    }
