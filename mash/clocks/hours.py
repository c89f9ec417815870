"""The MASH's working hours: the current working pattern, kept in Django's cache.

Every page that describes a clock reads the pattern (each ``Calendar()``), and it is reference data
that changes perhaps once a year, in the admin. So it is kept in the cache (Redis: every web process
shares it) for HOURS_CACHE_SECONDS, and every save or delete of a pattern makes the copy stale once it
commits (``mash/clocks/signals.py``): the next request reads the database.

Staleness is a version, not a deletion. A change's commit sets a new version; an entry is used only
while it carries the version in force. A request that read the old pattern just before the commit and
stores it just after stores it under the old version, which no one reads any more (with a deletion it
would stay until it lapsed). A transaction that changed a pattern reads the database until it ends
and stores nothing: what it read is not committed, and may never be.

Without the cache (Redis down or frozen) the pattern is read from the database, as before; a change
made while Redis cannot be reached is seen when the entry lapses, at most HOURS_CACHE_SECONDS later.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import time

from django.core.cache import cache
from django.db import transaction

from mash.clocks.models import WorkingPattern
from mash.common.pauses import Pause

logger = logging.getLogger(__name__)

HOURS_KEY = "clocks:current-hours"
VERSION_KEY = "clocks:current-hours:version"
HOURS_CACHE_SECONDS = 5 * 60
cache_pause = Pause("The working pattern's cache")


@dataclass(frozen=True)
class Hours:
    opens_at: time
    closes_at: time
    weekdays: frozenset[int]


DEFAULT_HOURS = Hours(time(9, 0), time(17, 0), frozenset(range(5)))


def _read_current_hours() -> Hours:
    pattern = WorkingPattern.objects.filter(is_current=True).first()
    if pattern is None:
        return DEFAULT_HOURS
    return Hours(pattern.opens_at, pattern.closes_at, pattern.weekdays)


def _changed_in_this_transaction() -> bool:
    """Whether the open transaction changed a pattern: its ``_new_version`` waits among the
    connection's on-commit callbacks (the list Django's captureOnCommitCallbacks reads) until the
    commit runs it; a rollback, of the transaction or of the savepoint that made the change, drops it."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(entry[1] is _new_version for entry in connection.run_on_commit)


def current_hours() -> Hours:
    """The hours of the current working pattern (DEFAULT_HOURS when none is current)."""
    if _changed_in_this_transaction() or cache_pause.active():
        return _read_current_hours()
    try:
        found = cache.get_many([VERSION_KEY, HOURS_KEY])
    except Exception as exc:  # the cache cannot be reached: read the database, as without one
        cache_pause.begin(exc)
        return _read_current_hours()
    version, entry = found.get(VERSION_KEY), found.get(HOURS_KEY)
    # Plain values in the cache (times and day numbers), so no deploy meets an entry it cannot read.
    if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == version:
        return Hours(entry[1], entry[2], frozenset(entry[3]))
    hours = _read_current_hours()
    entry = (version, hours.opens_at, hours.closes_at, tuple(sorted(hours.weekdays)))
    try:
        cache.set(HOURS_KEY, entry, HOURS_CACHE_SECONDS)
    except Exception as exc:
        cache_pause.begin(exc)
    return hours


def _new_version() -> None:
    try:
        # No expiry: an entry must never meet a version older than the one it was stored under.
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.exception(
            "A working pattern changed and its cache could not be told: the old hours may be used "
            "for up to %s seconds.",
            HOURS_CACHE_SECONDS,
        )


def working_pattern_changed() -> None:
    """A pattern was saved or deleted: this transaction reads the database until it ends, and its
    commit sets a new version, which makes the cached hours stale for every process."""
    transaction.on_commit(_new_version)
