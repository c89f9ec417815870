"""The intake form: bad input named and nothing saved, the duplicate check, and its htmx partials."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.clocks.models import Clock
from mash.people.models import Person
from referrals.models import Referral, ReferralSubject
from referrals.services import SubjectInput
from tests.factories import PersonFactory
from tests.referrals_pages.builders import intake_data, make_referral
from tests.referrals_pages.page_forms import filled, form_fields

pytestmark = pytest.mark.django_db

INTAKE = reverse("referrals:intake")


@pytest.fixture
def triage_client(client, cast):
    client.force_login(cast.triage)
    return client


@pytest.fixture
def counts():
    """``counts()``: the referrals, people and clocks now, to show a refused post saved nothing."""
    return lambda: (Referral.objects.count(), Person.objects.count(), Clock.objects.count())


def refused(client, data, counts):
    before = counts()
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    assert counts() == before
    assert "There is a problem" in response.content.decode()
    return response


def subject_errors(response, index):
    return response.context["formset"].forms[index].errors


def test_the_intake_page_shows_two_empty_people_rows(triage_client):
    response = triage_client.get(INTAKE)
    body = response.content.decode()
    assert 'name="subjects-0-given_name"' in body
    assert 'name="subjects-1-given_name"' in body
    assert 'name="subjects-TOTAL_FORMS"' in body


def test_a_referral_without_concerns_is_refused(triage_client, counts):
    response = refused(triage_client, intake_data(concerns=None), counts)
    assert "concerns" in response.context["form"].errors
    assert "Choose at least one concern category." in response.content.decode()


def test_a_referral_without_an_account_is_refused(triage_client, counts):
    response = refused(triage_client, intake_data(account=""), counts)
    assert "account" in response.context["form"].errors
    assert "Enter what happened." in response.content.decode()


def test_consent_not_sought_needs_a_reason(triage_client, counts):
    response = refused(triage_client, intake_data(consent="not_sought"), counts)
    assert response.context["form"].errors["consent_reason"] == [
        "Say why consent was not sought or was overridden."
    ]
    assert 'href="#id_consent_reason">Say why consent' in response.content.decode()


def test_a_field_error_from_the_service_is_shown_once_on_its_field(triage_client, counts):
    response = refused(triage_client, intake_data(consent="not_sought"), counts)
    assert response.context["form"].non_field_errors() == []


def test_overridden_consent_needs_who_decided(triage_client, counts):
    response = refused(
        triage_client, intake_data(consent="overridden", consent_reason="Risk of serious harm."), counts
    )
    assert "consent_decided_by" in response.context["form"].errors


def test_a_referral_received_in_the_future_is_refused(triage_client, counts):
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = refused(triage_client, intake_data(received_at=tomorrow), counts)
    assert response.context["form"].errors["received_at"] == ["The time received cannot be in the future."]


def test_a_new_subject_with_a_bad_nhs_number_is_refused_on_that_subject(triage_client, counts):
    data = intake_data(
        subjects=[
            {"given_name": "Ann", "family_name": "Lee"},
            {"given_name": "Ben", "family_name": "Lee", "role": "sibling", "nhs_number": "9434765918"},
        ]
    )
    response = refused(triage_client, data, counts)
    assert "nhs_number" in subject_errors(response, 1)
    assert not subject_errors(response, 0)
    assert "The NHS number of the second person is not valid" in response.content.decode()


def test_a_bad_nhs_number_after_an_empty_row_is_shown_on_its_own_row(triage_client, counts):
    data = intake_data(subjects=[{}, {"given_name": "Ann", "family_name": "Lee", "nhs_number": "9434765918"}])
    response = refused(triage_client, data, counts)
    assert "nhs_number" in subject_errors(response, 1)


def test_a_new_subject_without_a_family_name_is_refused(triage_client, counts):
    response = refused(triage_client, intake_data(subjects=[{"given_name": "Ann"}]), counts)
    assert subject_errors(response, 0)["family_name"] == [
        "Enter the family name of the first person, or choose a matching person."
    ]


def test_a_referral_with_no_one_in_it_is_refused(triage_client, counts):
    response = refused(triage_client, intake_data(subjects=[{}, {}]), counts)
    assert response.context["formset"].non_form_errors() == ["Add at least one person."]


def test_a_referral_without_a_subject_is_refused(triage_client, counts):
    data = intake_data(subjects=[{"given_name": "Ben", "family_name": "Lee", "role": "sibling"}])
    response = refused(triage_client, data, counts)
    assert response.context["formset"].non_form_errors() == [
        "At least one person must be the subject of the referral."
    ]
    assert "At least one person must be the subject of the referral." in response.content.decode()


def test_the_same_person_twice_is_refused_on_the_second_row(triage_client, counts, person):
    data = intake_data(subjects=[{"person": person.pk}, {"person": person.pk, "role": "sibling"}])
    response = refused(triage_client, data, counts)
    # The choice of person is a radio in the matches, so the error is the row's own.
    assert subject_errors(response, 1)["__all__"] == ["Jayden Smith is already in this referral."]


def test_the_same_person_twice_tells_the_practitioner_why(triage_client, counts, person):
    data = intake_data(subjects=[{"person": person.pk}, {"person": person.pk, "role": "sibling"}])
    response = refused(triage_client, data, counts)
    assert "is already in this referral" in response.content.decode()


def test_a_chosen_person_who_does_not_exist_is_refused(triage_client, counts, person):
    data = intake_data(subjects=[{"person": person.pk + 1000}])
    response = refused(triage_client, data, counts)
    assert subject_errors(response, 0)["__all__"] == ["Choose a person from the matches."]
    assert "Choose a person from the matches." in response.content.decode()


def test_a_referral_about_a_known_person_and_a_new_one_is_recorded(triage_client, cast, person):
    people = Person.objects.count()
    data = intake_data(
        subjects=[
            {"person": person.pk},
            {"given_name": "Mia", "family_name": "Smith", "role": "sibling", "date_of_birth": "2019-02-03"},
        ],
        received_at=(timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = triage_client.post(INTAKE, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert Person.objects.count() == people + 1
    links = list(ReferralSubject.objects.filter(referral=referral).order_by("pk"))
    assert [(link.person_id, link.role) for link in links] == [
        (person.pk, "subject"),
        (Person.objects.get(given_name="Mia").pk, "sibling"),
    ]
    assert referral.recorded_by == cast.triage
    assert referral.concerns == ["physical", "neglect"]
    assert referral.decision_clock.stopped_at is None
    assert referral.timeline.get().kind == "received"
    page = triage_client.get(response.url)
    assert f"Referral {referral.reference} recorded. Decision due" in page.content.decode()


def test_the_intake_form_as_the_page_renders_it_records_a_referral(triage_client, cast):
    fields = form_fields(triage_client.get(INTAKE).content.decode(), "")
    data = filled(
        fields,
        {
            "channel": "marf",
            "referrer_name": "Pat Price",
            "concerns": ["neglect"],
            "account": "Ann is often hungry.",
            "consent": "given",
            "subjects-0-given_name": "Ann",
            "subjects-0-family_name": "Lee",
        },
    )
    response = triage_client.post(INTAKE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.subjects.get().person.full_name == "Ann Lee"
    assert referral.kind == "child"


def test_a_second_referral_within_30_days_is_held_back_as_a_possible_duplicate(
    triage_client, cast, counts, person
):
    first = make_referral(
        cast, subjects=[SubjectInput(person=person)], received_at=timezone.now() - timedelta(days=20)
    )
    before = counts()
    response = triage_client.post(INTAKE, intake_data(subjects=[{"person": person.pk}]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "This may be a duplicate" in body
    assert first.reference in body
    assert 'name="not_a_duplicate"' in body
    assert counts() == before


def test_the_practitioner_may_confirm_it_is_not_a_duplicate(triage_client, cast, person):
    make_referral(cast, subjects=[SubjectInput(person=person)])
    response = triage_client.post(INTAKE, intake_data(subjects=[{"person": person.pk}], not_a_duplicate="on"))
    assert response.status_code == 302
    assert Referral.objects.filter(subjects__person=person).count() == 2


def test_a_referral_older_than_30_days_is_no_duplicate(triage_client, cast, person):
    make_referral(
        cast, subjects=[SubjectInput(person=person)], received_at=timezone.now() - timedelta(days=31)
    )
    response = triage_client.post(INTAKE, intake_data(subjects=[{"person": person.pk}]))
    assert response.status_code == 302
    assert Referral.objects.filter(subjects__person=person).count() == 2


# The htmx partials.

MATCHES = reverse("referrals:subject_matches")
ROW = reverse("referrals:subject_row")


@pytest.fixture
def known_child(db):
    return PersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2015, 3, 14))


def match_query(**details):
    query = {"prefix": "subjects-0"}
    query.update({f"subjects-0-{k}": v for k, v in details.items()})
    return query


def test_the_matches_partial_lists_the_known_person_and_why(triage_client, known_child):
    response = triage_client.get(
        MATCHES,
        match_query(family_name="Smith", given_name="Jayden", date_of_birth="2015-03-14"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jayden Smith, born 14 March 2015" in body
    assert "Same name and date of birth" in body
    assert f'type="radio" name="subjects-0-person" value="{known_child.pk}"' in body


def test_the_matches_partial_explains_a_sound_alike(triage_client, known_child):
    body = triage_client.get(
        MATCHES, match_query(family_name="Smyth", given_name="Jaden", date_of_birth="2015-03-14")
    ).content.decode()
    assert "Jayden Smith" in body
    assert "Names sound alike, same date of birth" in body


def test_the_matches_partial_shows_the_persons_referral_history(triage_client, cast, known_child):
    earlier = make_referral(cast, subjects=[SubjectInput(person=known_child)])
    body = triage_client.get(
        MATCHES, match_query(family_name="Smith", given_name="Jayden", date_of_birth="2015-03-14")
    ).content.decode()
    assert earlier.reference in body


def test_the_matches_partial_says_when_no_one_matches(triage_client, known_child):
    body = triage_client.get(MATCHES, match_query(family_name="Zephyr", given_name="Quill")).content.decode()
    assert "No one known matches." in body
    assert "Jayden" not in body


@pytest.mark.parametrize("prefix", ["", "subjects-", "subjects-x", "people-0", "subjects-0-given_name"])
def test_the_matches_partial_refuses_a_bad_prefix(triage_client, known_child, prefix):
    query = match_query(family_name="Smith", given_name="Jayden")
    query["prefix"] = prefix
    response = triage_client.get(MATCHES, query)
    assert response.status_code == 400
    assert "Jayden" not in response.content.decode()


def test_the_matches_partial_shows_the_outsider_nobody(client, cast, known_child):
    client.force_login(cast.outsider)
    response = client.get(
        MATCHES, match_query(family_name="Smith", given_name="Jayden", date_of_birth="2015-03-14")
    )
    assert response.status_code == 200
    assert "Smith" not in response.content.decode()
    assert response.context["matches"] == []


def test_the_row_partial_adds_the_next_row_and_the_new_total(triage_client):
    response = triage_client.get(ROW, {"subjects-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="subjects-2-given_name"' in body
    assert 'name="subjects-2-family_name"' in body
    assert 'name="subjects-2-person"' in body
    assert "subjects-1-" not in body
    assert "Third person" in body
    assert (
        '<input type="hidden" name="subjects-TOTAL_FORMS" value="3" id="id_subjects-TOTAL_FORMS" '
        'hx-swap-oob="true">'
    ) in body


@pytest.mark.parametrize("total", ["99", "12", "-1", "two", ""])
def test_the_row_partial_refuses_a_bad_total(triage_client, total):
    assert triage_client.get(ROW, {"subjects-TOTAL_FORMS": total}).status_code == 400


def test_the_row_partial_allows_the_twelfth_row(triage_client):
    body = triage_client.get(ROW, {"subjects-TOTAL_FORMS": "11"}).content.decode()
    assert 'name="subjects-11-given_name"' in body
