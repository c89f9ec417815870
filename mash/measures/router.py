"""Reporting reads on a read replica (``REPORTING_DATABASE_URL``).

The dashboards' aggregates read inside ``reporting_reads()``; there, and only there, this router sends
reads to the ``reporting`` database when settings define one. Every write, and every read of a case
record (a page, a drill-down list, the API's records), stays on the primary: outside the block the
router has no opinion and Django uses ``default``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPORTING = "reporting"
_reporting: ContextVar[bool] = ContextVar("reporting_reads", default=False)


def reporting_db() -> str:
    """The alias aggregates read from."""
    return REPORTING if REPORTING in settings.DATABASES else "default"


@contextmanager
def reporting_reads():
    token = _reporting.set(True)
    try:
        yield reporting_db()
    finally:
        _reporting.reset(token)


class ReportingRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and REPORTING in settings.DATABASES:
            return REPORTING
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema; nothing migrates it.
        return db != REPORTING
