from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from mash.people.chronology import Event
from mash.people.history import HistoryItem, person_history_for
from mash.people.matching import Match, match_people
from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.models import AccessAction
from mash.sharing.services import record_get, record_read, records_shown


def person_list_for(user, *, search: str = ""):
    people = policy.visible(user, Person.objects.all())
    for word in search.split():
        people = people.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
    return people.order_by("family_name", "given_name", "pk")


def person_get_for(user, pk: int, *, request=None) -> Person:
    """The person, if this user may see them; the read is logged, a refusal is a logged 404."""
    person = record_get(user=user, queryset=Person.objects.all(), pk=pk, request=request)
    return person


def person_print_get_for(user, pk: int, *, request=None) -> Person:
    """The person, for a printed record (their chronology): the same refusal as ``person_get_for``,
    the read logged as a print."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        record_get(user=user, queryset=Person.objects.all(), pk=pk, request=request)  # refuses
    record_read(user=user, obj=person, request=request, action=AccessAction.PRINT)
    return person


def chronology_read(user, person, events: list[Event], *, request=None, action=AccessAction.VIEW) -> None:
    """A chronology shows the content of the records its events are about: each is logged as read
    (printed), as the person is, with the chronology as the reason."""
    records_shown(
        user=user,
        objs=(event.record for event in events if event.record != person),
        request=request,
        action=action,
        reason=f"chronology of person {person.pk}",
    )


def chronology_categories(events: list[Event]) -> list[str]:
    """The kinds of record a chronology holds (for its filter)."""
    return sorted({event.category for event in events if event.category})


def chronology_filtered(
    events: list[Event],
    *,
    category: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    order: str = "",
) -> list[Event]:
    """Of a chronology (``chronology_for``: what the viewer may see, oldest first), one kind of record
    and a period when asked, newest first when asked. Never cut short: a chronology is read whole."""
    if category:
        events = [event for event in events if event.category == category]
    if date_from:
        events = [event for event in events if timezone.localdate(event.at) >= date_from]
    if date_to:
        events = [event for event in events if timezone.localdate(event.at) <= date_to]
    return list(reversed(events)) if order == "newest" else list(events)


def person_matches_for(user, **details) -> list[Match]:
    return match_people(policy.visible(user, Person.objects.all()), **details)


def person_choosable_for(user, person) -> Person | None:
    """The known person this user chose (a Person, or an id from a form or a request), if they may
    see them; None alike for an id that names nobody and for a person they may not see, so that a
    refusal never tells that someone exists. Nothing is read into the access log: a choice is not
    a reading of the record."""
    if not isinstance(person, Person):
        person = Person.objects.filter(pk=person).first()
    return person if person is not None and policy.can_view(user, person) else None


@dataclass(frozen=True)
class Candidate:
    """A known person who may be the one typed in: why, and (when asked for) what this user may see
    of their history."""

    match: Match
    history: list[HistoryItem] | None = None


def person_candidates_for(user, *, history: int = 0, **details) -> list[Candidate]:
    """The people this user may see who may be the one described, strongest first, for the choice
    between them and a new person (templates/people/_choose.html); with up to ``history`` items of
    each one's history when asked for."""
    if not any(details.values()):
        return []
    return [
        Candidate(match=m, history=person_history_for(user, m.person)[:history] if history else None)
        for m in person_matches_for(user, **details)
    ]
