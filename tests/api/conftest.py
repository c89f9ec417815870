"""Fixtures of the API smoke harness: the WSGI application in this process, tokens for the cast, and
a database with something in it for every role to see (or be refused)."""

from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from disclosures import services as disclosure_services
from mash.common.grading import Grading
from mash.notifications.models import Channel
from mash.notifications.services import notify
from mash.sharing.services import grant_view
from missing_persons import services as missing_services
from referrals import services
from referrals.requests import services as request_services
from referrals.services import SubjectInput
from strategy import services as strategy_services
from tests.factories import PersonFactory, api_token
from tests.strategy.support import every_child

# Every user of the fixed cast, by the name of its `cast` attribute.
ROLES = (
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "manager",
    "governance",
    "outsider",
)


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, called in this process inside the test's transaction.

    Django closes "old" connections at the start and end of every request; inside the test's
    transaction that would mark it for rollback. Django's own test client disconnects the same
    receiver for the same reason.
    """
    from mash.config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token_header():
    """``token_header(user)``: the ``Authorization`` header of a new API token of the user."""

    def header(user) -> dict[str, str]:
        return {"Authorization": f"Token {api_token(user)}"}

    return header


def _information_requests(cast, person) -> list:
    """A red referral in information gathering, asked about: the police's answer is a draft of one
    entry, health's is submitted."""
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mrs Price",
        referrer_phone="01473 111111",
        account="Bruising seen at school.",
        concerns=["physical"],
        consent="given",
        subjects=[SubjectInput(person=person)],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="red", rationale="Injury to a child.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    police, health = request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[
            request_services.RequestInput(agency=cast.police, questions="Any police contact?"),
            request_services.RequestInput(agency=cast.health, questions="Any A&E attendances?"),
        ],
    )
    entry = request_services.response_entry_add(
        request=police,
        by=cast.police_researcher,
        data=request_services.EntryInput(
            person_id=person.pk,
            source_system="PNC",
            summary="Arrested 2024",
            source_evaluation="1",
            intelligence_assessment="B",
            handling_code="P",
        ),
    )
    request_services.response_entry_add(
        request=health,
        by=cast.health_researcher,
        data=request_services.EntryInput(person_id=person.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=health, by=cast.health_researcher)
    return [referral, police, health, entry]


def _disclosure(cast) -> list:
    """A Right to Ask application at research, shown to health as a forum would: its package a
    draft with one graded entry and one section checked."""
    subject, partner = PersonFactory(), PersonFactory()
    application = disclosure_services.application_create(
        by=cast.data_admin,
        scheme="dvds_ask",
        route="phone",
        circumstances="Worried about a new partner.",
        applicant_relation="Herself",
        people=[
            disclosure_services.PersonInput(role="subject", person=subject),
            disclosure_services.PersonInput(role="applicant", person=partner),
            disclosure_services.PersonInput(role="at_risk", person=partner),
        ],
    )
    disclosure_services.initial_check_record(
        application=application, by=cast.data_admin, immediate_risk=False, notes="No risk now."
    )
    disclosure_services.verification_record(
        application=application, by=cast.data_admin, identity_method="Passport", meeting_at=timezone.now()
    )
    disclosure_services.researcher_assign(
        application=application, by=cast.data_admin, researcher=cast.police_researcher
    )
    package = application.packages.get()
    pnc, health = package.sections.get(kind="pnc"), package.sections.get(kind="health")
    entry = disclosure_services.entry_add(
        section=pnc,
        by=cast.police_researcher,
        data=Grading(
            source_system="PNC",
            summary="Assault, 2021",
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
        ),
    )
    disclosure_services.section_update(section=health, by=cast.police_researcher, nothing_found=True)
    grant_view(obj=application, agency=cast.health)
    return [application, package, pnc, health, entry]


def _missing_episode(cast) -> list:
    """A child reported missing an hour ago, returned since: the return home interview is due."""
    now = timezone.now()
    child = PersonFactory(approximate_age=14, date_of_birth=None)
    episode = missing_services.episode_create(
        by=cast.data_admin,
        data=missing_services.EpisodeInput(
            person=child,
            reported_at=now - timedelta(hours=1),
            reported_by="Oak House care home",
            reporter_kind="care_home",
            last_seen_at=now - timedelta(hours=3),
            last_seen_place="Oak House",
            risk="high",
            risk_rationale="Seen with older males.",
            police_reference="SC-API-1",
            indicators=("cse",),
        ),
    )
    missing_services.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=now - timedelta(minutes=5),
        found_place="Oak House",
        found_by="PC Lee",
        wellbeing_confirmed=True,
    )
    return [episode]


