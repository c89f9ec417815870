"""Fixtures of the disclosure tests: the police disclosure team and an application at each stage."""

import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import PersonRole, Route, Scheme, SectionKind
from mash.agencies.roles import Role
from mash.common.grading import Grading
from tests.factories import PersonFactory, member


@pytest.fixture
def team(cast):
    """The police disclosure team: the cast's data administrator and decision maker, two researchers."""

    class Team:
        admin = cast.data_admin
        decision_maker = cast.police_decision_maker
        researcher = cast.police_researcher
        second_researcher = member(cast.police, Role.AGENCY_RESEARCHER, username="police.researcher2")

    return Team


@pytest.fixture
def people(db):
    return {
        "applicant": PersonFactory(given_name="Sarah", family_name="Jones"),
        "subject": PersonFactory(given_name="Mark", family_name="Taylor"),
        "at_risk": PersonFactory(given_name="Sarah", family_name="Jones"),
        "child": PersonFactory(given_name="Lily", family_name="Jones"),
    }


@pytest.fixture
def new_application(team, people):
    """``new_application(scheme=..., **overrides)``: a Right to Ask application by default."""

    def make(scheme=Scheme.RIGHT_TO_ASK, **overrides):
        roles = [
            services.PersonInput(role=PersonRole.SUBJECT, person=people["subject"]),
        ]
        if scheme != Scheme.RIGHT_TO_KNOW:
            roles.append(services.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]))
        if scheme == Scheme.SARAHS_LAW:
            roles.append(services.PersonInput(role=PersonRole.CHILD, person=people["child"]))
        else:
            roles.append(services.PersonInput(role=PersonRole.AT_RISK, person=people["applicant"]))
        fields = {
            "by": team.admin,
            "scheme": scheme,
            "route": Route.POLICE if scheme == Scheme.RIGHT_TO_KNOW else Route.PHONE,
            "circumstances": "New partner; a friend says he was violent to his last partner.",
            "people": roles,
            "applicant_relation": "" if scheme == Scheme.RIGHT_TO_KNOW else "Herself: his partner",
        }
        fields.update(overrides)
        return services.application_create(**fields)

    return make


@pytest.fixture
def at_research(team, new_application):
    """A Right to Ask application checked, verified and assigned to the researcher."""
    application = new_application()
    services.initial_check_record(
        application=application, by=team.admin, immediate_risk=False, notes="No risk now."
    )
    services.verification_record(
        application=application,
        by=team.admin,
        identity_method="Passport seen",
        meeting_at=timezone.now(),
    )
    services.researcher_assign(application=application, by=team.admin, researcher=team.researcher)
    application.refresh_from_db()
    return application


def police_grading(**fields) -> Grading:
    values = {
        "source_system": "PNC",
        "summary": "Convicted of assault on a former partner, 2021",
        "source_evaluation": "1",
        "intelligence_assessment": "A",
        "handling_code": "P",
    }
    values.update(fields)
    return Grading(**values)


@pytest.fixture
def compiled(team, at_research):
    """The package of ``at_research`` complete: one PNC entry, every other section 'nothing found'."""
    package = at_research.packages.get()
    for section in package.sections.all():
        if section.kind == SectionKind.PNC:
            services.entry_add(section=section, by=team.researcher, data=police_grading())
        else:
            services.section_update(section=section, by=team.researcher, nothing_found=True, note="Checked.")
    package = services.package_summary_update(
        package=package, by=team.researcher, summary="One conviction for violence against a partner."
    )
    return package
