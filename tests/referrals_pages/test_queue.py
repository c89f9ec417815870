"""The triage queue: what the lead agency has open, due first at the top."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.sharing.services import grant_view
from referrals import services
from referrals.models import Referral
from tests.referrals_pages.builders import make_referral, move_to, new_subject, working_days_ago

pytestmark = pytest.mark.django_db

QUEUE = reverse("referrals:queue")
# Session, user, membership, roles, page count, counts by state, working pattern, the page, its subjects
# (one prefetch) and the inbox badge: ten, however long the queue.
QUEUE_QUERIES = 10


def listed(response):
    return [r.pk for r in response.context["referrals"]]


@pytest.fixture
def queue(cast, referral_in):
    """Four open referrals and a closed one that must not show: received now; two working days ago (past
    its one working day); in screening, rated red and so assigned to the triage practitioner; five
    working days ago and assigned to the manager."""
    today = make_referral(cast)
    older = make_referral(cast, received_at=working_days_ago(2))
    screening = move_to(
        make_referral(cast, received_at=timezone.now() - timedelta(hours=1)), "screening", cast
    )
    screening = services.referral_rate(referral=screening, by=cast.triage, rating="red", rationale="Injury.")
    overdue = make_referral(cast, received_at=working_days_ago(5))
    services.referral_assign(referral=overdue, by=cast.manager, assignee=cast.manager)
    closed = referral_in("closed")
    return {"today": today, "older": older, "screening": screening, "overdue": overdue, "closed": closed}


def test_the_lead_agency_sees_every_open_referral_due_first_at_the_top(client, cast, queue):
    client.force_login(cast.triage)
    response = client.get(QUEUE)
    assert response.status_code == 200
    shown = list(response.context["referrals"])
    assert {r.pk for r in shown} == {queue[k].pk for k in ("today", "older", "screening", "overdue")}
    assert [r.pk for r in shown] == [
        r.pk for r in sorted(shown, key=lambda r: (r.decision_clock.due_at, r.pk))
    ]
    assert shown[0].pk == queue["overdue"].pk
    assert shown[1].pk == queue["older"].pk
    assert queue["closed"].reference not in response.content.decode()


@pytest.mark.parametrize("who", ["decision_maker", "manager"])
def test_the_other_lead_case_workers_see_the_whole_queue_too(client, cast, queue, who):
    client.force_login(getattr(cast, who))
    assert len(listed(client.get(QUEUE))) == 4


def test_the_queue_filters_by_state(client, cast, queue):
    client.force_login(cast.triage)
    assert listed(client.get(QUEUE, {"state": "screening"})) == [queue["screening"].pk]
    assert len(listed(client.get(QUEUE, {"state": "received"}))) == 3


def test_the_queue_filters_by_rag(client, cast, queue):
    client.force_login(cast.triage)
    assert listed(client.get(QUEUE, {"rag": "red"})) == [queue["screening"].pk]
    assert listed(client.get(QUEUE, {"rag": "green"})) == []


def test_the_queue_filters_by_assigned_to_me(client, cast, queue):
    client.force_login(cast.triage)
    # Starting screening assigned it to the triage practitioner; the overdue one is the manager's.
    assert listed(client.get(QUEUE, {"assigned_to_me": "on"})) == [queue["screening"].pk]
    client.force_login(cast.manager)
    assert listed(client.get(QUEUE, {"assigned_to_me": "on"})) == [queue["overdue"].pk]


def test_the_queue_filters_the_breached(client, cast, queue):
    client.force_login(cast.triage)
    response = client.get(QUEUE, {"breached": "on"})
    # Received five and two working days ago: both past the one working day allowed.
    assert listed(response) == [queue["overdue"].pk, queue["older"].pk]
    assert "Overdue by" in response.content.decode()


def test_an_unknown_filter_value_shows_the_whole_queue(client, cast, queue):
    client.force_login(cast.triage)
    response = client.get(QUEUE, {"state": "nonsense"})
    assert response.status_code == 200
    assert len(listed(response)) == 4


def test_the_counts_by_state_are_right(client, cast, queue):
    client.force_login(cast.triage)
    counts = client.get(QUEUE, {"state": "screening"}).context["counts"]
    # The counts are of the whole queue, whatever the filter.
    assert counts == {
        "total": 4,
        "received": 3,
        "screening": 1,
        "information_gathering": 0,
        "awaiting_threshold_decision": 0,
        "strategy_discussion": 0,
        "decided": 0,
    }


def test_a_decided_referral_stays_in_the_queue_until_closed(client, cast, referral_in):
    decided = referral_in("decided")
    client.force_login(cast.triage)
    response = client.get(QUEUE)
    assert listed(response) == [decided.pk]
    assert response.context["counts"]["decided"] == 1


def test_the_outsider_queue_is_empty(client, cast, queue):
    client.force_login(cast.outsider)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["counts"]["total"] == 0
    body = response.content.decode()
    for referral in queue.values():
        assert referral.reference not in body


def test_another_agency_sees_only_the_referrals_it_was_asked_about(client, cast, queue):
    grant_view(obj=queue["older"], agency=cast.police)
    client.force_login(cast.police_researcher)
    response = client.get(QUEUE)
    assert listed(response) == [queue["older"].pk]
    assert response.context["counts"]["total"] == 1


def test_the_queue_shows_fifty_referrals_a_page_and_the_page_links_keep_the_filters(client, cast):
    for _ in range(51):
        make_referral(cast)
    client.force_login(cast.triage)
    first = client.get(QUEUE)
    assert len(listed(first)) == 50
    assert first.context["page_obj"].paginator.num_pages == 2
    assert 'rel="next"' in first.content.decode()
    second = client.get(QUEUE, {"page": 2})
    assert len(listed(second)) == 1
    assert not set(listed(first)) & set(listed(second))
    filtered = client.get(QUEUE, {"state": "received", "page": 1}).content.decode()
    assert "?state=received&amp;page=2" in filtered
    assert "51 referrals, due first at the top" in first.content.decode()
    # Unfiltered, the total comes from the per-state counts; filtered, the filtered queue is counted.
    assert client.get(QUEUE, {"rag": "red"}).context["page_obj"].paginator.count == 0


def _queue_of(cast, count):
    for n in range(count):
        make_referral(
            cast,
            received_at=timezone.now() - timedelta(hours=n),
            subjects=[
                new_subject(given_name=f"Child{n}"),
                new_subject(given_name=f"Sibling{n}", role="sibling"),
            ],
        )


@pytest.mark.parametrize("count", [5, 40])
def test_the_queue_takes_the_same_number_of_queries_for_5_or_40_referrals(
    client, cast, count, django_assert_max_num_queries
):
    _queue_of(cast, count)
    services.referral_assign(referral=Referral.objects.first(), by=cast.triage, assignee=cast.manager)
    client.force_login(cast.triage)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert len(listed(response)) == count
    assert "Sibling0 Lee (sibling)" in response.content.decode()
