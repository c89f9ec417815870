"""The consultation line: the list and its filters, logging a call, reading it, making it a referral."""

import pytest
from django.urls import reverse

from mash.people.models import Person
from mash.sharing.models import AccessAction
from referrals import services
from referrals.models import Consultation, Referral
from tests.referrals_pages.builders import access_rows, make_consultation
from tests.referrals_pages.page_forms import filled, form_fields

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:consultations")
CREATE = reverse("referrals:consultation_create")
# Session, user, membership, roles, count, the page (people, referrals and loggers joined), inbox badge.
LIST_QUERIES = 7


@pytest.fixture
def triage_client(client, cast):
    client.force_login(cast.triage)
    return client


@pytest.fixture
def calls(cast, person):
    oak = make_consultation(cast, caller_name="Ms Ivy Oakes", caller_organisation="Oak Primary School")
    elm = make_consultation(
        cast, caller_name="Dr Rowan Hale", caller_organisation="Elm Surgery", referral_advised=False
    )
    made = make_consultation(
        cast, caller_name="PC Sam Reed", caller_organisation="Constabulary", person=person
    )
    services.consultation_convert(consultation=made, by=cast.triage, concerns=["neglect"])
    return {"oak": oak, "elm": elm, "made": made}


def listed(response):
    return {c.pk for c in response.context["consultations"]}


def test_the_list_shows_every_call_to_the_lead_agency(triage_client, calls):
    response = triage_client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == {c.pk for c in calls.values()}


def test_the_list_searches_caller_and_organisation(triage_client, calls):
    assert listed(triage_client.get(LIST, {"search": "oak"})) == {calls["oak"].pk}
    assert listed(triage_client.get(LIST, {"search": "Rowan"})) == {calls["elm"].pk}


def test_the_list_filters_the_calls_where_a_referral_was_advised(triage_client, calls):
    assert listed(triage_client.get(LIST, {"referral_advised": "on"})) == {calls["oak"].pk, calls["made"].pk}


def test_the_list_filters_the_calls_not_yet_a_referral(triage_client, calls):
    assert listed(triage_client.get(LIST, {"not_converted": "on"})) == {calls["oak"].pk, calls["elm"].pk}
    both = triage_client.get(LIST, {"not_converted": "on", "referral_advised": "on"})
    assert listed(both) == {calls["oak"].pk}
    assert "Advised, not yet made" in both.content.decode()


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_takes_the_same_number_of_queries_for_5_or_30_calls(
    triage_client, cast, person, count, django_assert_max_num_queries
):
    for n in range(count):
        make_consultation(cast, caller_name=f"Caller {n}", person=person if n % 2 else None)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = triage_client.get(LIST)
    assert len(listed(response)) == count


