from datetime import date
from html import escape

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from mash.people.models import Person
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import grant_view
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_login(client, person):
    for url in [
        "/",
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("notifications:inbox"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_the_triage_practitioner_sees_the_person_and_the_view_is_logged(client, cast, person):
    client.force_login(cast.triage)
    response = client.get(reverse("people:detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "Jayden Smith" in response.content.decode()
    entry = AccessLog.objects.get(user=cast.triage)
    assert (entry.action, entry.object_id, entry.agency, entry.ip_address) == (
        AccessAction.VIEW,
        str(person.pk),
        cast.lead,
        "10.1.2.3",
    )


def test_another_agency_is_refused_the_person_and_the_refusal_logged(assert_denied, cast, person):
    assert_denied(cast.outsider, reverse("people:detail", args=[person.pk]), person)
    assert_denied(cast.police_researcher, reverse("people:detail", args=[person.pk]), person)


def test_a_granted_agency_sees_the_person(client, cast, person):
    grant_view(obj=person, agency=cast.police)
    client.force_login(cast.police_researcher)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{escape(person.full_name)}</h1>' in response.content.decode()


def test_the_list_shows_only_visible_people_in_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    people = [PersonFactory() for _ in range(30)]
    for p in people[:12]:
        grant_view(obj=p, agency=cast.police)
    client.force_login(cast.police_researcher)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 12


def test_the_list_searches_by_name(client, cast):
    PersonFactory(given_name="Zara", family_name="Quinn")
    PersonFactory(given_name="Bob", family_name="Brown")
    client.force_login(cast.triage)
    response = client.get(reverse("people:list"), {"q": "qui"})
    assert [p.family_name for p in response.context["people"]] == ["Quinn"]


def test_the_outsider_list_is_empty(client, cast, person):
    client.force_login(cast.outsider)
    response = client.get(reverse("people:list"))
    assert response.context["page_obj"].paginator.count == 0
    assert "Jayden" not in response.content.decode()


def test_adding_a_person_with_a_bad_nhs_number_names_the_field_and_saves_nothing(client, cast):
    client.force_login(cast.triage)
    response = client.post(
        reverse("people:create"),
        {"given_name": "Ann", "family_name": "Lee", "gender": "female", "nhs_number": "9434765918"},
    )
    assert response.status_code == 400
    assert "NHS number" in response.content.decode()
    assert "check digit" in response.content.decode()
    assert Person.objects.count() == 0


def test_adding_a_person_without_a_family_name_is_refused(client, cast):
    client.force_login(cast.triage)
    response = client.post(reverse("people:create"), {"given_name": "Ann", "gender": "female"})
    assert response.status_code == 400
    assert response.context["form"].errors["family_name"]


def test_adding_a_person_is_audited(client, cast):
    client.force_login(cast.triage)
    response = client.post(
        reverse("people:create"),
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "gender": "female",
            "date_of_birth": "2016-04-01",
            "nhs_number": "943 476 5919",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[person.pk])
    assert person.nhs_number == "9434765919"
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.actor == cast.triage


def test_a_researcher_may_not_add_people(client, cast):
    client.force_login(cast.police_researcher)
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:create"), {"given_name": "A", "family_name": "B"}).status_code == 403


def test_the_match_partial_explains_the_match(client, cast):
    PersonFactory(given_name="Jaden", family_name="Smyth", date_of_birth=date(2015, 3, 14))
    client.force_login(cast.triage)
    response = client.get(
        reverse("people:match"),
        {"given_name": "Jayden", "family_name": "Smith", "date_of_birth": "2015-03-14"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Jaden Smyth" in body
    assert "Names sound alike, same date of birth" in body


def test_the_match_partial_shows_the_outsider_nobody(client, cast):
    PersonFactory(given_name="Jaden", family_name="Smyth", date_of_birth=date(2015, 3, 14))
    client.force_login(cast.outsider)
    response = client.get(
        reverse("people:match"),
        {"given_name": "Jaden", "family_name": "Smyth", "date_of_birth": "2015-03-14"},
    )
    assert "Smyth" not in response.content.decode()


def test_the_admin_shows_no_case_content_to_an_administrator(admin_client, person):
    response = admin_client.get(reverse("admin:people_person_changelist"))
    assert response.status_code == 200
    assert "Jayden" not in response.content.decode()
    assert admin_client.get(reverse("admin:people_person_change", args=[person.pk])).status_code == 302


def test_the_admin_logs_the_refusal(admin_client, admin_user, person):
    admin_client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert AccessLog.objects.filter(
        user=admin_user, action=AccessAction.DENIED, object_id=str(person.pk)
    ).exists()


def test_the_admin_shows_a_person_to_a_staff_triage_practitioner_and_logs_it(client, cast, person):
    from django.contrib.auth.models import Permission

    cast.triage.is_staff = True
    cast.triage.save()
    cast.triage.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_person", "change_person"])
    )
    client.force_login(cast.triage)
    response = client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        user=cast.triage, action=AccessAction.VIEW, object_id=str(person.pk)
    ).exists()
