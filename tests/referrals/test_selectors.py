"""The referral selectors: what each user may see, in what order, at what cost."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.people import history as history_module
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import grant_view
from referrals import selectors, services
from referrals.models import Rag, Referral, State
from referrals.services import SubjectInput
from tests.factories import PersonFactory
from tests.referrals.factories import at, move_to, new_subject, working_days_ago
from tests.referrals.helpers import OUTSIDE_THE_LEAD_AGENCY
from tests.referrals_pages.builders import make_referral

pytestmark = pytest.mark.django_db


def references(referrals) -> list[str]:
    return [r.reference for r in referrals]


def fresh(user):
    """The user as a new request would load them: nothing cached on the instance."""
    return get_user_model().objects.get(pk=user.pk)


def access_rows(user, referral, action) -> int:
    return AccessLog.objects.filter(user=user, action=action, object_id=str(referral.pk)).count()


# referral_queue_for ------------------------------------------------------------------------------


def test_the_queue_puts_what_is_due_first_at_the_top(cast, new_referral):
    friday = new_referral(received_at=at(2026, 11, 20, 15, 0))  # due Monday 23rd 15:00
    tuesday = new_referral(received_at=at(2026, 11, 24, 10, 0))  # due Wednesday 25th 10:00
    wednesday_evening = new_referral(received_at=at(2026, 11, 18, 19, 45))  # due Friday 20th 09:00
    assert references(selectors.referral_queue_for(cast.triage)) == references(
        [wednesday_evening, friday, tuesday]
    )


def test_the_queue_leaves_out_closed_referrals_but_keeps_decided_ones(cast, referral_in):
    open_ones = {state: referral_in(state) for state in State.values if state != State.CLOSED}
    referral_in(State.CLOSED)
    assert set(references(selectors.referral_queue_for(cast.triage))) == set(references(open_ones.values()))


def test_the_queue_filters_by_state(cast, referral_in):
    referral_in(State.RECEIVED)
    screening = referral_in(State.SCREENING)
    assert references(selectors.referral_queue_for(cast.triage, state=State.SCREENING)) == [
        screening.reference
    ]


def test_the_queue_filters_by_rag(cast, referral_in):
    red = referral_in(State.SCREENING)
    services.referral_rate(referral=red, by=cast.triage, rating=Rag.RED, rationale="Injury.")
    green = referral_in(State.SCREENING)
    services.referral_rate(referral=green, by=cast.triage, rating=Rag.GREEN, rationale="Low risk.")
    referral_in(State.SCREENING)
    assert references(selectors.referral_queue_for(cast.triage, rag=Rag.RED)) == [red.reference]


def test_the_queue_filters_to_my_referrals(cast, new_referral):
    mine = new_referral(assigned_to=cast.triage)
    new_referral(assigned_to=cast.manager)
    new_referral()
    assert references(selectors.referral_queue_for(cast.triage, assigned_to_me=True)) == [mine.reference]


def test_the_queue_filters_to_breached_referrals(cast, new_referral):
    now = timezone.now()
    overdue = new_referral(received_at=working_days_ago(3))
    decided_late = move_to(new_referral(received_at=working_days_ago(4)), State.DECIDED, cast=cast)
    decided_in_time = move_to(new_referral(received_at=now - timedelta(minutes=5)), State.DECIDED, cast=cast)
    in_time = new_referral(received_at=now - timedelta(minutes=5))
    assert decided_late.decision_clock.breached_at is not None
    breached = references(selectors.referral_queue_for(cast.triage, breached=True, now=now))
    assert sorted(breached) == sorted([overdue.reference, decided_late.reference])
    assert decided_in_time.reference not in breached and in_time.reference not in breached


def test_the_queue_is_empty_for_the_outsider_and_for_a_police_researcher_without_a_grant(cast, new_referral):
    new_referral()
    assert list(selectors.referral_queue_for(cast.outsider)) == []
    assert list(selectors.referral_queue_for(cast.police_researcher)) == []


def test_a_grant_shows_the_police_exactly_the_granted_referral(cast, new_referral):
    granted = new_referral()
    new_referral()
    grant_view(obj=granted, agency=cast.police)
    assert references(selectors.referral_queue_for(cast.police_researcher)) == [granted.reference]
    assert references(selectors.referral_queue_for(cast.police_decision_maker)) == [granted.reference]
    assert list(selectors.referral_queue_for(cast.health_researcher)) == []
    assert list(selectors.referral_queue_for(cast.outsider)) == []


def _queue_page(user):
    """What the queue page reads for a page of 50: each row's subjects, clock and assignee."""
    page = list(selectors.referral_queue_for(user)[:50])
    rows = [
        (
            r.reference,
            r.decision_clock.due_at,
            r.assigned_to and r.assigned_to.get_full_name(),
            [(s.person.full_name, s.role) for s in r.subjects.all()],
        )
        for r in page
    ]
    return rows, selectors.due_descriptions(page)