def test_logging_a_call_about_someone_not_named(triage_client, cast):
    response = triage_client.post(
        CREATE,
        {
            "caller_name": "Ms Ivy Oakes",
            "caller_organisation": "Oak Primary School",
            "kind": "child",
            "anonymous_description": "boy, 9, Year 4",
            "question": "He says he is hungry every morning.",
            "advice": "Talk to the parents; refer if it continues.",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:consultation", args=[consultation.pk])
    assert (consultation.logged_by, consultation.anonymous_description, consultation.referral_advised) == (
        cast.triage,
        "boy, 9, Year 4",
        False,
    )


def test_an_anonymous_call_needs_a_description_of_who_was_discussed(triage_client):
    response = triage_client.post(
        CREATE,
        {
            "caller_name": "Ms Ivy Oakes",
            "caller_organisation": "Oak Primary School",
            "kind": "child",
            "question": "He says he is hungry every morning.",
            "advice": "Refer if it continues.",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["anonymous_description"] == [
        "Describe who was discussed, or choose the person."
    ]
    assert 'href="#id_anonymous_description">Describe who was discussed' in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_call_needs_the_caller_the_question_and_the_advice(triage_client):
    response = triage_client.post(CREATE, {"kind": "child", "anonymous_description": "boy, 9"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {
        "caller_name",
        "caller_organisation",
        "question",
        "advice",
    }
    assert not Consultation.objects.exists()


def test_a_call_with_a_bad_email_is_refused(triage_client):
    response = triage_client.post(
        CREATE,
        {
            "caller_name": "Ms Ivy Oakes",
            "caller_organisation": "Oak Primary School",
            "caller_email": "not-an-address",
            "kind": "child",
            "anonymous_description": "boy, 9",
            "question": "Q",
            "advice": "A",
        },
    )
    assert response.status_code == 400
    assert "caller_email" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_reading_a_call_is_logged(triage_client, cast, consultation):
    response = triage_client.get(
        reverse("referrals:consultation", args=[consultation.pk]), REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 200
    assert "Call from Dr Rowan Hale" in response.content.decode()
    assert "Make a referral from this call" in response.content.decode()
    assert access_rows(cast.triage, consultation, AccessAction.VIEW) == 1


def test_a_call_about_a_known_person_becomes_a_referral_with_the_caller_as_referrer(
    triage_client, cast, person
):
    consultation = make_consultation(cast, person=person, anonymous_description="")
    response = triage_client.post(
        reverse("referrals:consultation_convert", args=[consultation.pk]), {"concerns": ["domestic_abuse"]}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    consultation.refresh_from_db()
    assert consultation.referral == referral
    assert (referral.channel, referral.referrer_name, referral.referrer_organisation) == (
        "consultation",
        "Dr Rowan Hale",
        "Elm Surgery",
    )
    assert (referral.referrer_email, referral.referrer_phone) == (
        "rowan.hale@elm-surgery.example",
        "01632 960999",
    )
    assert referral.received_at == consultation.called_at
    assert referral.concerns == ["domestic_abuse"]
    assert list(referral.subjects.values_list("person_id", "role")) == [(person.pk, "subject")]
    assert "Advice given on the consultation line" in referral.account


def convert_form_on_the_page(client, consultation) -> dict:
    """The convert form as the consultation page renders it, before anything is typed."""
    page = client.get(reverse("referrals:consultation", args=[consultation.pk])).content.decode()
    return form_fields(page, reverse("referrals:consultation_convert", args=[consultation.pk]))


def test_an_anonymous_call_becomes_a_referral_about_the_person_added_on_the_page(triage_client, consultation):
    people = Person.objects.count()
    data = filled(
        convert_form_on_the_page(triage_client, consultation),
        {"concerns": ["domestic_abuse"], "subjects-0-given_name": "Amy", "subjects-0-family_name": "Fox"},
    )
    response = triage_client.post(reverse("referrals:consultation_convert", args=[consultation.pk]), data)
    assert response.status_code == 302, response.context["subject_form"].errors
    referral = Referral.objects.get()
    assert Person.objects.count() == people + 1
    link = referral.subjects.get()
    assert (link.person.full_name, link.role) == ("Amy Fox", "subject")
    assert referral.consent == "not_sought"
    assert referral.consent_reason


def test_an_anonymous_call_needs_the_person_before_it_becomes_a_referral(triage_client, consultation):
    data = filled(convert_form_on_the_page(triage_client, consultation), {"concerns": ["domestic_abuse"]})
    response = triage_client.post(reverse("referrals:consultation_convert", args=[consultation.pk]), data)
    assert response.status_code == 400
    assert response.context["subject_form"].errors == {
        "family_name": ["Add the person the referral is about."]
    }
    assert "Add the person the referral is about." in response.content.decode()
    assert not Referral.objects.exists()


def test_converting_needs_a_concern(triage_client, cast, person):
    consultation = make_consultation(cast, person=person)
    response = triage_client.post(reverse("referrals:consultation_convert", args=[consultation.pk]), {})
    assert response.status_code == 400
    assert "concerns" in response.context["convert_form"].errors
    assert not Referral.objects.exists()


def test_a_call_becomes_a_referral_only_once(triage_client, cast, person):
    consultation = make_consultation(cast, person=person)
    url = reverse("referrals:consultation_convert", args=[consultation.pk])
    assert triage_client.post(url, {"concerns": ["neglect"]}).status_code == 302
    referral = Referral.objects.get()
    again = triage_client.post(url, {"concerns": ["neglect"]})
    assert again.status_code == 400
    assert f"This call already became referral {referral.reference}." in again.content.decode()
    assert Referral.objects.count() == 1
    consultation.refresh_from_db()
    assert consultation.referral == referral


@pytest.mark.parametrize("who", ["police_researcher", "governance"])
def test_only_the_triage_team_may_convert_a_call(client, cast, person, who):
    # Information governance and other agencies do not see the call at all.
    consultation = make_consultation(cast, person=person)
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("referrals:consultation_convert", args=[consultation.pk]), {"concerns": ["neglect"]}
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()
