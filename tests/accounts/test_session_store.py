"""The session engine (mash/accounts/sessions.py): Django's database sessions, read in one statement.
Whatever Django's own database store would read, it reads; what Django's would not (an expired row, a
deleted one, a tampered one), it does not."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def stored(data: dict, store=DjangoStore) -> str:
    session = store()
    session.update(data)
    session.create()
    return session.session_key


def test_it_reads_what_djangos_store_wrote_and_the_other_way_round():
    data = {"_auth_user_id": "42", "marker": "read-me-4471", "nested": {"n": [1, 2]}}
    key = stored(data)
    ours = SessionStore(key)
    assert dict(ours.items()) == data
    assert ours.session_key == key

    key = stored(data, store=SessionStore)
    assert dict(DjangoStore(key).items()) == data


def test_the_read_is_one_statement_by_key_and_expiry():
    key = stored({"a": 1})
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key)["a"] == 1
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "session_data" in sql and "expire_date" in sql and key in sql


ENDINGS = {
    "expired": {"expire_date": timezone.now},
    "tampered": {"session_data": lambda: "tampered:not-signed"},
}


@pytest.mark.parametrize("end", ["expired", "deleted", "tampered"])
def test_an_ended_or_tampered_session_reads_as_empty_as_in_djangos_store(end):
    key = stored({"_auth_user_id": "42"})
    row = Session.objects.filter(pk=key)
    if end == "deleted":
        row.delete()
    else:
        row.update(**{field: value() for field, value in ENDINGS[end].items()})
    ours, django = SessionStore(key), DjangoStore(key)
    assert dict(ours.items()) == dict(django.items()) == {}


def test_a_session_whose_row_is_gone_is_saved_under_a_new_key():
    """As Django's store: an expired or deleted key is never reused, so a stolen old cookie stays dead."""
    key = stored({"_auth_user_id": "42"})
    Session.objects.filter(pk=key).delete()
    session = SessionStore(key)
    session["b"] = 2
    session.save()
    assert session.session_key != key
    assert not Session.objects.filter(pk=key).exists()


def test_a_session_near_its_expiry_is_still_read():
    key = stored({"c": 3})
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert SessionStore(key)["c"] == 3
