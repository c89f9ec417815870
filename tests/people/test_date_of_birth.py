"""A date of birth may not be in the future (issue 16): one rule (mash/people/validators.py), applied
by ``Person.clean``, so adding a person, changing one and naming a new person in a case (a referral's
subject, a missing episode, a disclosure application) all refuse with the same message."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mash.people.models import Person
from mash.people.services import PersonChoice, person_create, person_resolve, person_update
from mash.people.validators import DATE_OF_BIRTH_IN_FUTURE, date_of_birth_error
from referrals import services as referral_services
from referrals.models import Referral
from referrals.services import SubjectInput
from tests.referrals_pages.builders import intake_data

pytestmark = pytest.mark.django_db


def test_today_and_the_past_are_accepted_the_future_is_not():
    today = timezone.localdate()
    assert date_of_birth_error(today) == ""
    assert date_of_birth_error(today - timedelta(days=5000)) == ""
    assert date_of_birth_error(None) == ""
    assert date_of_birth_error(today + timedelta(days=1)) == DATE_OF_BIRTH_IN_FUTURE
    assert DATE_OF_BIRTH_IN_FUTURE == "Date of birth must be today or in the past."


def test_adding_a_person_born_tomorrow_is_refused_naming_the_field():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        person_create(given_name="Ann", family_name="Lee", date_of_birth=tomorrow)
    assert refused.value.message_dict == {"date_of_birth": [DATE_OF_BIRTH_IN_FUTURE]}
    assert not Person.objects.exists()


def test_changing_a_date_of_birth_to_the_future_is_refused(person):
    born = person.date_of_birth
    with pytest.raises(ValidationError) as refused:
        person_update(person=person, date_of_birth=timezone.localdate() + timedelta(days=400))
    assert refused.value.message_dict == {"date_of_birth": [DATE_OF_BIRTH_IN_FUTURE]}
    person.refresh_from_db()
    assert person.date_of_birth == born


def test_a_new_person_in_a_case_is_refused_under_its_prefix(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    choice = PersonChoice(given_name="Ann", family_name="Lee", date_of_birth=tomorrow)
    with pytest.raises(ValidationError) as refused:
        person_resolve(by=cast.triage, choice=choice, prefix="subjects-0-")
    assert refused.value.message_dict == {"subjects-0-date_of_birth": [DATE_OF_BIRTH_IN_FUTURE]}


def test_a_referral_about_a_child_born_in_the_future_is_not_recorded(cast):
    born = timezone.localdate() + timedelta(days=2000)
    with pytest.raises(ValidationError) as refused:
        referral_services.referral_create(
            by=cast.triage,
            kind="child",
            channel="phone",
            referrer_name="Mrs Price",
            account="Bruising seen at school.",
            concerns=["physical"],
            consent="given",
            subjects=[SubjectInput(given_name="Ann", family_name="Lee", date_of_birth=born)],
        )
    assert refused.value.message_dict == {"subjects-0-date_of_birth": [DATE_OF_BIRTH_IN_FUTURE]}
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_the_intake_page_shows_the_message_beside_the_subjects_date_of_birth(client, cast):
    client.force_login(cast.triage)
    born = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = intake_data(subjects=[{"given_name": "Ann", "family_name": "Lee", "date_of_birth": born}])
    response = client.post(reverse("referrals:intake"), data)
    assert response.status_code == 400
    assert "The date of birth of the first person must be today or in the past." in response.content.decode()
    assert not Referral.objects.exists() and not Person.objects.exists()
