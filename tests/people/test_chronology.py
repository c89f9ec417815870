"""A person's chronology: every source's events, in date order, as the viewer may see them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mash.people.chronology import (
    HANDLING_CODE_C,
    OTHER_PEOPLE,
    POLICE_INTELLIGENCE,
    chronology_for,
    chronology_unfiltered,
)
from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from referrals.requests import services as request_services
from tests.factories import PersonFactory
from tests.information_requests.support import (
    ask,
    health_entry,
    nothing_known,
    police_entry,
    referral_in_gathering,
)

pytestmark = pytest.mark.django_db

POLICE_SECRET = "Seen with a man wanted on warrant QX-7731"
HEALTH_TEXT = "Missed three immunisation appointments HX-2208"


@pytest.fixture
def answered(cast, person):
    """A red referral about ``person`` and a sibling, answered by the police (code C) and health."""
    sibling = PersonFactory(given_name="Amelia", family_name="Smith")
    referral = referral_in_gathering(cast, person, sibling)
    police_request, health_request = ask(referral, cast.triage, cast.police, cast.health)
    for request, by, entry in (
        (
            police_request,
            cast.police_researcher,
            police_entry(
                person, summary=POLICE_SECRET, handling_code="C", handling_conditions="Not to the family."
            ),
        ),
        (health_request, cast.health_researcher, health_entry(person, summary=HEALTH_TEXT)),
    ):
        request_services.response_entry_add(request=request, by=by, data=entry)
        request_services.response_entry_add(request=request, by=by, data=nothing_known(sibling))
        request_services.information_request_submit(request=request, by=by)
    referral.refresh_from_db()
    return referral


def kinds(events):
    return [event.kind for event in events]


def test_the_lead_decision_maker_sees_every_event_in_date_order(cast, person, answered):
    events = chronology_for(cast.decision_maker, person)
    assert [event.at for event in events] == sorted(event.at for event in events)
    assert kinds(events)[:3] == ["Referral received", "Screening started", "RAG rated"]
    assert "Answer from Constabulary" in kinds(events)
    assert "Answer from Integrated Care Board" in kinds(events)
    police = next(event for event in events if event.kind == "Answer from Constabulary")
    assert POLICE_SECRET in police.summary and "(graded 1BC)" in police.summary
    assert all(event.url for event in events)


def test_a_partner_sees_its_own_answer_and_never_another_agency(cast, person, answered, client, api_client):
    events = chronology_for(cast.health_researcher, person)
    assert "Answer from Integrated Care Board" in kinds(events)
    assert not any("Constabulary" in event.kind or POLICE_SECRET in event.summary for event in events)
    assert "RAG rated" not in kinds(events)  # the triage's reasoning is the lead agency's
    client.force_login(cast.health_researcher)
    page = client.get(reverse("people:chronology", args=[person.pk]))
    assert page.status_code == 200
    assert HEALTH_TEXT in page.content.decode() and POLICE_SECRET not in page.content.decode()


def test_the_unfiltered_chronology_flags_what_needs_a_decision_before_release(person, answered):
    events = chronology_unfiltered(person)
    police = next(event for event in events if event.kind == "Answer from Constabulary")
    assert set(police.release_flags) == {POLICE_INTELLIGENCE, HANDLING_CODE_C}
    received = next(event for event in events if event.kind == "Referral received")
    assert received.release_flags == (OTHER_PEOPLE,)  # it names the sibling


def test_the_page_is_logged_as_a_read_and_the_printable_version_as_a_print(cast, person, answered, client):
    client.force_login(cast.decision_maker)
    page = client.get(reverse("people:chronology", args=[person.pk]))
    assert POLICE_SECRET in page.content.decode()
    printed = client.get(reverse("people:chronology_print", args=[person.pk]))
    assert printed.status_code == 200 and POLICE_SECRET in printed.content.decode()
    logged = AccessLog.objects.filter(
        user=cast.decision_maker,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
    )
    assert sorted(logged.values_list("action", flat=True)) == sorted([AccessAction.VIEW, AccessAction.PRINT])


def test_the_filters_keep_one_kind_and_a_period(cast, person, answered, client):
    client.force_login(cast.decision_maker)
    url = reverse("people:chronology", args=[person.pk])
    page = client.get(url, {"category": "Information sharing", "order": "newest"})
    events = page.context["events"]
    assert {event.category for event in events} == {"Information sharing"}
    assert [event.at for event in events] == sorted((event.at for event in events), reverse=True)
    bad = client.get(url, {"date_from": "2026-02-30"})
    assert bad.status_code == 400


def test_nothing_recorded(cast, client):
    nobody = PersonFactory(given_name="Nia", family_name="Evans")
    client.force_login(cast.triage)
    page = client.get(reverse("people:chronology", args=[nobody.pk]))
    assert "Nothing is recorded about Nia Evans that you may see." in page.content.decode()


@pytest.mark.parametrize("role", ["outsider", "governance", "police_researcher"])
def test_who_may_not_see_the_person_is_refused(cast, person, role, assert_denied):
    user = getattr(cast, role)
    for name in ("people:chronology", "people:chronology_print"):
        assert_denied(user, reverse(name, args=[person.pk]), person)


def test_the_queries_are_bounded(cast, person, answered, django_assert_max_num_queries):
    cast.decision_maker._mash_actor = None
    with django_assert_max_num_queries(12):
        chronology_for(cast.decision_maker, person)
