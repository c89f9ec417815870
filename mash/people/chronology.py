"""A person's chronology: every event about them, across the apps, in date order.

Where ``mash/people/history.py`` lists a person's records (one line per referral, episode,
application), the chronology lists what happened in them (a referral received, a partner agency's
answer, a threshold decision, a strategy discussion's decision, a disclosure decision, a missing
episode's report and return...). The core never imports a domain app: each app registers a source in
its ``AppConfig.ready()``.

A source is called as ``source(viewer, person)``. With a viewer it returns the events that viewer may
see, each cut to what the viewer's audience allows (the protocol decides, item by item, through the
app's own policy and selectors). With ``viewer=None`` it returns every event unfiltered: only
``chronology_unfiltered`` passes None, and only the subject access compilation may call it (it is
information governance's, and every item is then decided before release).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    at: datetime
    # What happened, in a few words: 'Referral received', 'Answer from Suffolk Police'.
    kind: str
    title: str
    summary: str = ""
    url: str = ""
    # The record the event is about (a model instance): the trail of a record, subject access.
    record: object = None
    # The agency whose information this is (its owner), or None for the MASH's own.
    agency: object = None
    # Why releasing the event to the person it is about needs a decision first (subject access):
    # e.g. "police intelligence", "handling code C", "other people's data". Empty: nothing flagged.
    release_flags: tuple[str, ...] = ()
    # The kind of record, for filtering the page: 'Referral', 'Information sharing', 'Missing episode'...
    category: str = ""


# The reasons ``release_flags`` uses (subject access decides each flagged event before release).
POLICE_INTELLIGENCE = "police intelligence"
HANDLING_CODE_C = "handling code C"
OTHER_PEOPLE = "other people's data"
SERIOUS_HARM = "could cause serious harm"

ChronologySource = Callable[[object, object], Iterable[Event]]
_sources: list[ChronologySource] = []


def register_chronology_source(source: ChronologySource) -> ChronologySource:
    if source not in _sources:
        _sources.append(source)
    return source


def _collect(viewer, person) -> list[Event]:
    events: list[Event] = []
    for source in _sources:
        events.extend(source(viewer, person))
    return sorted(events, key=lambda event: event.at)


def chronology_for(viewer, person) -> list[Event]:
    """What ``viewer`` may see of ``person``'s chronology, oldest first."""
    if viewer is None:
        raise ValueError("chronology_for needs a viewer; subject access uses chronology_unfiltered.")
    return _collect(viewer, person)


def chronology_unfiltered(person) -> list[Event]:
    """Everything held about ``person``, oldest first: for subject access compilation only."""
    return _collect(None, person)
