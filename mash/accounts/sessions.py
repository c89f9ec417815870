"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read in one fixed statement.

Sessions live in the database alone: ending a user's sessions deletes their rows
(``mash.accounts.services.sessions_end_for``), which a cached copy (Django's ``cached_db`` engine) would
outlive. Every signed-in request reads its session; Django's store builds that read as a queryset,
filters it and compiles it on every request (the read was 4.5% of a web worker's time under the load
figure, issue 19), for a statement that never changes. This store runs that statement itself (the read
480 to 241 µs, round trip included): the row of this key, if it has not expired. Writing, deleting,
expiry and the cookie are Django's.
"""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _read_sql(alias: str, table: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        f"SELECT {quote('session_data')} FROM {quote(table)} "  # noqa: S608 (quoted names only)
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, or an empty session (and no key: a new one is made on save) when its row
        is gone or has expired, as Django's ``load``."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        with connection.cursor() as cursor:
            cursor.execute(
                _read_sql(connection.alias, model._meta.db_table),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
