"""The agency inbox in due order, read from the request's own copy of its clock's due time.

``InformationRequest.due_at`` is copied from the request's clock when the request is sent (a clock's due
time never moves), so that the inbox is read in due order from one partial index instead of joining and
sorting every open request of the agency. These tests hold the copy to the clock through every service
that touches a request, and the inbox (selector, page and API) to the clocks' order.
"""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from referrals.models import InformationRequest, RequestStatus
from referrals.requests import selectors
from referrals.requests import services as request_services
from tests.factories import PersonFactory
from tests.information_requests.support import (
    answer,
    ask,
    nothing_known,
    police_entry,
    referral_in_gathering,
)

pytestmark = pytest.mark.django_db


def assert_every_copy_is_its_clocks():
    assert not InformationRequest.objects.filter(due_at__isnull=True).exists()
    assert not InformationRequest.objects.exclude(due_at=F("clock__due_at")).exists()


@pytest.fixture
def sent_out_of_due_order(cast):
    """Three requests to the police, sent in an order that is not their due order: a green referral's
    (three working days) first, then a red one's (four working hours), then an amber one's (one working
    day)."""
    return [
        ask(referral_in_gathering(cast, PersonFactory(), rating=rating), cast.triage, cast.police)[0]
        for rating in ("green", "red", "amber")
    ]


def by_clock(requests):
    return [r.pk for r in sorted(requests, key=lambda r: (r.clock.due_at, r.pk))]


def test_sending_copies_the_clocks_due_time(cast, sent_out_of_due_order):
    for request in sent_out_of_due_order:
        assert request.due_at == request.clock.due_at
    assert_every_copy_is_its_clocks()


def test_the_inbox_lists_the_open_requests_by_their_clocks_due_time(cast, sent_out_of_due_order):
    green, red, _amber = sent_out_of_due_order
    expected = by_clock(sent_out_of_due_order)
    assert expected[0] == red.pk and expected[-1] == green.pk, "sent out of due order"

    inbox = selectors.agency_inbox_for(cast.police_researcher)

    assert [r.pk for r in inbox] == expected
    # Ordered by the request's own column (what the partial index holds), not through the clock's join.
    order_by = str(inbox.query).split("ORDER BY")[1]
    assert '"referrals_informationrequest"."due_at" ASC' in order_by
    assert "clocks_clock" not in order_by


def test_the_page_and_the_api_show_the_same_order(client, api_client, cast, sent_out_of_due_order):
    expected = by_clock(sent_out_of_due_order)

    client.force_login(cast.police_researcher)
    html = client.get(reverse("referrals:agency_inbox")).content.decode()
    api_client.force_authenticate(cast.police_researcher)
    rows = api_client.get(reverse("api-information-requests")).json()["results"]

    links = [reverse("referrals:request", args=[pk]) for pk in expected]
    assert all(link in html for link in links)
    assert sorted(links, key=html.index) == links
    assert [row["id"] for row in rows] == expected


def test_answered_requests_keep_the_due_order_when_asked_for(cast, sent_out_of_due_order):
    green, _red, _amber = sent_out_of_due_order
    answer(green, cast.police_researcher)

    open_only = selectors.agency_inbox_for(cast.police_researcher)
    everything = selectors.agency_inbox_for(cast.police_researcher, include_answered=True)

    assert green.pk not in [r.pk for r in open_only]
    assert [r.pk for r in everything] == by_clock(sent_out_of_due_order)


def test_the_copy_stays_the_clocks_through_every_service_of_a_request(cast, person):
    """No service moves a request's clock (sending starts a new one; submitting and withdrawing stop
    it; the sweep marks a breach): the copy is the clock's due time after each of them."""
    referral = referral_in_gathering(cast, person)
    police, health = sorted(
        ask(referral, cast.triage, cast.police, cast.health), key=lambda r: r.agency.kind != "police"
    )
    assert_every_copy_is_its_clocks()

    # Withdrawn and asked again: a new request on a new clock.
    request_services.information_request_withdraw(request=health, by=cast.triage, reason="Not needed.")
    (health,) = ask(referral, cast.triage, cast.health)
    assert health.status == RequestStatus.OPEN
    assert health.due_at == health.clock.due_at
    assert_every_copy_is_its_clocks()

    request_services.information_request_claim(request=police, by=cast.police_researcher)
    entry = request_services.response_entry_add(
        request=police, by=cast.police_researcher, data=police_entry(person)
    )
    request_services.response_entry_remove(entry=entry, by=cast.police_researcher)
    assert_every_copy_is_its_clocks()

    request_services.response_entry_add(request=police, by=cast.police_researcher, data=nothing_known(person))
    request_services.information_request_submit(request=police, by=cast.police_researcher)
    request_services.response_addendum_add(
        request=police, by=cast.police_researcher, data=police_entry(person), reason="Found a record."
    )
    assert_every_copy_is_its_clocks()

    # The sweep past the health request's due time: escalated, its clock marked breached.
    request_services.send_reminders_and_escalations(now=timezone.now() + timedelta(days=30))
    health.refresh_from_db()
    assert health.escalated_at is not None
    assert_every_copy_is_its_clocks()
