"""The kinds of clock the timeliness dashboard names: a readable label and the unit its time is counted
in, for each ``Clock.kind`` string the apps start clocks with.

The core registers its own (subject access); each domain app registers the kinds it starts, from its
``measures/timeliness.py``, so the core never imports the apps (tests/test_architecture.py). A kind no
one registered is still counted, under its own string, in hours.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from mash.measures.tables import DAYS, HOURS


@dataclass(frozen=True)
class ClockKind:
    kind: str
    label: str
    unit: str = HOURS
    order: int = 100
    # One kind timed to different lengths the MASH reports apart (the disclosure decision: Clare's
    # Law in 28 days, Sarah's Law in 45): ``Clock.amount`` -> the label of that row.
    variants: dict[int, str] = field(default_factory=dict)
    # The clocks of this kind that ended with no work to time (a request withdrawn, an application
    # withdrawn): a Q over Clock, left out of every figure. Built when a dashboard is.
    void: Callable[[], Q] | None = None
    # The measure whose drill-down lists this kind's records (figure=breached|overdue|due_today).
    drill: str = ""

    def __post_init__(self):
        if self.unit not in (HOURS, DAYS):
            raise ValueError(f"{self.kind}: a clock's time is counted in hours or days.")


_kinds: dict[str, ClockKind] = {}


def register_clock_kind(
    kind: str,
    label: str,
    unit: str = HOURS,
    *,
    order: int = 100,
    variants: dict[int, str] | None = None,
    void: Callable[[], Q] | None = None,
    drill: str = "",
) -> ClockKind:
    registered = ClockKind(kind, label, unit, order, dict(variants or {}), void, drill)
    _kinds[kind] = registered
    return registered


def clock_kind(kind: str) -> ClockKind:
    """The registered kind, or one named by its own string and counted in hours."""
    return _kinds.get(kind) or ClockKind(kind, kind[:1].upper() + kind[1:], HOURS, 1000)


def clock_kinds() -> list[ClockKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.label))


@dataclass(frozen=True)
class Row:
    """One row of the timeliness tables: a kind, or one variant of a kind (its ``amount``)."""

    key: str
    kind: ClockKind
    label: str

    @property
    def unit(self) -> str:
        return self.kind.unit


SEPARATOR = "|"


def row_for(key: str) -> Row:
    """The row a grouping key names: 'kind' or 'kind|amount' (a variant)."""
    kind, _, amount = key.partition(SEPARATOR)
    registered = clock_kind(kind)
    label = registered.variants.get(int(amount), registered.label) if amount.isdigit() else registered.label
    return Row(key, registered, label)


def variant_keys() -> list[tuple[str, int, str]]:
    """(kind, amount, grouping key) of every variant registered."""
    return [
        (k.kind, amount, f"{k.kind}{SEPARATOR}{amount}") for k in _kinds.values() for amount in k.variants
    ]


def void_clocks() -> Q | None:
    """Every registered kind's void clocks, as one Q (None when no kind has any)."""
    parts = [Q(kind=k.kind) & k.void() for k in _kinds.values() if k.void is not None]
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def order_key(row: Row) -> tuple:
    variants = list(row.kind.variants)
    amount = row.key.partition(SEPARATOR)[2]
    position = variants.index(int(amount)) if amount.isdigit() and int(amount) in variants else -1
    return (row.kind.order, row.kind.label, position, row.label)
