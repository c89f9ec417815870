"""The trail of a user and the trail of a record (information governance, DPA 2018 s62)."""

from mash.sharing.trails.children import find_by_reference, ids_of, register_children, register_reference
from mash.sharing.trails.entries import Change, TrailEntry
from mash.sharing.trails.queries import (
    MAX_SPAN,
    PAGE_SIZE,
    Action,
    Period,
    TrailPage,
    period_of,
    record_trail,
    user_trail,
)

__all__ = [
    "MAX_SPAN",
    "PAGE_SIZE",
    "Action",
    "Change",
    "Period",
    "TrailEntry",
    "TrailPage",
    "find_by_reference",
    "ids_of",
    "period_of",
    "record_trail",
    "register_children",
    "register_reference",
    "user_trail",
]
