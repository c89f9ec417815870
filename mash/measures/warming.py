"""Keeping the dashboards' cache warm (beat: ``mash.measures.tasks.warm_dashboards``, every 5 minutes).

For each named period (this week, this month, this quarter, the last 12 months) and the whole period's
breakdown, every measure of every dashboard is built for each scope a manager or board member opens
with: the whole MASH's managers (the lead agency's), the partnership board, and the managers of each
other agency that has one. A scope is a ``Viewer`` of no particular user: the figures depend on the
scope alone (mash/measures/cache.py), and no measure's build reads the user (their drill-downs do).

One run at a time: a run that finds another still going (at a MASH's size a run is a few minutes of
aggregate queries; the worker's other process stays free for the notifications) ends at once. Should
that claim lapse, two runs still do not build the same entry twice: each entry is claimed with
``cache.add`` while it is built, and a run passes over an entry claimed by another or built since it
began. The default period (this month) is warmed first, the costly last 12 months last.
A measure that raises is logged and left for the page to build; the rest go on.
"""

import logging

from django.utils import timezone

from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import Actor
from mash.measures import cache, registry
from mash.measures.periods import MONTH, QUARTER, WEEK, YEAR, period_of
from mash.measures.router import reporting_reads
from mash.measures.scope import Viewer

logger = logging.getLogger(__name__)

PERIODS = (MONTH, WEEK, QUARTER, YEAR)
RUN = f"{cache.PREFIX}:v{cache.MEASURES_CACHE_VERSION}:warming"
# The longest a run holds the run's claim (should its worker die holding it).
RUN_CLAIM_SECONDS = 15 * 60


def scopes() -> list[Viewer]:
    """The viewers whose dashboards are kept warm: one per scope, no user."""
    lead = Agency.objects.filter(is_lead=True, is_active=True).first()
    viewers = []
    if lead is not None:
        viewers.append(Viewer(Actor(user_id=0, agency=lead, roles=frozenset({Role.MASH_MANAGER}))))
    viewers.append(Viewer(Actor(user_id=0, agency=None, roles=frozenset({Role.BOARD_MEMBER}))))
    managed = Agency.objects.filter(
        is_lead=False,
        is_active=True,
        memberships__user__is_active=True,
        memberships__user__groups__name=Role.MASH_MANAGER,
    ).distinct()
    for agency in managed.order_by("name", "pk"):
        viewers.append(Viewer(Actor(user_id=0, agency=agency, roles=frozenset({Role.MASH_MANAGER}))))
    return viewers


def warm(*, dashboards=None) -> dict[str, int]:
    """Build and store every entry the dashboards' usual pages read; how many were built, passed over
    (claimed by another run) and failed."""
    counts = {"built": 0, "skipped": 0, "failed": 0}
    if not cache.claim(RUN, RUN_CLAIM_SECONDS):
        logger.info("Dashboards not warmed: another run is still going.")
        return counts
    try:
        _warm(counts, dashboards)
    finally:
        cache.release(RUN)
    logger.info("Dashboards warmed: %(built)d built, %(skipped)d passed over, %(failed)d failed.", counts)
    return counts


def _warm(counts: dict, dashboards) -> None:
    began = timezone.now()
    today = timezone.localdate(began)
    keys = dashboards or sorted(registry.DASHBOARDS)
    viewers = scopes()
    with reporting_reads() as db:
        for choice in PERIODS:
            period = period_of(choice, today=today)
            for viewer in viewers:
                for dashboard in keys:
                    for measure in registry.measures_on(dashboard, viewer):
                        counts[_warm_one(measure, viewer, period, db, began)] += 1


def _warm_one(measure, viewer, period, db, began) -> str:
    key = cache.key_for(measure.key, period, "", viewer)
    if not cache.claim(key):
        return "skipped"
    try:
        done = cache.read(key)
        if done is not None and done.as_at >= began:
            return "skipped"
        query = registry.Query(viewer=viewer, period=period, by="", now=timezone.now(), user=None, db=db)
        cache.built(measure, query, refresh=True)
    except Exception:
        logger.exception("Measure %s could not be built for the cache (%s).", measure.key, key)
        return "failed"
    finally:
        cache.release(key)
    return "built"
