"""Issue 8, figure 2: every list page and list endpoint runs a fixed number of queries, at most 10,
whatever the number of rows on it.

Each list of the catalogue (``bench/endpoints.py``) is read by its user with two rows, then with eight,
each row with its own people, assignees, owners and clocks: the count must not change. Pages are read
with a signed-in session and API endpoints with a token, so authentication, the middleware and the
header (the actor, the unread count) are counted as in production.

The entries read ``through_grants`` by a partner agency's user are given rows granted to that agency
and rows granted only to others (or to no one): the first must be on the list and the others must not.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.endpoints import API, ENDPOINTS
from tests.factories import api_token
from tests.perf.rows import GRANTED_ROWS, ROWS, Made

pytestmark = pytest.mark.django_db

MOST = 10


def test_every_list_of_the_catalogue_has_rows_to_make():
    assert set(ROWS) == {endpoint.url_name for endpoint in ENDPOINTS if not endpoint.through_grants}
    assert set(GRANTED_ROWS) == {endpoint.label for endpoint in ENDPOINTS if endpoint.through_grants}


def _maker(endpoint):
    """``make(cast, count) -> Made``: rows the user sees, and for grant entries rows they must not."""
    if endpoint.through_grants:
        return GRANTED_ROWS[endpoint.label]
    return lambda cast, count: Made(shown=ROWS[endpoint.url_name](cast, count))


def _reader(client, endpoint, user):
    """A GET of the list as ``user``: by token for the API, by a signed-in session for pages."""
    url = reverse(endpoint.url_name, args=endpoint.args)
    if endpoint.kind == API:
        token = api_token(user)
        return lambda: client.get(url, endpoint.query, HTTP_AUTHORIZATION=f"Token {token}")
    client.force_login(user)
    return lambda: client.get(url, endpoint.query)


def _read(get, made):
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode()
    missing = [row for row in made.shown if row not in body]
    assert not missing, f"rows made for the list are not on it: {missing}"
    leaked = [row for row in made.hidden if row in body]
    assert not leaked, f"rows of other agencies are on the list: {leaked}"
    return [query["sql"] for query in captured.captured_queries]


def _listing(queries) -> str:
    return "\n".join(f"{n}. {sql[:300]}" for n, sql in enumerate(queries, 1))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.label.replace(" ", "-"))
def test_a_list_takes_the_same_few_queries_for_2_rows_as_for_8(client, cast, endpoint):
    make = _maker(endpoint)
    get = _reader(client, endpoint, getattr(cast, endpoint.cast))
    made = make(cast, 2)
    get()  # per-process caches (content types, permission ids, the working pattern) are warm from here
    few = _read(get, made)

    made += make(cast, 3)
    made += make(cast, 3)
    many = _read(get, made)

    assert len(many) == len(few), (
        f"{len(few)} queries with 2 rows, {len(many)} with 8:\n{_listing(few)}\n---\n{_listing(many)}"
    )
    assert len(many) <= MOST, f"{len(many)} queries:\n{_listing(many)}"
