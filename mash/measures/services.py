"""Building a dashboard for a viewer: every measure they may see, for the period, read on the
reporting database; and the records behind a figure, read on the primary through the app's selectors."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.measures import cache, registry
from mash.measures.periods import Period
from mash.measures.router import reporting_reads
from mash.measures.scope import Viewer, may_see_measures
from mash.measures.tables import Chart, Table
from mash.sharing.models import AccessAction
from mash.sharing.services import records_shown


@dataclass
class Built:
    measure: registry.Measure
    blocks: list
    # When the blocks were built (from the cache: up to settings.MEASURES_CACHE_SECONDS ago).
    as_at: datetime | None = None

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def charts(self) -> list[Chart]:
        return [block for block in self.blocks if isinstance(block, Chart)]


def viewer_for(user) -> Viewer:
    actor = actor_for(user)
    if not may_see_measures(actor):
        raise PermissionDenied("Only MASH managers and partnership board members see the measures.")
    return Viewer(actor)


def dashboard_of(key: str) -> registry.Dashboard:
    try:
        return registry.DASHBOARDS[key]
    except KeyError:
        raise Http404("No such dashboard.") from None


def build_dashboard(user, key: str, period: Period, by: str, *, now=None) -> list[Built]:
    """Every measure of the dashboard the user may see, for the period (aggregates only, read on the
    reporting replica when there is one): each measure's blocks from the cache (mash/measures/cache.py)
    when they were built for the same period, breakdown and scope, otherwise built now and stored. A
    caller that gives ``now`` asks for the figures as at that time: built, never cached."""
    viewer = viewer_for(user)
    dashboard = dashboard_of(key)
    with reporting_reads() as db:
        query = registry.Query(
            viewer=viewer, period=period, by=by, now=now or timezone.now(), user=user, db=db
        )
        measures = registry.measures_on(dashboard.key, viewer)
        if now is not None:
            return [Built(measure, measure.build(query), now) for measure in measures]
        built = []
        for measure in measures:
            entry = cache.built(measure, query)
            built.append(Built(measure, entry.blocks, entry.as_at))
        return built


def as_at(built: list[Built]) -> datetime | None:
    """When the oldest figure of the page was built."""
    times = [item.as_at for item in built if item.as_at is not None]
    return min(times) if times else None


def find_table(built: list[Built], table_key: str) -> Table:
    for item in built:
        for table in item.tables:
            if table.key == table_key:
                return table
    raise Http404("No such table on this dashboard.")


def drill(user, measure_key: str, period: Period, params: dict, *, request=None, export: bool = False):
    """The records behind one figure, as the user may see them; each record shown is logged as read (or
    exported, for a download)."""
    viewer = viewer_for(user)
    measure = registry.measure(measure_key)
    if measure is None or measure.drill is None or not measure.allowed(viewer):
        raise Http404("No such list.")
    if not viewer.may_drill:
        raise PermissionDenied("The records behind a figure are for MASH managers.")
    query = registry.Query(viewer=viewer, period=period, by="", now=timezone.now(), user=user)
    result = measure.drill(query, params)
    if not isinstance(result, registry.Drill):
        raise ValidationError("A drill-down returns a Drill.")
    records_shown(
        user=user,
        objs=result.records,
        request=request,
        action=AccessAction.EXPORT if export else AccessAction.VIEW,
    )
    return measure, result
