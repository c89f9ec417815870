"""The dashboards and the measures on them.

The core defines the four dashboards; each app registers its measures (in its ``AppConfig.ready``,
from its own ``measures.py``), as it registers its menu links and tray sections, so the core never
imports the domain apps (tests/test_architecture.py). A measure is a function of a ``Query`` that
returns tables and charts; it reads aggregates through ``query.db`` (the reporting replica when one
is configured) and builds drill-down lists through its app's selectors.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from mash.clocks.calendar import Calendar
from mash.measures.periods import Period
from mash.measures.scope import Viewer
from mash.measures.tables import Chart, Table


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    description: str
    order: int


TIMELINESS = Dashboard(
    "timeliness",
    "Timeliness",
    "Every deadline the MASH works to: how many were met, how long the work took, what was late, and "
    "what is due today and overdue now.",
    10,
)
DEMAND = Dashboard(
    "demand",
    "Demand",
    "Contacts and referrals by source and month, the consultation line, repeat referrals, outcomes by "
    "source, disclosure applications and missing episodes.",
    20,
)
QUALITY = Dashboard(
    "quality",
    "Quality of information shared",
    "Per agency: answers on time, answers relied on in threshold decisions and rated sufficient, "
    "'nothing known', the gradings of police entries and addenda after submission.",
    30,
)
WORKLOAD = Dashboard(
    "workload",
    "Workload",
    "Open referrals and requests by state, assignee and age; per researcher and per agency.",
    40,
)
DASHBOARDS = {dashboard.key: dashboard for dashboard in (TIMELINESS, DEMAND, QUALITY, WORKLOAD)}


@dataclass(frozen=True)
class Query:
    """What every measure of one page shares: who is looking, the period, the breakdown, the time."""

    viewer: Viewer
    period: Period
    by: str
    now: datetime
    user: object = None
    # The database alias aggregates read from: "reporting" when REPORTING_DATABASE_URL is set.
    db: str = "default"
    extra: dict = field(default_factory=dict)

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar()

    def drill_url(self, measure: str, **params) -> str:
        """The drill-down list behind a figure, for the same period; '' for a viewer who may not drill."""
        if not self.viewer.may_drill:
            return ""
        query = {**self.period.params(), **{k: v for k, v in params.items() if v not in (None, "")}}
        return f"{reverse('measures:drill', args=[measure])}?{urlencode(query)}"


Block = Table | Chart


@dataclass
class Drill:
    """The records behind a figure: a table of them (each row linking to its record) built from the
    app's selectors, and the records themselves, whose reads the page logs (an access-log row each)."""

    table: Table
    records: list = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    key: str
    dashboard: str
    title: str
    order: int
    build: Callable[[Query], list[Block]]
    description: str = ""
    # Who sees it (everyone who sees the dashboards unless it says otherwise).
    allowed: Callable[[Viewer], bool] = lambda viewer: True
    # The records behind one of its figures: (query, the drill URL's parameters) -> a Drill, built
    # through the app's selectors (what the viewer may see); a parameter it does not know raises
    # ValidationError. None: the measure has no drill-down.
    drill: "Callable[[Query, dict], Drill] | None" = None


_measures: dict[str, Measure] = {}


def register(*measures: Measure) -> None:
    for measure in measures:
        if measure.dashboard not in DASHBOARDS:
            raise ValueError(f"{measure.key}: no dashboard {measure.dashboard!r}.")
        _measures[measure.key] = measure


def measures_on(dashboard: str, viewer: Viewer) -> list[Measure]:
    return sorted(
        (m for m in _measures.values() if m.dashboard == dashboard and m.allowed(viewer)),
        key=lambda m: (m.order, m.key),
    )


def measure(key: str) -> Measure | None:
    return _measures.get(key)


def all_measures() -> list[Measure]:
    return sorted(_measures.values(), key=lambda m: (m.dashboard, m.order, m.key))


def import_all(package: str) -> None:
    """Import every module of an app's ``measures`` package (each registers its own measures), so two
    dashboards' modules never share a file."""
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{info.name}")
