"""The working hours are reference data kept in the cache (mash/clocks/hours.py): read once, then from
the cache, and every save or delete of a pattern is seen by the next request once it commits; a change
that rolls back is never seen, and without the cache the database answers."""

from datetime import time

import pytest
from django.core.cache import cache
from django.db import transaction

from mash.clocks import hours
from mash.clocks.hours import DEFAULT_HOURS, Hours, current_hours
from mash.clocks.models import WorkingPattern
from tests.broker import frozen_redis

STANDARD = Hours(time(9, 0), time(17, 0), frozenset(range(5)))
EXTENDED = Hours(time(8, 0), time(20, 0), frozenset(range(6)))


def make_current(name="Extended", **fields):
    WorkingPattern.objects.filter(is_current=True).update(is_current=False)
    fields = {"opens_at": time(8, 0), "closes_at": time(20, 0), "saturday": True, **fields}
    return WorkingPattern.objects.create(name=name, is_current=True, **fields)


@pytest.mark.django_db
def test_the_hours_are_read_once_then_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert current_hours() == STANDARD
    with django_assert_num_queries(0):
        assert current_hours() == STANDARD


@pytest.mark.django_db
def test_a_transaction_that_changes_the_pattern_reads_its_change_and_caches_nothing():
    assert current_hours() == STANDARD
    make_current()  # uncommitted: the test's transaction
    assert current_hours() == EXTENDED
    assert cache.get(hours.HOURS_KEY)[1:] == (time(9, 0), time(17, 0), (0, 1, 2, 3, 4))


@pytest.mark.django_db(transaction=True)
def test_a_saved_pattern_is_seen_by_the_next_request(django_assert_num_queries):
    make_current(name="Standard", opens_at=time(9, 0), closes_at=time(17, 0), saturday=False)
    assert current_hours() == STANDARD
    with django_assert_num_queries(0):
        assert current_hours() == STANDARD  # cached

    pattern = WorkingPattern.objects.get(is_current=True)
    pattern.opens_at, pattern.closes_at, pattern.saturday = time(8, 0), time(20, 0), True
    pattern.save()
    assert current_hours() == EXTENDED

    pattern.closes_at = time(18, 0)
    with transaction.atomic():
        pattern.save()
    assert current_hours() == Hours(time(8, 0), time(18, 0), frozenset(range(6)))


@pytest.mark.django_db(transaction=True)
def test_a_deleted_pattern_is_seen_by_the_next_request():
    pattern = make_current()
    assert current_hours() == EXTENDED
    pattern.delete()
    assert current_hours() == DEFAULT_HOURS


@pytest.mark.django_db(transaction=True)
def test_a_change_that_rolls_back_is_never_seen():
    make_current(name="Standard", opens_at=time(9, 0), closes_at=time(17, 0), saturday=False)
    assert current_hours() == STANDARD
    with pytest.raises(RuntimeError), transaction.atomic():
        make_current()
        assert current_hours() == EXTENDED  # the transaction sees its own change
        raise RuntimeError("rolled back")
    assert current_hours() == STANDARD


@pytest.mark.django_db(transaction=True)
def test_hours_stored_by_a_request_that_read_them_before_the_change_committed_are_not_used():
    make_current(name="Standard", opens_at=time(9, 0), closes_at=time(17, 0), saturday=False)
    assert current_hours() == STANDARD
    stale = cache.get(hours.HOURS_KEY)  # what a request read just before the commit below
    make_current()
    cache.set(hours.HOURS_KEY, stale)  # and stored just after it
    assert current_hours() == EXTENDED


@pytest.mark.django_db
def test_without_the_cache_the_hours_come_from_the_database(settings, django_assert_num_queries):
    with frozen_redis() as url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        with django_assert_num_queries(1):
            assert current_hours() == STANDARD
        assert hours.cache_pause.active()  # the next requests do not wait for it
        with django_assert_num_queries(1):
            assert current_hours() == STANDARD


@pytest.mark.django_db(transaction=True)
def test_a_pattern_changed_in_the_admin_is_seen_by_the_next_request(admin_client):
    pattern = make_current(name="Standard", opens_at=time(9, 0), closes_at=time(17, 0), saturday=False)
    assert current_hours() == STANDARD
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    response = admin_client.post(
        f"/admin/clocks/workingpattern/{pattern.pk}/change/",
        {"name": "Standard", "is_current": "on", "opens_at": "08:00", "closes_at": "20:00"}
        | dict.fromkeys(days, "on"),
    )
    assert response.status_code == 302, response.content[:500]
    assert current_hours() == EXTENDED
