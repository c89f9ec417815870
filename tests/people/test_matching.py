from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mash.people.identifiers import normalise_nhs_number
from mash.people.matching import match_people
from mash.people.models import Person
from mash.people.selectors import person_matches_for
from mash.people.services import person_create, person_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_nhs_number_is_ten_digits_with_a_valid_check_digit():
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    with pytest.raises(ValidationError, match="10 digits"):
        normalise_nhs_number("12345")
    with pytest.raises(ValidationError, match="check digit"):
        normalise_nhs_number("9434765918")


def test_a_person_with_a_bad_nhs_number_is_refused_and_not_saved():
    with pytest.raises(ValidationError) as error:
        person_create(given_name="Ann", family_name="Lee", nhs_number="9434765918")
    assert "nhs_number" in error.value.message_dict
    assert Person.objects.count() == 0


def test_two_people_cannot_share_an_nhs_number():
    person_create(given_name="Ann", family_name="Lee", nhs_number="9434765919")
    with pytest.raises(ValidationError) as error:
        person_create(given_name="Anne", family_name="Leigh", nhs_number="9434765919")
    assert "NHS number" in str(error.value)


def test_the_phonetic_keys_are_stored_and_kept_up_to_date():
    person = person_create(given_name="Jon", family_name="Smyth")
    assert (person.given_name_key, person.family_name_key) == ("JN", "SM0")
    person_update(person=person, family_name="Jones")
    person.refresh_from_db()
    assert person.family_name_key == "JNS"


def test_the_nhs_number_match_comes_first():
    by_number = PersonFactory(
        given_name="Jayden", family_name="Smith", nhs_number="9434765919", date_of_birth=date(2015, 3, 14)
    )
    by_name = PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14))
    matches = match_people(
        Person.objects.all(),
        nhs_number="943 476 5919",
        given_name="Jayden",
        family_name="Smith",
        date_of_birth=date(2015, 3, 14),
    )
    assert [m.person for m in matches] == [by_number, by_name]
    assert matches[0].reasons[0] == "Same NHS number"
    assert matches[1].reasons == ["Same name and date of birth"]


def test_a_name_that_sounds_alike_with_the_same_birthday_matches():
    smyth = PersonFactory(given_name="Jaden", family_name="Smyth", date_of_birth=date(2015, 3, 14))
    PersonFactory(given_name="Jaden", family_name="Smyth", date_of_birth=date(2001, 1, 1))
    PersonFactory(given_name="Olivia", family_name="Brown", date_of_birth=date(2015, 3, 14))
    matches = match_people(
        Person.objects.all(), given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14)
    )
    assert matches[0].person == smyth
    assert matches[0].reasons == ["Names sound alike, same date of birth"]
    assert all(m.person.family_name == "Smyth" for m in matches)


def test_a_family_name_and_birthday_match_ranks_below_a_full_match():
    sibling = PersonFactory(given_name="Amelia", family_name="Smith", date_of_birth=date(2015, 3, 14))
    jayden = PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14))
    matches = match_people(
        Person.objects.all(), given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14)
    )
    assert [m.person for m in matches] == [jayden, sibling]


def test_nothing_is_matched_on_a_family_name_alone():
    PersonFactory(given_name="Jayden", family_name="Smith")
    assert match_people(Person.objects.all(), family_name="Smith") == []


def test_matching_only_searches_people_the_user_may_see(cast):
    PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14))
    details = dict(given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14))
    assert len(person_matches_for(cast.triage, **details)) == 1
    assert person_matches_for(cast.outsider, **details) == []


def test_matching_uses_the_phonetic_index(django_assert_max_num_queries):
    for _ in range(20):
        PersonFactory()
    with django_assert_max_num_queries(2):
        match_people(
            Person.objects.all(),
            nhs_number="9434765919",
            given_name="Jayden",
            family_name="Smith",
            date_of_birth=date(2015, 3, 14),
        )
