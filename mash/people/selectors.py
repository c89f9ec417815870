from django.db.models import Q

from mash.people.matching import Match, match_people
from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.services import record_get


def person_list_for(user, *, search: str = ""):
    people = policy.visible(user, Person.objects.all())
    for word in search.split():
        people = people.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
    return people.order_by("family_name", "given_name", "pk")


def person_get_for(user, pk: int, *, request=None) -> Person:
    """The person, if this user may see them; the read is logged, a refusal is a logged 404."""
    person = record_get(user=user, queryset=Person.objects.all(), pk=pk, request=request)
    return person


def person_matches_for(user, **details) -> list[Match]:
    return match_people(policy.visible(user, Person.objects.all()), **details)
