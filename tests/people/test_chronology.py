"""A person's chronology: every source's events, in date order, as the viewer may see them; the page,
its printable version and the API."""

from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mash.people.chronology import (
    HANDLING_CODE_C,
    OTHER_PEOPLE,
    POLICE_INTELLIGENCE,
    SERIOUS_HARM,
    chronology_for,
    chronology_unfiltered,
)
from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog
from tests.factories import PersonFactory
from tests.people.chronology_support import (
    DISCLOSURE_REASON,
    HEALTH_TEXT,
    POLICE_SECRET,
    answered_referral,
    disclosure_about,
    missing_episode,
    strategy_for,
)

pytestmark = pytest.mark.django_db

CAST = [
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "manager",
    "governance",
    "outsider",
]


@pytest.fixture
def rich(cast, person):
    """``person`` in a referral answered by the police and health, its threshold decision and strategy
    discussion, a disclosure application and a missing episode."""
    referral = answered_referral(cast, person)
    strategy_for(cast, referral)
    disclosure_about(cast, person)
    missing_episode(cast, person)
    return person


def kinds(events):
    return [event.kind for event in events]


def test_the_lead_decision_maker_sees_every_event_in_date_order_each_linked(cast, rich):
    events = chronology_for(cast.decision_maker, rich)
    assert [event.at for event in events] == sorted(event.at for event in events)
    assert {
        "Referral received",
        "RAG rated",
        "Information requested from Constabulary",
        "Answer from Constabulary",
        "Answer from Integrated Care Board",
        "Threshold decision",
        "Strategy discussion held",
        "Strategy decision",
        "Section 47 enquiry finding",
        "Action for Integrated Care Board",
        "Outcome recorded",
        "Reported missing",
        "Risk re-graded",
        "Found or returned",
        "Return home interview offered",
    } <= set(kinds(events))
    assert all(event.url for event in events)
    police = next(event for event in events if event.kind == "Answer from Constabulary")
    assert POLICE_SECRET in police.summary and "(graded 1BC)" in police.summary
    # The disclosure team's application is theirs: the lead agency is not at its forum.
    assert not any(event.category == "Disclosure application" for event in events)


def test_the_police_disclosure_team_sees_the_application_and_its_decision(cast, rich):
    events = chronology_for(cast.police_decision_maker, rich)
    decision = next(event for event in events if event.kind == "Disclosure decision")
    assert DISCLOSURE_REASON in decision.summary
    received = next(event for event in events if event.kind == "Disclosure application received")
    assert "Named as the child involved." in received.summary


def test_health_sees_only_what_health_may_see(cast, rich, client, api_client):
    events = chronology_for(cast.health_researcher, rich)
    assert "Answer from Integrated Care Board" in kinds(events)
    assert "Strategy decision" in kinds(events)  # invited to the discussion
    for hidden in ("Answer from Constabulary", "RAG rated", "Threshold decision", "Reported missing"):
        assert hidden not in kinds(events)
    assert not any(POLICE_SECRET in event.summary for event in events)
    client.force_login(cast.health_researcher)
    page = client.get(reverse("people:chronology", args=[rich.pk])).content.decode()
    assert HEALTH_TEXT in page and POLICE_SECRET not in page
    printed = client.get(reverse("people:chronology_print", args=[rich.pk])).content.decode()
    assert HEALTH_TEXT in printed and POLICE_SECRET not in printed
    api_client.force_login(cast.health_researcher)
    body = api_client.get(reverse("api-person-chronology", args=[rich.pk])).content.decode()
    assert HEALTH_TEXT in body and POLICE_SECRET not in body


def test_the_unfiltered_chronology_holds_everything_with_its_release_flags(rich):
    events = chronology_unfiltered(rich)
    by_kind = {event.kind: event for event in events}
    police = {POLICE_INTELLIGENCE, HANDLING_CODE_C, OTHER_PEOPLE}  # the request names the sibling too
    assert set(by_kind["Answer from Constabulary"].release_flags) == police
    assert by_kind["Answer from Integrated Care Board"].release_flags == (OTHER_PEOPLE,)
    assert by_kind["Referral received"].release_flags == (OTHER_PEOPLE,)  # it names the sibling
    assert OTHER_PEOPLE in by_kind["Disclosure application received"].release_flags
    assert POLICE_INTELLIGENCE in by_kind["Reported missing"].release_flags
    assert DISCLOSURE_REASON in by_kind["Disclosure decision"].summary
    assert SERIOUS_HARM not in by_kind["Strategy decision"].release_flags  # a joint s47, not an investigation
    assert all(event.record is not None for event in events)


