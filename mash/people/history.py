"""A person's history, to which the domain apps contribute through registration.

The core never imports a domain app: each app registers a source in its AppConfig.ready(). A source
takes the acting user and the person and returns the items that user may see.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class HistoryItem:
    kind: str
    at: datetime
    title: str
    summary: str = ""
    url: str = ""


HistorySource = Callable[[object, object], Iterable[HistoryItem]]
_sources: list[HistorySource] = []


def register_history_source(source: HistorySource) -> HistorySource:
    if source not in _sources:
        _sources.append(source)
    return source


def person_history_for(user, person) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for source in _sources:
        items.extend(source(user, person))
    return sorted(items, key=lambda item: item.at, reverse=True)
