"""Recording an application: the data administrator types in the people, who are matched against the
people already known before anything is saved."""

from datetime import date

import pytest
from django.urls import reverse

from disclosures.models import Application, ApplicationPerson, PersonRole, Scheme, Stage
from mash.people.models import Person
from tests.disclosures_pages.builders import page
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

INTAKE = reverse("disclosures:intake")
# The intake page offers three rows with their roles chosen and four empty ones.
ROWS, INITIAL_ROWS = 7, 3
INITIAL_ROLES = [PersonRole.APPLICANT, PersonRole.SUBJECT, PersonRole.AT_RISK]

APPLICANT = {
    "given_name": "Keziah",
    "family_name": "Oduya",
    "date_of_birth": "1994-02-11",
    "gender": "female",
}
SUBJECT = {
    "given_name": "Dorian",
    "family_name": "Pemberton",
    "date_of_birth": "1988-07-30",
    "gender": "male",
}
CHILD = {"given_name": "Ines", "family_name": "Oduya", "date_of_birth": "2019-05-02", "gender": "female"}


def intake_data(*people, **fields) -> dict:
    """What the browser posts: the application, then every row of the people formset, the rows not
    filled in as the page left them (the role shown first, gender not known)."""
    data = {
        "scheme": Scheme.RIGHT_TO_ASK,
        "route": "phone",
        "received_at": "",
        "circumstances": "Her new partner; his former partner told her he was violent.",
        "applicant_relation": "Herself: his partner",
        "applicant_contact": "Mobile, after 6pm only",
        "people-TOTAL_FORMS": str(ROWS),
        "people-INITIAL_FORMS": str(INITIAL_ROWS),
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "12",
    }
    for index in range(ROWS):
        row = {
            "role": INITIAL_ROLES[index] if index < INITIAL_ROWS else PersonRole.APPLICANT,
            "match": "",
            "given_name": "",
            "family_name": "",
            "date_of_birth": "",
            "approximate_age": "",
            "gender": "unknown",
            "nhs_number": "",
        }
        if index < len(people):
            row.update(people[index])
        data.update({f"people-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def right_to_ask(**fields) -> dict:
    """Keziah asks about her partner Dorian: she is the applicant and the person at risk."""
    return intake_data(
        APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**APPLICANT, "role": "at_risk"}, **fields
    )


def test_the_page_offers_the_usual_roles(client, team):
    client.force_login(team.admin)
    response = client.get(INTAKE)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == ROWS
    assert [form.initial.get("role") for form in formset.forms[:INITIAL_ROWS]] == INITIAL_ROLES


def test_a_right_to_ask_with_new_people_is_recorded_and_its_clocks_start(client, team):
    client.force_login(team.admin)
    response = client.post(
        INTAKE,
        intake_data(
            APPLICANT,
            {**SUBJECT, "role": PersonRole.SUBJECT},
            {**CHILD, "role": PersonRole.AT_RISK},
            {**CHILD, "given_name": "Ruby", "date_of_birth": "2021-01-09", "role": PersonRole.CHILD},
        ),
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("disclosures:application", args=[application.pk])
    assert (application.scheme, application.stage, application.route) == (
        Scheme.RIGHT_TO_ASK,
        Stage.INITIAL_CHECKS,
        "phone",
    )
    assert application.recorded_by == team.admin
    assert application.applicant_contact == "Mobile, after 6pm only"
    links = {
        (link.role, link.person.given_name, link.person.family_name, link.person.date_of_birth)
        for link in ApplicationPerson.objects.filter(application=application).select_related("person")
    }
    assert links == {
        (PersonRole.APPLICANT, "Keziah", "Oduya", date(1994, 2, 11)),
        (PersonRole.SUBJECT, "Dorian", "Pemberton", date(1988, 7, 30)),
        (PersonRole.AT_RISK, "Ines", "Oduya", date(2019, 5, 2)),
        (PersonRole.CHILD, "Ruby", "Oduya", date(2021, 1, 9)),
    }
    assert Person.objects.count() == 4
    assert application.clock.stopped_at is None and application.initial_check_clock.stopped_at is None
    shown = client.get(response.url)
    assert f"Application {application.reference} recorded" in page(shown)


def test_the_empty_rows_a_browser_sends_are_ignored(client, team):
    # Only the three rows the page fills in are typed in; the other four come back as the page left them.
    client.force_login(team.admin)
    response = client.post(
        INTAKE,
        intake_data(
            APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**CHILD, "role": PersonRole.AT_RISK}
        ),
    )
    assert response.status_code == 302, [
        (index, form.errors) for index, form in enumerate(response.context["formset"].forms) if form.errors
    ]
    assert Application.objects.get().people.count() == 3


def test_without_the_circumstances_nothing_is_recorded(client, team):
    client.force_login(team.admin)
    response = client.post(INTAKE, right_to_ask(circumstances="   "))
    assert response.status_code == 400
    assert "Say why the application is made." in page(response)
    assert "Error: Record a disclosure application" in page(response)
    assert not Application.objects.exists()
    assert not Person.objects.exists()


def test_without_a_subject_nothing_is_recorded(client, team):
    client.force_login(team.admin)
    response = client.post(INTAKE, intake_data(APPLICANT, {**CHILD, "role": PersonRole.AT_RISK}))
    assert response.status_code == 400
    assert "Name the person about whom disclosure may be made." in page(response)
    assert not Application.objects.exists()
    # The people typed in are not saved either: the application and its people go together.
    assert not Person.objects.exists()


def test_a_person_without_a_name_is_refused(client, team):
    client.force_login(team.admin)
    response = client.post(INTAKE, right_to_ask(**{"people-1-given_name": ""}))
    assert response.status_code == 400
    assert "Person 2, given name: Enter a given name." in page(response)
    assert not Application.objects.exists()


def test_a_typed_person_already_known_is_offered_and_the_choice_links_them(client, team):
    known = PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1988, 7, 30))
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**CHILD, "role": PersonRole.AT_RISK}
    )

    offered = client.post(INTAKE, data)
    assert offered.status_code == 200
    assert not Application.objects.exists()
    assert Person.objects.count() == 1
    assert list(offered.context["candidates"]) == [1]
    body = page(offered)
    assert "Dorian Pemberton may already be known: choose" in body
    assert f'name="choose-1" value="{known.pk}"' in body
    assert 'name="choose-1" value="new"' in body
    assert "Save with the people chosen" in body

    response = client.post(INTAKE, {**data, "choose-1": str(known.pk)})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.people.get(role=PersonRole.SUBJECT).person == known
    # The known person is linked, not copied: only the applicant and the person at risk are new.
    assert Person.objects.filter(given_name="Dorian", family_name="Pemberton").count() == 1
    assert Person.objects.count() == 3


def test_choosing_none_of_them_records_a_new_person(client, team):
    PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1988, 7, 30))
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**CHILD, "role": PersonRole.AT_RISK}
    )
    response = client.post(INTAKE, {**data, "choose-1": "new"})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Dorian", family_name="Pemberton").count() == 2


@pytest.mark.parametrize("who", ["researcher", "decision_maker"])
def test_only_a_data_administrator_records_an_application(client, team, who):
    client.force_login(getattr(team, who))
    assert client.get(INTAKE).status_code == 403
    response = client.post(INTAKE, right_to_ask())
    assert response.status_code == 403
    assert not Application.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize("who", ["health_researcher", "outsider", "triage"])
def test_nobody_outside_the_team_records_an_application(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.post(INTAKE, right_to_ask()).status_code == 403
    assert not Application.objects.exists()
