"""A person's history, to which the domain apps contribute through registration.

The core never imports a domain app: each app registers a source in its AppConfig.ready(). A source
takes the acting user and a list of people and returns, for each person it found anything for (by
the person's id), the items that user may see: its newest ``HISTORY_LIMIT`` records of that person.
One call of each source serves every person of a page (the referral page's subjects), so a page asks
each source once, however many people it shows.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet


@dataclass(frozen=True)
class HistoryItem:
    kind: str
    at: datetime
    title: str
    summary: str = ""
    url: str = ""


HistorySource = Callable[[object, Sequence], Mapping[int, Iterable[HistoryItem]]]
_sources: list[HistorySource] = []

# The newest records of one person that a source gives (a page shows no more of each source).
HISTORY_LIMIT = 50


def register_history_source(source: HistorySource) -> HistorySource:
    if source not in _sources:
        _sources.append(source)
    return source


def people_history_for(user, people) -> dict[int, list[HistoryItem]]:
    """Each person's history that ``user`` may see, newest first, by the person's id."""
    people = list(people)
    items: dict[int, list[HistoryItem]] = {person.pk: [] for person in people}
    if not people:
        return items
    for source in _sources:
        for person_id, found in source(user, people).items():
            items[person_id].extend(found)
    return {pk: sorted(found, key=lambda item: item.at, reverse=True) for pk, found in items.items()}


def person_history_for(user, person) -> list[HistoryItem]:
    return people_history_for(user, [person])[person.pk]


def newest_of_each(
    queryset: QuerySet, person: str, person_ids: Sequence[int], *order_by: str
) -> dict[int, list]:
    """The rows of ``queryset`` by person id, each person's newest ``HISTORY_LIMIT`` in ``order_by``
    order. ``person`` is the lookup of the person's id from the queryset's model (``"person_id"``, or
    ``"subjects__person_id"`` filtered on beforehand, so that the join is the filter's).

    One query for all of ``person_ids``. For one person (their own page) the database cuts the rows; for
    several (a referral's subjects) each person's are cut here: a window function cutting them in the
    query cost the referral page more to compile and run than the rows it saves, a person having a few
    records in a source (at most 9 referrals in the 200,000 of the benchmark)."""
    if queryset.query.is_empty():  # the user may see none of the source's records (policy.visible)
        return {}
    rows = queryset.annotate(history_person=F(person)).order_by(*order_by)
    if len(person_ids) == 1:
        rows = rows[:HISTORY_LIMIT]
    newest: dict[int, list] = {}
    for row in rows:
        found = newest.setdefault(row.history_person, [])
        if len(found) < HISTORY_LIMIT:
            found.append(row)
    return newest