def test_reading_is_logged_and_printing_as_a_print(cast, rich, client):
    client.force_login(cast.decision_maker)
    page = client.get(reverse("people:chronology", args=[rich.pk]))
    assert page.status_code == 200 and POLICE_SECRET in page.content.decode()
    printed = client.get(reverse("people:chronology_print", args=[rich.pk]))
    assert printed.status_code == 200 and POLICE_SECRET in printed.content.decode()
    assert "govuk-service-navigation" not in printed.content.decode()  # no chrome to print
    logged = AccessLog.objects.filter(
        user=cast.decision_maker,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(rich.pk),
    )
    assert sorted(logged.values_list("action", flat=True)) == sorted([AccessAction.VIEW, AccessAction.PRINT])
    # Each record whose content it showed is logged as read (and printed), the chronology the reason.
    records = {
        (ContentType.objects.get_for_model(event.record).pk, str(event.record.pk))
        for event in chronology_for(cast.decision_maker, rich)
        if event.record != rich
    }
    assert len(records) >= 4
    for action in (AccessAction.VIEW, AccessAction.PRINT):
        shown = AccessLog.objects.filter(
            user=cast.decision_maker, action=action, reason=f"chronology of person {rich.pk}"
        )
        assert set(shown.values_list("content_type_id", "object_id")) == records


def test_the_filters_keep_one_kind_of_record_and_a_period(cast, rich, client):
    client.force_login(cast.decision_maker)
    url = reverse("people:chronology", args=[rich.pk])
    events = client.get(url, {"category": "Information sharing", "order": "newest"}).context["events"]
    assert events and {event.category for event in events} == {"Information sharing"}
    assert [event.at for event in events] == sorted((event.at for event in events), reverse=True)
    page = client.get(url, {"date_from": "2001-01-01", "date_to": "2001-12-31"})
    assert "No events match these filters" in page.content.decode()
    bad = client.get(url, {"date_from": "2026-02-30"})
    assert bad.status_code == 400


def test_the_person_referral_and_threshold_pages_link_to_it(cast, person, client):
    referral = answered_referral(cast, person)  # answered by all: awaiting the threshold decision
    client.force_login(cast.decision_maker)
    link = reverse("people:chronology", args=[person.pk])
    for url in (
        reverse("people:detail", args=[person.pk]),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("strategy:threshold", args=[referral.pk]),
    ):
        assert f'href="{link}"' in client.get(url).content.decode(), url
    threshold = client.get(reverse("strategy:threshold", args=[referral.pk])).content.decode()
    assert "Read Jayden Smith's chronology before deciding" in threshold


def test_nothing_recorded(cast, client):
    nobody = PersonFactory(given_name="Nia", family_name="Evans")
    client.force_login(cast.triage)
    page = client.get(reverse("people:chronology", args=[nobody.pk]))
    assert "Nothing is recorded about Nia Evans that you may see." in page.content.decode()


@pytest.mark.parametrize("role", CAST)
def test_whoever_may_not_see_the_person_is_refused(cast, rich, role, client, assert_denied):
    user = getattr(cast, role)
    if role in ("governance", "outsider"):
        assert not policy.can_view(user, rich)
    urls = [
        reverse(name, args=[rich.pk])
        for name in ("people:chronology", "people:chronology_print", "api-person-chronology")
    ]
    if policy.can_view(user, rich):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    else:
        for url in urls:
            assert_denied(user, url, rich)


def test_the_api_lists_the_events_in_date_order(cast, rich, api_client):
    api_client.force_login(cast.decision_maker)
    body = api_client.get(reverse("api-person-chronology", args=[rich.pk]), {"page_size": 200}).json()
    assert body["count"] == len(chronology_for(cast.decision_maker, rich))
    # As times, not strings: a time on the minute is written without its fraction ('...:00Z').
    times = [datetime.fromisoformat(row["at"]) for row in body["results"]]
    assert times == sorted(times)
    assert {"at", "kind", "category", "title", "summary", "url", "agency"} <= set(body["results"][0])


def test_the_queries_are_bounded_whatever_the_number_of_events(cast, rich, django_assert_max_num_queries):
    answered_referral(cast, rich)  # a second referral: more events, no more queries
    for role in ("decision_maker", "health_researcher", "police_decision_maker"):
        user = getattr(cast, role)
        with django_assert_max_num_queries(25):
            chronology_for(user, rich)
