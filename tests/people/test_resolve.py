"""Choosing a known person or making a new one (person_resolve), as every case app does it: a person
the user may not see is refused exactly as an id that names nobody, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from mash.common.errors import RoleRefused
from mash.people.api import PersonChoiceSerializer, known_person_field
from mash.people.models import Person
from mash.people.selectors import person_candidates_for
from mash.people.services import PERSON_REFUSED, PersonChoice, person_resolve
from mash.sharing.models import AccessLog
from mash.sharing.services import grant_view
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def writes():
    return Person.objects.count(), AccessLog.objects.count()


def refusal(by, person, prefix=""):
    with pytest.raises(ValidationError) as excinfo:
        person_resolve(by=by, choice=PersonChoice(person=person), prefix=prefix)
    return excinfo.value.message_dict


def test_a_known_person_the_user_sees_is_chosen_by_id_or_as_a_record(cast, person):
    before = writes()
    assert person_resolve(by=cast.triage, choice=PersonChoice(person=person.pk)) == person
    assert person_resolve(by=cast.data_admin, choice=PersonChoice(person=person)) == person
    assert writes() == before


def test_a_person_the_user_may_not_see_is_refused_as_one_who_does_not_exist(cast, person):
    nobody = Person.objects.order_by("-pk").first().pk + 1000
    before = writes()
    unseen = refusal(cast.health_researcher, person.pk, prefix="subjects-0-")
    assert unseen == refusal(cast.health_researcher, nobody, prefix="subjects-0-")
    assert unseen == {"subjects-0-person": [PERSON_REFUSED]}
    # A record in hand is checked as an id is.
    assert refusal(cast.health_researcher, person) == {"person": [PERSON_REFUSED]}
    assert writes() == before


def test_a_grant_lets_the_agency_choose_the_person(cast, person):
    grant_view(obj=person, agency=cast.health)
    assert person_resolve(by=cast.health_researcher, choice=PersonChoice(person=person.pk)) == person
    assert refusal(cast.outsider, person.pk) == {"person": [PERSON_REFUSED]}


def test_a_new_person_is_made_from_the_details(cast):
    choice = PersonChoice(given_name=" Mia ", family_name="Smith", nhs_number="943 476 5919", postcode="IP1")
    person = person_resolve(by=cast.triage, choice=choice)
    assert (person.given_name, person.family_name, person.nhs_number, person.postcode) == (
        "Mia",
        "Smith",
        "9434765919",
        "IP1",
    )


def test_bad_details_of_a_new_person_are_named_by_the_prefix_and_nothing_is_written(cast):
    before = writes()
    with pytest.raises(ValidationError) as excinfo:
        person_resolve(
            by=cast.triage,
            choice=PersonChoice(given_name="Mia", family_name="Smith", nhs_number="1234567890"),
            prefix="people-2-",
        )
    assert set(excinfo.value.message_dict) == {"people-2-nhs_number"}
    assert writes() == before


@pytest.mark.parametrize("who", ["health_researcher", "police_researcher", "outsider", "governance"])
def test_only_those_who_see_every_person_add_one(cast, who):
    before = writes()
    with pytest.raises(RoleRefused):
        person_resolve(by=getattr(cast, who), choice=PersonChoice(given_name="Mia", family_name="Smith"))
    assert writes() == before


@pytest.mark.parametrize("who", ["triage", "decision_maker", "manager", "data_admin"])
def test_those_who_record_cases_add_people(cast, who):
    # The lead MASH manager among them: recording a referral, they name a new subject (the people
    # pages' own form is for fewer roles: mash/people/policy.py).
    person = person_resolve(by=getattr(cast, who), choice=PersonChoice(given_name="Mia", family_name="Smith"))
    assert person.full_name == "Mia Smith"


class ChoiceSerializer(PersonChoiceSerializer):
    person = known_person_field()


@pytest.mark.parametrize(
    "data, errors",
    [
        ({"person": 4, "given_name": "Mia"}, {"person"}),
        ({"given_name": "Mia"}, {"family_name"}),
        ({}, {"given_name", "family_name"}),
    ],
)
def test_the_serializer_takes_an_id_or_a_new_persons_name(data, errors):
    serializer = ChoiceSerializer(data=data)
    assert not serializer.is_valid()
    assert set(serializer.errors) == errors


def test_the_serializer_gives_the_choice_the_service_takes():
    serializer = ChoiceSerializer(data={"person": 4})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == PersonChoice(person=4)
    serializer = ChoiceSerializer(data={"given_name": "Mia", "family_name": "Smith", "postcode": "IP1"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == PersonChoice(given_name="Mia", family_name="Smith", postcode="IP1")


def test_the_candidates_offered_are_only_people_the_user_sees(cast, person):
    # Nobody else is named, so choosing by id is the only way to try another person: refused above.
    PersonFactory(given_name="Jayden", family_name="Smyth")
    details = {"given_name": "Jayden", "family_name": "Smith", "nhs_number": person.nhs_number}
    assert [c.match.person for c in person_candidates_for(cast.triage, **details)][:1] == [person]
    assert person_candidates_for(cast.health_researcher, **details) == []
    assert person_candidates_for(cast.triage, given_name="", family_name="") == []