def _strategy(cast, person) -> list:
    """A second referral, health's 'nothing known' its only answer, sent to strategy: its threshold
    decision, and a discussion (the police invited) with a decision and an action."""
    referral = services.referral_create(
        by=cast.triage,
        kind="child",
        channel="phone",
        referrer_name="Mr Hughes",
        account="Left alone overnight.",
        concerns=["neglect"],
        consent="given",
        subjects=[SubjectInput(person=person)],
    )
    services.referral_transition(referral=referral, by=cast.triage, to_state="screening")
    services.referral_rate(referral=referral, by=cast.triage, rating="amber", rationale="Neglect.")
    services.referral_transition(referral=referral, by=cast.triage, to_state="information_gathering")
    [health] = request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[request_services.RequestInput(agency=cast.health, questions="Known to you?")],
    )
    request_services.response_entry_add(
        request=health,
        by=cast.health_researcher,
        data=request_services.EntryInput(person_id=person.pk, nothing_known=True),
    )
    request_services.information_request_submit(request=health, by=cast.health_researcher)
    referral.refresh_from_db()
    threshold = strategy_services.threshold_decide(
        referral=referral, by=cast.decision_maker, required=True, rationale="Risk.", answers=[health]
    )
    discussion = strategy_services.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),  # the referral came in this minute
        mode="video",
        chair=cast.decision_maker,
        invitees=[strategy_services.Invitee(agency=cast.police)],
    )
    decision, *_siblings = strategy_services.decisions_record(
        discussion=discussion,
        by=cast.decision_maker,
        decisions=every_child(discussion, "s47_joint"),
    )
    action = strategy_services.action_add(
        discussion=discussion,
        by=cast.decision_maker,
        description="Visit the family.",
        owner_agency=cast.police,
        owner=cast.police_researcher,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return [threshold, discussion, decision, action, *discussion.invitations.all()]


@pytest.fixture
def api_content(cast, person):
    """Records for the endpoints to return: people seen by everyone in the lead agency, one shared
    with the police, a delivered (and an undelivered) message in every inbox, a referral asked about
    with its information requests, another referral's threshold decision and strategy discussion, and a
    disclosure application with its research package, and a missing episode with its interview due.

    Returns the records whose ids the conformance test mixes into generated path parameters: add
    one of each new kind of record here, so its detail endpoint answers with real data."""
    shared = PersonFactory(given_name="Ava", family_name="Jones", nhs_number="")
    grant_view(obj=shared, agency=cast.police)
    people = [person, shared, PersonFactory(), PersonFactory(approximate_age=15, date_of_birth=None)]

    users = [getattr(cast, role) for role in ROLES]
    notify(
        recipients=users,
        event="api.smoke",
        idempotency_key="api-smoke-1",
        title="Something happened",
        body="Details",
        url="/",
        subject=person,
        channels=[Channel.IN_APP],
    )
    notify(
        recipients=users,
        event="api.smoke",
        idempotency_key="api-smoke-2",
        title="Not delivered yet",
        channels=[Channel.EMAIL],
    )
    return [
        *people,
        *_information_requests(cast, person),
        *_strategy(cast, person),
        *_disclosure(cast),
        *_missing_episode(cast),
    ]
