"""The strategy queue: the lead agency's referrals awaiting a threshold decision, most urgent first, and
those awaiting their strategy discussion."""

import functools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mash.common.views import page_of
from referrals.models import State
from strategy import services
from strategy.models import Mode
from strategy.views import queue as queue_views
from tests.referrals_pages.builders import make_referral, move_to, new_subject, working_days_ago

pytestmark = pytest.mark.django_db

QUEUE = reverse("strategy:queue")


def awaiting_decision(cast, **fields):
    return move_to(make_referral(cast, **fields), State.AWAITING_THRESHOLD_DECISION, cast)


def sent_to_strategy(cast, **fields):
    referral = awaiting_decision(cast, **fields)
    services.threshold_decide(
        referral=referral,
        by=cast.decision_maker,
        required=True,
        rationale="Reasonable cause to suspect harm.",
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def queue(cast, required):
    """Two referrals awaiting a threshold decision (one received two working days ago, its decision
    overdue; one received now) and the ``required`` one awaiting its discussion."""
    return {
        "recent": awaiting_decision(cast, subjects=[new_subject(given_name="Recent")]),
        "older": awaiting_decision(cast, received_at=working_days_ago(2), subjects=[new_subject()]),
        "strategy": required,
    }


def test_a_lead_decision_maker_sees_the_most_urgent_decision_first(client, cast, queue):
    client.force_login(cast.decision_maker)
    response = client.get(QUEUE)

    assert response.status_code == 200
    awaiting = [referral for referral, _ in response.context["awaiting"]]
    assert [r.pk for r in awaiting] == [queue["older"].pk, queue["recent"].pk]
    assert awaiting[0].decision_clock.due_at < awaiting[1].decision_clock.due_at
    body = response.content.decode()
    assert body.index(queue["older"].reference) < body.index(queue["recent"].reference)
    assert "Overdue by" in body
    assert reverse("strategy:threshold", args=[queue["older"].pk]) in body


def test_a_lead_decision_maker_sees_the_referrals_awaiting_a_discussion(client, cast, queue):
    client.force_login(cast.decision_maker)
    response = client.get(QUEUE)

    decisions = [decision for decision, _ in response.context["strategy"]]
    assert [d.pk for d in decisions] == [queue["strategy"].pk]
    body = response.content.decode()
    assert queue["strategy"].referral.reference in body
    # Not yet convened: the link to convene it.
    assert reverse("strategy:convene", args=[queue["strategy"].referral.pk]) in body
    # A referral sent to strategy is no longer awaiting a threshold decision.
    assert queue["strategy"].referral.pk not in [r.pk for r, _ in response.context["awaiting"]]


def test_a_convened_discussion_shows_in_the_queue_instead_of_the_convene_link(client, cast, queue, convene):
    discussion = convene(scheduled_at=timezone.now() + timedelta(hours=2))
    client.force_login(cast.decision_maker)
    response = client.get(QUEUE)

    body = response.content.decode()
    assert reverse("strategy:discussion", args=[discussion.pk]) in body
    assert reverse("strategy:convene", args=[discussion.referral.pk]) not in body
    assert [d.pk for d in response.context["upcoming"]] == [discussion.pk]


def test_triage_sees_the_queue_too(client, cast, queue):
    client.force_login(cast.triage)
    response = client.get(QUEUE)

    assert response.status_code == 200
    assert len(response.context["awaiting"]) == 2
    assert len(response.context["strategy"]) == 1


@pytest.mark.parametrize("who", ["police_decision_maker", "outsider"])
def test_anyone_outside_the_lead_agency_case_workers_is_refused(client, cast, queue, who):
    client.force_login(getattr(cast, who))
    response = client.get(QUEUE)

    assert response.status_code == 403
    body = response.content.decode()
    for referral in (queue["recent"], queue["older"], queue["strategy"].referral):
        assert referral.reference not in body


def test_the_queue_needs_a_login(client, queue):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _fill(cast, numbers: range) -> None:
    """One of each per number: awaiting a decision, awaiting a discussion, a discussion convened."""
    now = timezone.now()
    for n in numbers:
        awaiting_decision(
            cast,
            received_at=now - timedelta(minutes=n + 1),
            subjects=[new_subject(given_name=f"Child{n}"), new_subject(given_name=f"Sib{n}", role="sibling")],
        )
        sent_to_strategy(cast, subjects=[new_subject(given_name=f"Strategy{n}")])
        convened = sent_to_strategy(cast, subjects=[new_subject(given_name=f"Convened{n}")])
        services.discussion_convene(
            referral=convened,
            by=cast.decision_maker,
            scheduled_at=now + timedelta(hours=n + 1),
            mode=Mode.VIDEO,
            chair=cast.decision_maker,
            invitees=[services.Invitee(agency=cast.police)],
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries), response


def test_the_queue_takes_as_many_queries_for_5_referrals_of_each_kind_as_for_1(client, cast):
    client.force_login(cast.decision_maker)
    _fill(cast, range(1))
    client.get(QUEUE)  # per-process caches (content types, permission ids) are warm from here on
    one, response = _queries(client)
    assert (len(response.context["awaiting"]), len(response.context["strategy"])) == (1, 2)

    _fill(cast, range(1, 5))
    five, response = _queries(client)

    assert (len(response.context["awaiting"]), len(response.context["strategy"])) == (5, 10)
    assert len(response.context["upcoming"]) == 5
    assert "Sib4 Lee" not in response.content.decode()  # the queue names the subjects only
    assert "Child4 Lee" in response.content.decode()
    assert five == one


def test_each_list_pages_by_its_own_parameter_with_its_count(client, cast, monkeypatch):
    """Issue 16: the lists no longer stop silently at 200 (and 50) rows; each pages (50 a page, 2
    here) without moving the others."""
    assert page_of.__defaults__ == (50,)
    monkeypatch.setattr(queue_views, "page_of", functools.partial(page_of, per_page=2))
    _fill(cast, range(3))
    client.force_login(cast.decision_maker)
    response = client.get(QUEUE)
    body = response.content.decode()
    assert "3 referrals awaiting a threshold decision, the most urgent first" in body
    assert "6 referrals waiting for their strategy discussion" in body
    assert "3 discussions, the soonest first" in body
    assert len(response.context["awaiting"]) == len(response.context["upcoming"]) == 2

    later = client.get(QUEUE, {"threshold_page": 2, "scheduled_page": 2})
    assert len(later.context["awaiting"]) == len(later.context["upcoming"]) == 1
    assert len(later.context["strategy"]) == 2  # still its first page
    body = later.content.decode()
    assert "?threshold_page=2&amp;scheduled_page=2&amp;strategy_page=2" in body
    assert 'aria-label="Discussions scheduled: pages"' in body
    awaiting = response.context["awaiting"] + later.context["awaiting"]
    assert len({referral.pk for referral, _due in awaiting}) == 3
