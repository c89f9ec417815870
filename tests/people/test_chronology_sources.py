"""Each app's chronology source: what it tells, and what it keeps from whom (the sharing policy)."""

import pytest
from django.utils import timezone

from disclosures import services as disclosure_services
from mash.agencies.roles import Role
from mash.people.chronology import OTHER_PEOPLE, SERIOUS_HARM, chronology_for, chronology_unfiltered
from mash.sharing.services import grant_view
from missing_persons import services as missing_services
from missing_persons.models import InterviewStatus
from referrals import services as referral_services
from strategy.models import Decision
from tests.factories import member
from tests.people.chronology_support import (
    DISCLOSURE_REASON,
    POLICE_SECRET,
    answered_referral,
    disclosure_about,
    missing_episode,
    strategy_for,
)

pytestmark = pytest.mark.django_db


def by_kind(events) -> dict:
    return {event.kind: event for event in events}


def test_a_consultation_call_naming_the_person_is_the_lead_agency_s(cast, person):
    referral_services.consultation_create(
        by=cast.triage,
        caller_name="Dr Patel",
        caller_organisation="Orwell Surgery",
        question="Is this a referral?",
        advice="Make a referral.",
        person=person,
        referral_advised=True,
    )
    call = by_kind(chronology_for(cast.triage, person))["Consultation call"]
    assert call.summary == "Call from Orwell Surgery. A referral was advised."
    grant_view(obj=person, agency=cast.health)
    assert chronology_for(cast.health_researcher, person) == []


def test_discussion_attendees_see_the_answers_it_considered(cast, person):
    referral = answered_referral(cast, person)
    strategy_for(cast, referral, considered=list(referral.requests))
    events = chronology_for(cast.health_researcher, person)
    # The protocol: attendees see what the discussion considered, the police answer included.
    assert POLICE_SECRET in by_kind(events)["Answer from Constabulary"].summary
    assert "Threshold decision" not in by_kind(events)  # the lead agency's own reasoning
    held = by_kind(events)["Strategy discussion held"]
    assert held.summary == "Video call. Attended by Constabulary, County Council MASH, Integrated Care Board."


def test_a_police_investigation_decision_is_flagged_before_release(cast, person):
    referral = answered_referral(cast, person)
    strategy_for(cast, referral, considered=[], decision=Decision.POLICE_INVESTIGATION)
    decision = by_kind(chronology_unfiltered(person))["Strategy decision"]
    assert decision.summary == "Police investigation: Agreed."
    assert SERIOUS_HARM in decision.release_flags


def test_a_forum_participant_sees_the_application_while_the_forum_is_open(cast, person):
    application = disclosure_about(cast, person, decide=False)
    health_decision = member(cast.health, Role.DECISION_MAKER, username="health.decision")
    assert chronology_for(health_decision, person) == []
    disclosure_services.forum_open(
        application=application, by=cast.police_decision_maker, agencies=[cast.health]
    )
    events = by_kind(chronology_for(health_decision, person))
    assert set(events) == {"Disclosure application received"}
    assert events["Disclosure application received"].summary.endswith("Named as the child involved.")


def test_the_subject_of_an_application_is_flagged_for_serious_harm(cast, person):
    application = disclosure_about(cast, person)
    subject = application.people.get(role="subject").person
    received = by_kind(chronology_unfiltered(subject))["Disclosure application received"]
    assert {OTHER_PEOPLE, SERIOUS_HARM} <= set(received.release_flags)
    assert "Named as the subject." in received.summary
    assert DISCLOSURE_REASON in by_kind(chronology_unfiltered(subject))["Disclosure decision"].summary


def test_an_agency_granted_an_episode_sees_the_report_not_the_police_record(cast, person):
    episode = missing_episode(cast, person)
    grant_view(obj=person, agency=cast.health)
    grant_view(obj=episode, agency=cast.health)
    events = by_kind(chronology_for(cast.health_researcher, person))
    assert set(events) == {"Reported missing", "Found or returned"}
    assert events["Found or returned"].summary == ""  # where they were found is the police's
    lead = by_kind(chronology_for(cast.triage, person))
    assert lead["Found or returned"].summary == "At A flat in Felixstowe."
    assert lead["Risk re-graded"].summary == "High (was Medium): Seen with older males."
    assert lead["Return home interview offered"].summary == "Offered by County Council MASH."


def test_the_return_home_interview_is_shown_to_the_agency_doing_it(cast, person):
    episode = missing_episode(cast, person)
    grant_view(obj=person, agency=cast.health)
    grant_view(obj=episode, agency=cast.health)
    missing_services.interview_record(
        interview=episode.interview,
        by=cast.data_admin,
        status=InterviewStatus.DECLINED,
        agency=cast.health,
        at=timezone.now(),
    )
    assert "Return home interview declined" in by_kind(chronology_for(cast.health_researcher, person))
