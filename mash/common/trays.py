"""The work tray: the home page's sections, one per kind of work waiting for the user and their agency.

Each app registers its sections (in its ``AppConfig.ready``), as it registers its menu links
(mash/common/navigation.py): who sees the section, by the predicate its list page lets the actor in by,
and how to build it for a user, from that app's own selectors (permission-filtered reads, never a raw
queryset). The core holds the registry and the domain apps register into it, so the core never imports
them (tests/test_architecture.py). A section costs a few queries whatever the numbers: counts in one
aggregate, the first few items in one more (tests/common/test_trays.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from mash.agencies.selectors import Actor, actor_for
from mash.clocks.calendar import Calendar

TOP = 5
"""How many items a section shows; 'See all' leads to the full list."""


@dataclass(frozen=True)
class Count:
    """'3 past their deadline', linking to the list filtered to them."""

    label: str
    value: int
    url: str = ""
    late: bool = False


@dataclass(frozen=True)
class Line:
    """One record waiting: what it is (linking to it), a few words about it and when it is due."""

    title: str
    url: str
    detail: str = ""
    due: str = ""
    late: bool = False
    # The red tag a late line carries.
    tag: str = "Overdue"


@dataclass
class Section:
    title: str
    lines: list[Line]
    counts: list[Count] = field(default_factory=list)
    total: int = 0
    see_all: str = ""
    see_all_label: str = ""
    key: str = ""


@dataclass(frozen=True)
class Context:
    """What every section of one page shares: the time and one calendar (each Calendar() reads the
    working pattern)."""

    user: object
    actor: Actor
    now: datetime
    calendar: Calendar
    top: int = TOP


@dataclass(frozen=True)
class Tray:
    key: str
    allowed: Callable[[Actor], bool]
    build: Callable[[Context], Section]
    # Where the section goes on the page, smallest first.
    order: int


_trays: dict[str, Tray] = {}


def register(*trays: Tray) -> None:
    for tray in trays:
        _trays[tray.key] = tray


def trays_for(actor: Actor) -> list[Tray]:
    return [t for t in sorted(_trays.values(), key=lambda t: t.order) if t.allowed(actor)]


def sections_for(user) -> list[Section]:
    """The user's work tray: a section for each kind of work their roles do, in page order."""
    actor = actor_for(user)
    context = Context(user=user, actor=actor, now=timezone.now(), calendar=Calendar())
    sections = []
    for tray in trays_for(actor):
        section = tray.build(context)
        section.key = tray.key
        sections.append(section)
    return sections


def late(clock, now: datetime) -> dict:
    """A line's red tag for its clock: 'Overdue' while it runs past its due time, 'Late' once it
    stopped late (a referral still open after a late decision); none otherwise. As ``Line`` fields."""
    if clock is None:
        return {"late": False}
    if clock.stopped_at is None:
        return {"late": bool(clock.breached_at) or clock.due_at <= now, "tag": "Overdue"}
    return {"late": bool(clock.breached_at) or clock.stopped_at > clock.due_at, "tag": "Late"}