@pytest.mark.parametrize("rows", [10, 40])
@pytest.mark.parametrize("role", ["triage", "police_researcher"])
def test_a_page_of_the_queue_costs_the_same_few_queries_however_many_rows(
    cast, new_referral, django_assert_max_num_queries, rows, role
):
    for n in range(rows):
        referral = new_referral(
            assigned_to=cast.triage if n % 2 else None,
            subjects=[
                new_subject(given_name=f"Child{n}"),
                new_subject(given_name=f"Carer{n}", role="parent_carer"),
            ],
        )
        grant_view(obj=referral, agency=cast.police)
    user = fresh(getattr(cast, role))
    # The user's agency and roles (2), the referrals (1), their subjects and people (1), the working
    # pattern for the due times (1), and for a granted agency the permission id (1).
    with django_assert_max_num_queries(6 if role == "police_researcher" else 5):
        page, due = _queue_page(user)
    assert len(page) == rows == len(due)
    assert all(len(subjects) == 2 for *_, subjects in page)


# queue_counts_for --------------------------------------------------------------------------------


def test_the_queue_counts_open_referrals_by_state_in_one_query(cast, referral_in, django_assert_num_queries):
    for state in (State.RECEIVED, State.RECEIVED, State.SCREENING, State.DECIDED, State.CLOSED):
        referral_in(state)
    actor_for(cast.triage)  # who the user is was read once for the request
    with django_assert_num_queries(1):
        counts = selectors.queue_counts_for(cast.triage)
    assert counts == {
        "total": 4,
        "received": 2,
        "screening": 1,
        "information_gathering": 0,
        "awaiting_threshold_decision": 0,
        "strategy_discussion": 0,
        "decided": 1,
    }


def test_the_queue_counts_only_what_the_user_may_see(cast, new_referral):
    granted = new_referral()
    new_referral()
    grant_view(obj=granted, agency=cast.police)
    assert selectors.queue_counts_for(cast.outsider)["total"] == 0
    assert selectors.queue_counts_for(cast.health_researcher)["total"] == 0
    police = selectors.queue_counts_for(cast.police_researcher)
    assert (police["total"], police["received"]) == (1, 1)


# possible_duplicates -----------------------------------------------------------------------------


def test_it_finds_an_open_referral_of_the_same_person_within_30_days(cast, person, new_referral):
    now = timezone.now()
    recent = new_referral(person=person, received_at=now - timedelta(days=29))
    new_referral(person=person, received_at=now - timedelta(days=31))  # older
    move_to(new_referral(person=person, received_at=now - timedelta(days=2)), State.CLOSED, cast=cast)
    new_referral(received_at=now - timedelta(days=1))  # someone else
    assert references(selectors.possible_duplicates(cast.triage, [person.pk], now=now)) == [recent.reference]


