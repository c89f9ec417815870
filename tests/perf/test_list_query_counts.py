"""Issue 8, figure 2: every list page and list endpoint runs a fixed number of queries, at most 10,
whatever the number of rows on it.

Each list of the catalogue (``bench/endpoints.py``) is read by its user with two rows, then with eight,
each row with its own people, assignees, owners and clocks: the count must not change. Pages are read
with a signed-in session and API endpoints with a token, so authentication, the middleware and the
header (the actor, the unread count) are counted as in production.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from bench.endpoints import API, ENDPOINTS
from tests.perf.rows import ROWS

pytestmark = pytest.mark.django_db

MOST = 10


def test_every_list_of_the_catalogue_has_rows_to_make():
    assert set(ROWS) == {endpoint.url_name for endpoint in ENDPOINTS}


def _reader(client, endpoint, user):
    """A GET of the list as ``user``: by token for the API, by a signed-in session for pages."""
    url = reverse(endpoint.url_name, args=endpoint.args)
    if endpoint.kind == API:
        token, _ = Token.objects.get_or_create(user=user)
        return lambda: client.get(url, endpoint.query, HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(user)
    return lambda: client.get(url, endpoint.query)


def _read(get, shown):
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode()
    missing = [row for row in shown if row not in body]
    assert not missing, f"rows made for the list are not on it: {missing}"
    return [query["sql"] for query in captured.captured_queries]


def _listing(queries) -> str:
    return "\n".join(f"{n}. {sql[:300]}" for n, sql in enumerate(queries, 1))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.label.replace(" ", "-"))
def test_a_list_takes_the_same_few_queries_for_2_rows_as_for_8(client, cast, endpoint):
    make = ROWS[endpoint.url_name]
    get = _reader(client, endpoint, getattr(cast, endpoint.cast))
    shown = make(cast, 2)
    get()  # per-process caches (content types, permission ids, the working pattern) are warm from here
    few = _read(get, shown)

    shown += make(cast, 3)
    shown += make(cast, 3)
    many = _read(get, shown)

    assert len(many) == len(few), (
        f"{len(few)} queries with 2 rows, {len(many)} with 8:\n{_listing(few)}\n---\n{_listing(many)}"
    )
    assert len(many) <= MOST, f"{len(many)} queries:\n{_listing(many)}"
