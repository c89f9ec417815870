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


def test_a_person_without_a_name_is_refused_naming_them(client, team):
    client.force_login(team.admin)
    response = client.post(INTAKE, right_to_ask(**{"people-1-given_name": ""}))
    assert response.status_code == 400
    assert '<a href="#id_people-1-given_name">Enter the given name of the subject.</a>' in page(response)
    assert not Application.objects.exists()


def test_every_error_of_every_section_is_summarised_at_once(client, team):
    client.force_login(team.admin)
    data = intake_data(
        {**APPLICANT, "given_name": ""},
        {**SUBJECT, "role": PersonRole.SUBJECT, "date_of_birth": "1988-02-30"},
        {**CHILD, "role": PersonRole.CHILD, "nhs_number": "943 476 5918"},
        {**CHILD, "given_name": "Ruby", "role": PersonRole.CHILD, "approximate_age": "200"},
        circumstances="",
        scheme=Scheme.SARAHS_LAW,
        applicant_relation="",
    )
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    summary = page(response).split("govuk-error-summary__list")[1].split("</ul>")[0]
    # The page's order: the application's fields, the people as a whole, then each person.
    expected = [
        ("id_circumstances", "Say why the application is made."),
        ("id_applicant_relation", "Give the applicant&#x27;s relation."),
        ("id_people-0-given_name", "Enter the given name of the applicant."),
        ("id_people-1-date_of_birth", "The date of birth of the subject"),
        ("id_people-2-nhs_number", "The NHS number of the first child is not valid"),
        ("id_people-3-approximate_age", "The approximate age of the second child must be 130 or less."),
    ]
    positions = [summary.index(f'<a href="#{href}">{text}') for href, text in expected]
    assert positions == sorted(positions), summary
    assert not Application.objects.exists()
    assert not Person.objects.exists()


def test_a_match_to_choose_is_asked_at_the_top_and_the_choice_links_them(client, team):
    known = PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1988, 7, 30))
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**CHILD, "role": PersonRole.AT_RISK}
    )

    offered = client.post(INTAKE, data)
    assert offered.status_code == 400
    assert not Application.objects.exists()
    assert Person.objects.count() == 1
    body = page(offered)
    assert (
        f'<a href="#people-1-match-{known.pk}">Choose whether the subject is one of the matching people, '
        "or a new person.</a>" in body
    )
    assert "Dorian Pemberton may already be known: choose" in body
    assert f'name="people-1-match" value="{known.pk}"' in body
    assert 'name="people-1-match" value="new"' in body
    assert "Save with the people chosen" in body

    response = client.post(INTAKE, {**data, "people-1-match": str(known.pk)})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.people.get(role=PersonRole.SUBJECT).person == known
    # The known person is linked, not copied: only the applicant and the person at risk are new.
    assert Person.objects.filter(given_name="Dorian", family_name="Pemberton").count() == 1
    assert Person.objects.count() == 3


def test_the_match_chosen_and_everything_typed_are_kept_after_an_error(client, team):
    known = PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1988, 7, 30))
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT,
        {**SUBJECT, "role": PersonRole.SUBJECT, "match": str(known.pk)},
        {**CHILD, "role": PersonRole.AT_RISK},
    )
    response = client.post(INTAKE, {**data, "circumstances": ""})
    assert response.status_code == 400
    body = page(response)
    assert f'name="people-1-match" value="{known.pk}" checked' in body
    assert "Choose whether" not in body
    assert 'value="Keziah"' in body and 'value="Herself: his partner"' in body

    assert client.post(INTAKE, data).status_code == 302
    assert Application.objects.get().people.get(role=PersonRole.SUBJECT).person == known


def test_choosing_none_of_them_records_a_new_person(client, team):
    PersonFactory(given_name="Dorian", family_name="Pemberton", date_of_birth=date(1988, 7, 30))
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT, {**SUBJECT, "role": PersonRole.SUBJECT}, {**CHILD, "role": PersonRole.AT_RISK}
    )
    response = client.post(INTAKE, {**data, "people-1-match": "new"})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Dorian", family_name="Pemberton").count() == 2


def test_an_open_application_about_the_subject_is_pointed_out_and_confirmed_not_a_duplicate(
    client, team, people, new_application
):
    open_one = new_application(scheme=Scheme.SARAHS_LAW)
    client.force_login(team.admin)
    data = intake_data(
        APPLICANT,
        {"role": PersonRole.SUBJECT, "match": str(people["subject"].pk)},
        {**CHILD, "role": PersonRole.AT_RISK},
    )

    held = client.post(INTAKE, data)
    assert held.status_code == 409
    body = page(held)
    assert "This may be a duplicate." in body
    assert f'href="{reverse("disclosures:application", args=[open_one.pk])}">{open_one.reference}</a>' in body
    assert (
        '<a href="#id_not_a_duplicate">Confirm that this is a new application, not a duplicate of the '
        "open application shown.</a>" in body
    )
    assert Application.objects.count() == 1

    response = client.post(INTAKE, {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Application.objects.count() == 2


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