def test_it_finds_a_person_named_in_any_role_once(cast, person, new_referral):
    referral = new_referral(
        subjects=[new_subject(given_name="Amelia"), SubjectInput(person=person, role="sibling")]
    )
    found = selectors.possible_duplicates(cast.triage, [person.pk, referral.subjects.first().person_id])
    assert references(found) == [referral.reference]


def test_it_leaves_out_the_referral_being_checked(cast, person, new_referral):
    referral = new_referral(person=person)
    assert list(selectors.possible_duplicates(cast.triage, [person.pk], exclude_pk=referral.pk)) == []
    assert list(selectors.possible_duplicates(cast.triage, [])) == []


def test_it_points_out_only_referrals_the_user_may_see(cast, person, new_referral):
    new_referral(person=person)
    assert list(selectors.possible_duplicates(cast.police_researcher, [person.pk])) == []
    assert list(selectors.possible_duplicates(cast.outsider, [person.pk])) == []


# people_referral_history -------------------------------------------------------------------------


def history(user, person) -> list:
    return selectors.people_referral_history(user, [person]).get(person.pk, [])


def test_the_history_is_empty_for_a_user_who_may_see_none_of_the_referrals(cast, person, new_referral):
    new_referral(person=person)
    assert history(cast.outsider, person) == []
    assert history(cast.police_researcher, person) == []


def test_the_history_lists_only_the_referrals_the_user_may_see(cast, person, new_referral):
    granted = new_referral(person=person, received_at=at(2026, 11, 2, 10, 0))
    move_to(new_referral(person=person, received_at=at(2026, 11, 9, 10, 0)), State.DECIDED, cast=cast)
    new_referral(received_at=at(2026, 11, 10, 10, 0))  # another child's
    grant_view(obj=granted, agency=cast.police)

    lead = history(cast.triage, person)
    assert [item.title for item in lead] == ["MASH-2026-000002", "MASH-2026-000001"]
    assert [item.summary for item in lead] == ["Child referral; Early help", "Child referral; Received"]
    assert all(item.kind == "Referral" and item.url for item in lead)
    police = history(cast.police_researcher, person)
    assert [item.title for item in police] == [granted.reference]


def test_the_history_of_several_people_is_one_query_with_each_persons_own(
    cast, new_referral, django_assert_num_queries
):
    first, second, nobody = PersonFactory(), PersonFactory(), PersonFactory()
    together = new_referral(
        subjects=[SubjectInput(person=first), SubjectInput(person=second, role="sibling")],
        received_at=at(2026, 11, 2, 10, 0),
    )
    alone = new_referral(person=second, received_at=at(2026, 11, 3, 10, 0))
    actor_for(cast.triage)  # read once per request, before any source
    with django_assert_num_queries(1):
        found = selectors.people_referral_history(cast.triage, [first, second, nobody])
    assert {pk: [item.title for item in items] for pk, items in found.items()} == {
        first.pk: [together.reference],
        second.pk: [alone.reference, together.reference],
    }


def test_each_persons_history_is_cut_to_the_newest_records_of_the_source(cast, new_referral, monkeypatch):
    person, other = PersonFactory(), PersonFactory()
    made = [new_referral(person=person, received_at=at(2026, 11, day, 10, 0)) for day in (2, 3, 4)]
    new_referral(person=other, received_at=at(2026, 11, 5, 10, 0))
    monkeypatch.setattr(history_module, "HISTORY_LIMIT", 2)
    newest = [r.reference for r in reversed(made)][:2]
    assert [item.title for item in history(cast.triage, person)] == newest  # one person: cut by the query
    together = selectors.people_referral_history(cast.triage, [person, other])  # several: cut here
    assert [item.title for item in together[person.pk]] == newest
    assert len(together[other.pk]) == 1


