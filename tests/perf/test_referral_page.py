"""Issue 19: the referral page (the lead's whole page, and a partner agency's summary of it) runs a fixed
number of queries, whatever the number of people, their histories, the timeline, the ratings and the
requests on it.

A referral about one person and one about four are made alike, each person with a history in every
source (an earlier referral, a missing episode, the strategy discussion of this referral), rated,
asked of partner agencies and sent to a strategy discussion: the page of each takes as many queries.
The page's rows (people, events, ratings, requests, history records) are read with only the columns
it shows (``.only()``), so a template that came to show another would read it row by row: a query per
person or per event, which these counts catch.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from missing_persons import services as missing
from missing_persons.models import ReporterKind, Risk
from referrals import services as referrals
from referrals.models import State
from referrals.requests import services as request_services
from referrals.requests.services import RequestInput
from referrals.services import SubjectInput
from strategy import services as strategy
from strategy.models import Mode
from tests.factories import PersonFactory
from tests.referrals_pages.builders import make_referral, move_to

pytestmark = pytest.mark.django_db

# The lead's page of a referral with all of it: the request's own reads (session, user, actor, working
# pattern, and the unread count, once: not again for the strategy panel rendered with the request), the
# referral and its logged read, its subjects, timeline and ratings, one read of each history source (and
# the decisions of the discussions found), the requests, and the strategy panel (decisions, their rated
# answers, discussions).
MOST = 18
# A partner's summary: the request's own reads, the referral, the grant that shows it and its logged
# read, the subjects and the agency's requests.
SUMMARY_MOST = 11


def _episode(cast, person):
    now = timezone.now()
    missing.episode_create(
        by=cast.data_admin,
        data=missing.EpisodeInput(
            person=person,
            reported_at=now - timedelta(days=3),
            reported_by="A parent",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=now - timedelta(days=3, hours=4),
            last_seen_place="Ipswich bus station",
            risk=Risk.MEDIUM,
            risk_rationale="Fourteen, phone off, seen with older males.",
        ),
    )


def _referral(cast, *, people: int, agencies: list):
    """A referral about ``people`` people, each known before (an earlier referral, a missing episode),
    rated twice, asked of ``agencies`` and sent to a strategy discussion, which is convened."""
    persons = [PersonFactory(given_name=f"Perfpage{n}") for n in range(people)]
    for person in persons:
        make_referral(cast, subjects=[SubjectInput(person=person)])
        _episode(cast, person)
    referral = make_referral(cast, subjects=[SubjectInput(person=p) for p in persons])
    referral = move_to(referral, State.SCREENING, cast)
    for rating in ("amber", "red"):
        referral = referrals.referral_rate(
            referral=referral, by=cast.triage, rating=rating, rationale="Bruising"
        )
    referral = referrals.referral_transition(
        referral=referral, by=cast.triage, to_state=State.INFORMATION_GATHERING
    )
    request_services.information_requests_send(
        referral=referral,
        by=cast.triage,
        requests=[RequestInput(agency=agency, questions="What do you know?") for agency in agencies],
    )
    referral = referrals.referral_transition(
        referral=referral, by=cast.triage, to_state=State.AWAITING_THRESHOLD_DECISION, note="Bruising today."
    )
    strategy.threshold_decide(referral=referral, by=cast.decision_maker, required=True, rationale="Harm.")
    referral.refresh_from_db()
    strategy.discussion_convene(
        referral=referral,
        by=cast.decision_maker,
        scheduled_at=timezone.now().replace(second=0, microsecond=0),
        mode=Mode.VIDEO,
        chair=cast.decision_maker,
        invitees=[strategy.Invitee(agency=cast.police, user=cast.police_decision_maker)],
    )
    return referral, persons


def _read(client, referral, persons, *, template):
    client.get(reverse("referrals:detail", args=[referral.pk]))  # per-process caches warm from here
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    body = response.content.decode()
    assert all(person.given_name in body for person in persons)
    return [query["sql"] for query in captured.captured_queries]


def _listing(queries) -> str:
    return "\n".join(f"{n}. {sql[:300]}" for n, sql in enumerate(queries, 1))


def _assert_as_many(one, four):
    listing = f"{_listing(one)}\n---\n{_listing(four)}"
    assert len(four) == len(one), f"{len(one)} queries, then {len(four)}:\n{listing}"


def test_the_lead_page_takes_the_same_few_queries_for_one_person_as_for_four(client, cast):
    few = _referral(cast, people=1, agencies=[cast.police])
    many = _referral(cast, people=4, agencies=[cast.police, cast.health])
    client.force_login(cast.triage)

    one = _read(client, *few, template="referrals/detail.html")
    four = _read(client, *many, template="referrals/detail.html")

    _assert_as_many(one, four)
    assert len(four) <= MOST, f"{len(four)} queries:\n{_listing(four)}"
    # The header's unread count: once, though the strategy panel renders with the request (and so
    # with every context processor) inside the page.
    assert len([sql for sql in four if 'FROM "notifications_notification"' in sql]) == 1


def test_the_partner_summary_takes_the_same_few_queries_for_one_person_as_for_four(client, cast):
    few = _referral(cast, people=1, agencies=[cast.police])
    many = _referral(cast, people=4, agencies=[cast.police, cast.health])
    client.force_login(cast.police_researcher)

    one = _read(client, *few, template="referrals/summary.html")
    four = _read(client, *many, template="referrals/summary.html")

    _assert_as_many(one, four)
    # The summary shows none of the timeline, the ratings, the histories or the strategy panel.
    assert not [sql for sql in four if "timelineevent" in sql or "ragrating" in sql or "strategy_" in sql]
    assert len(four) <= SUMMARY_MOST, f"{len(four)} queries:\n{_listing(four)}"


def test_a_new_referral_asks_for_no_rag_history_and_no_strategy_discussion(client, cast):
    referral = make_referral(cast)
    client.force_login(cast.triage)

    queries = _read(client, referral, [], template="referrals/detail.html")

    assert not [sql for sql in queries if 'FROM "referrals_ragrating"' in sql]
    # The one read of the discussions is the people's history; the panel asks for the referral's
    # threshold decisions only, and finding none, for nothing more.
    assert len([sql for sql in queries if 'FROM "strategy_strategydiscussion"' in sql]) == 1
    assert len([sql for sql in queries if 'FROM "strategy_thresholddecision"' in sql]) == 1
