"""The header's unread count (mash.notifications.selectors.unread_count_for) is one fixed statement: it
counts exactly what the inbox shows unread, for every kind of row, and nobody else's."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.notifications.models import Channel, Notification, Status
from mash.notifications.selectors import inbox_for, unread_count_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_counts_what_the_inbox_shows_unread_and_nothing_else():
    alice, bob = UserFactory(), UserFactory()
    rows = itertools.product([alice, bob], Channel.values, Status.values, [None, timezone.now()])
    for n, (recipient, channel, status, read_at) in enumerate(rows):
        Notification.objects.create(
            recipient=recipient,
            channel=channel,
            status=status,
            read_at=read_at,
            event="test.event",
            idempotency_key=f"key-{n}",
            title="A referral needs you",
        )
    for user in (alice, bob):
        unread = inbox_for(user).filter(read_at__isnull=True).count()
        assert unread == 1  # in-app, delivered, unread: one of each kind was made
        with CaptureQueriesContext(connection) as queries:
            assert unread_count_for(user) == unread
        assert len(queries) == 1


def test_a_user_with_no_notifications_has_none_unread():
    assert unread_count_for(UserFactory()) == 0