# referral_get_for --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["triage", "decision_maker", "manager"])
def test_getting_a_referral_logs_the_read(cast, new_referral, role):
    referral = new_referral()
    user = getattr(cast, role)
    assert selectors.referral_get_for(user, referral.pk) == referral
    assert access_rows(user, referral, AccessAction.VIEW) == 1
    assert access_rows(user, referral, AccessAction.DENIED) == 0


def test_getting_a_referral_is_refused_with_a_logged_404(cast, new_referral, subtests):
    referral = new_referral()
    for role in [*OUTSIDE_THE_LEAD_AGENCY, "governance"]:
        user = getattr(cast, role)
        with subtests.test(role=role):
            with pytest.raises(Http404):
                selectors.referral_get_for(user, referral.pk)
            assert access_rows(user, referral, AccessAction.DENIED) == 1
            assert access_rows(user, referral, AccessAction.VIEW) == 0
            assert AccessLog.objects.get(user=user, object_id=str(referral.pk)).object_repr == (
                referral.reference
            )


def test_a_granted_agency_gets_the_referral_and_the_read_is_logged(cast, new_referral):
    referral = new_referral()
    grant_view(obj=referral, agency=cast.police)
    assert selectors.referral_get_for(cast.police_researcher, referral.pk) == referral
    assert access_rows(cast.police_researcher, referral, AccessAction.VIEW) == 1


def test_getting_a_referral_that_does_not_exist_is_a_404(cast):
    with pytest.raises(Http404):
        selectors.referral_get_for(cast.triage, 999_999)


# referral_list_for, due_descriptions, referral_detail_parts -------------------------------------


def test_the_list_shows_newest_first_and_can_leave_out_closed(cast, new_referral):
    older = new_referral(received_at=at(2026, 11, 2, 10, 0))
    closed = move_to(new_referral(received_at=at(2026, 11, 3, 10, 0)), State.CLOSED, cast=cast)
    newer = new_referral(received_at=at(2026, 11, 4, 10, 0))
    assert references(selectors.referral_list_for(cast.triage)) == references([newer, closed, older])
    assert references(selectors.referral_list_for(cast.triage, include_closed=False)) == references(
        [newer, older]
    )
    assert list(selectors.referral_list_for(cast.outsider)) == []


def test_due_descriptions_say_met_late_or_how_long_is_left(cast, new_referral):
    now = timezone.now()
    met = move_to(new_referral(received_at=now - timedelta(minutes=5)), State.DECIDED, cast=cast)
    late = move_to(new_referral(received_at=working_days_ago(3)), State.DECIDED, cast=cast)
    running = new_referral(received_at=at(2026, 11, 20, 15, 0))  # due Monday 23 November 15:00
    texts = selectors.due_descriptions(
        Referral.objects.select_related("decision_clock").filter(pk__in=[met.pk, late.pk, running.pk]),
        now=at(2026, 11, 23, 13, 0),
    )
    assert texts == {met.pk: "met", late.pk: "decided late", running.pk: "due in 2h of working time"}


def test_the_detail_parts_are_in_order(cast, person, referral_in):
    referral = referral_in(State.INFORMATION_GATHERING, person=person)
    parts = selectors.referral_detail_parts(referral)
    assert [s.person for s in parts["subjects"]] == [person]
    assert [e.kind for e in parts["timeline"]] == ["received", "transition", "rag", "transition"]
    assert [r.rating for r in parts["ratings"]] == [Rag.RED]


def test_the_page_parts_are_in_order_and_a_summary_reads_only_the_subjects(
    cast, person, referral_in, django_assert_num_queries
):
    referral = referral_in(State.INFORMATION_GATHERING, person=person)
    with django_assert_num_queries(3):
        parts = selectors.referral_page_parts(referral)
    assert [s.person for s in parts["subjects"]] == [person]
    assert [e.kind for e in parts["timeline"]] == ["received", "transition", "rag", "transition"]
    assert [(r.rating, r.by) for r in parts["ratings"]] == [(Rag.RED, cast.triage)]
    with django_assert_num_queries(1):
        summary = selectors.referral_page_parts(referral, full=False)
    assert summary == {"subjects": parts["subjects"]}


