"""The dashboards' figures, kept as a summary: each measure's built blocks, cached for a few minutes.

A year's timeliness dashboard reads a year of clocks (seconds at a MASH's size); a manager opening it
reads the blocks (tables and charts: plain dataclasses) last built for the same period, breakdown and
SCOPE, not the raw records. Beat rebuilds the usual ones every few minutes
(``mash.measures.tasks.warm_dashboards``), so a page is warm; a request that finds nothing builds the
measure and stores it (the SQLite demo has no beat: its first page is cold, the next ones warm).

The key is what changes the figures and the links, never who is looking: the measure, the period's
first and last day and choice, the breakdown, and the viewer's scope (whole MASH or one agency's rows,
drill links or none, staff rows or none). Two lead managers share an entry; a board member never gets
a manager's entry (which has drill links and staff rows).

Each entry records when it was built ('as at'): the page says 'Figures as at 14:05', the API returns
``as_at``. 'Due today' and 'Overdue now' are as at that time too: up to MEASURES_CACHE_SECONDS old.

Drill-down lists (records, read through selectors and logged) and the inspection lists are never
cached.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

from mash.measures.periods import Period
from mash.measures.scope import Viewer

logger = logging.getLogger(__name__)

# Bump by hand whenever a measure's blocks change shape or meaning (a column added, a definition
# changed): a deploy then reads none of the entries the old code built.
MEASURES_CACHE_VERSION = 1
PREFIX = "measures"
# After the cache fails, this process builds without it for this long: a frozen Redis then costs one
# page a socket timeout, not every measure of every page (as the API throttles do).
PAUSE_AFTER_FAILURE = 30.0
_paused_until = 0.0


def _paused() -> bool:
    return time.monotonic() < _paused_until


def _failed(what: str) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
    logger.warning(
        "The measures cache could not be %s: building without it for %.0f s.",
        what,
        PAUSE_AFTER_FAILURE,
        exc_info=True,
    )


@dataclass(frozen=True)
class Entry:
    """A measure's built blocks and when they were built."""

    blocks: list
    as_at: datetime


def seconds() -> int:
    """How long an entry lives (settings.MEASURES_CACHE_SECONDS, at least 30)."""
    return max(30, int(getattr(settings, "MEASURES_CACHE_SECONDS", 600)))


def scope_of(viewer: Viewer) -> tuple:
    """What of the viewer changes a measure's figures and links (never the user)."""
    return (viewer.whole_mash, viewer.agency_id, viewer.may_drill, viewer.may_see_staff)


def key_for(measure_key: str, period: Period, by: str, viewer: Viewer) -> str:
    whole, agency, drill, staff = scope_of(viewer)
    scope = f"{'all' if whole else f'agency{agency}'}:{'drill' if drill else 'nodrill'}:"
    scope += "staff" if staff else "nostaff"
    return ":".join(
        [
            PREFIX,
            f"v{MEASURES_CACHE_VERSION}",
            measure_key,
            period.first.isoformat(),
            period.last.isoformat(),
            period.choice,
            by or "-",
            scope,
        ]
    )


def read(key: str) -> Entry | None:
    """The entry under the key; None when there is none (or the cache cannot be reached)."""
    if _paused():
        return None
    try:
        entry = cache.get(key)
    except Exception:  # a cache that cannot be reached costs a cold build, not the page
        _failed("read")
        return None
    return entry if isinstance(entry, Entry) else None


def store(key: str, entry: Entry) -> None:
    if _paused():
        return
    try:
        cache.set(key, entry, timeout=seconds())
    except Exception:
        _failed("written")


def built(measure, query, *, refresh: bool = False) -> Entry:
    """The measure's blocks for the query: the cached entry, or built now (and stored)."""
    key = key_for(measure.key, query.period, query.by, query.viewer)
    entry = None if refresh else read(key)
    if entry is None:
        entry = Entry(list(measure.build(query)), query.now)
        store(key, entry)
    return entry


def claim(key: str, timeout: int | None = None) -> bool:
    """Whether this run may build the key now (False: another run is building it). A claim lapses
    after the cache's life (or ``timeout`` seconds), should its worker die holding it."""
    if _paused():
        return True
    try:
        return cache.add(f"{key}:claim", 1, timeout=timeout or seconds())
    except Exception:
        return True


def release(key: str) -> None:
    if _paused():
        return
    try:
        cache.delete(f"{key}:claim")
    except Exception:
        logger.warning("A claim on the measures cache could not be released.", exc_info=True)