def test_a_referral_never_rated_is_not_asked_for_its_rag_history(new_referral, django_assert_num_queries):
    referral = new_referral()
    with django_assert_num_queries(2):  # the subjects and the timeline
        parts = selectors.referral_page_parts(referral)
    assert parts["ratings"] == []


@pytest.mark.parametrize(
    "role, audience", [("triage", "full"), ("manager", "full"), ("police_researcher", "partner")]
)
def test_the_page_gets_the_referral_with_its_audience_and_logs_the_read(cast, new_referral, role, audience):
    referral = new_referral()
    grant_view(obj=referral, agency=cast.police)
    user = getattr(cast, role)
    assert selectors.referral_page_for(user, referral.pk) == (referral, audience)
    assert access_rows(user, referral, AccessAction.VIEW) == 1


def test_the_page_of_a_referral_the_user_may_not_see_is_a_logged_404(cast, new_referral):
    referral = new_referral()
    with pytest.raises(Http404):
        selectors.referral_page_for(cast.police_researcher, referral.pk)
    assert access_rows(cast.police_researcher, referral, AccessAction.DENIED) == 1
    assert access_rows(cast.police_researcher, referral, AccessAction.VIEW) == 0


# Consultations -----------------------------------------------------------------------------------


def _call(cast, **fields):
    values = {
        "by": cast.triage,
        "caller_name": "Ms Priya Shah",
        "caller_organisation": "Castle Hill Nursery",
        "question": "Should I refer?",
        "advice": "Speak to the parent first.",
        "anonymous_description": "girl, 3",
    }
    values.update(fields)
    return services.consultation_create(**values)


def test_the_consultation_list_searches_and_filters(cast, person):
    nursery = _call(cast, called_at=at(2026, 11, 2, 10, 0))
    school = _call(
        cast,
        caller_name="Mr Tom Hale",
        caller_organisation="Orwell Primary",
        called_at=at(2026, 11, 3, 10, 0),
    )
    converted = _call(cast, person=person, referral_advised=True, called_at=at(2026, 11, 4, 10, 0))
    services.consultation_convert(consultation=converted, by=cast.triage)

    def pks(**filters):
        return [c.pk for c in selectors.consultation_list_for(cast.triage, **filters)]

    assert pks() == [converted.pk, school.pk, nursery.pk]
    assert pks(search="orwell") == [school.pk]
    assert pks(search="shah") == [converted.pk, nursery.pk]
    assert pks(referral_advised=True) == [converted.pk]
    assert pks(converted=True) == [converted.pk]
    assert pks(converted=False) == [school.pk, nursery.pk]


def test_consultations_are_the_lead_agencys_only(cast, subtests):
    call = _call(cast)
    for role in [*OUTSIDE_THE_LEAD_AGENCY, "governance"]:
        user = getattr(cast, role)
        with subtests.test(role=role):
            assert list(selectors.consultation_list_for(user)) == []
            with pytest.raises(Http404):
                selectors.consultation_get_for(user, call.pk)
            denied = AccessLog.objects.filter(user=user, action=AccessAction.DENIED, object_id=str(call.pk))
            assert denied.count() == 1


def test_subject_names_are_each_given_referrals_own_in_the_order_they_were_added(cast):
    first = make_referral(
        cast, subjects=[new_subject(given_name="Mia"), new_subject(given_name="Noah", role="sibling")]
    )
    other = make_referral(cast, subjects=[new_subject(given_name="Zed", family_name="Other")])

    names = selectors.subject_names_for([first])

    assert names == {first.pk: [("Mia Smith", "subject"), ("Noah Smith", "sibling")]}
    assert other.pk not in names
    assert selectors.subject_names_for([]) == {}
