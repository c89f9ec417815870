import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mash.agencies.models import AgencyKind
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.agencies.services import agency_create, membership_set
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_the_roles_exist_as_groups():
    from django.contrib.auth.models import Group

    assert set(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == set(Role.values)


def test_an_agency_gets_its_own_group():
    agency = agency_create(name="Constabulary", kind=AgencyKind.POLICE)
    assert agency.group.name == "agency: Constabulary"


def test_there_is_only_one_lead_agency():
    agency_create(name="Council", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_lead=True)
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        agency_create(name="Other council", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_lead=True)


def test_a_membership_sets_the_users_groups_to_agency_and_roles(cast):
    user = UserFactory()
    membership_set(user=user, agency=cast.police, roles=[Role.AGENCY_RESEARCHER])
    assert set(user.groups.values_list("name", flat=True)) == {"agency: Constabulary", Role.AGENCY_RESEARCHER}
    membership_set(user=user, agency=cast.health, roles=[Role.DECISION_MAKER])
    assert set(user.groups.values_list("name", flat=True)) == {
        "agency: Integrated Care Board",
        Role.DECISION_MAKER,
    }


def test_an_unknown_role_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        membership_set(user=UserFactory(), agency=cast.police, roles=["superhero"])
    assert "roles" in error.value.message_dict


def test_the_actor_knows_agency_and_roles(cast):
    actor = actor_for(cast.police_researcher)
    assert actor.agency == cast.police
    assert actor.roles == {Role.AGENCY_RESEARCHER}
    assert not actor.is_lead


def test_an_agencys_researchers_are_found_for_the_fan_out(cast):
    second = member(cast.police, Role.AGENCY_RESEARCHER)
    inactive = member(cast.police, Role.AGENCY_RESEARCHER)
    inactive.is_active = False
    inactive.save()
    assert list(members_with_role(cast.police.pk, Role.AGENCY_RESEARCHER)) == [cast.police_researcher, second]


def test_the_admin_membership_form_keeps_the_groups_in_step(admin_client, cast):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    user = UserFactory()
    response = admin_client.post(
        reverse("admin:agencies_membership_add"),
        {
            "user": user.pk,
            "agency": cast.health.pk,
            "roles": [Group.objects.get(name=Role.AGENCY_RESEARCHER).pk],
            "job_title": "Safeguarding nurse",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(user.groups.values_list("name", flat=True)) == {
        "agency: Integrated Care Board",
        Role.AGENCY_RESEARCHER,
    }


def test_the_admin_creates_an_agency_with_its_group(admin_client):
    from django.urls import reverse

    from mash.agencies.models import Agency

    response = admin_client.post(
        reverse("admin:agencies_agency_add"),
        {"name": "Probation Service", "kind": AgencyKind.OTHER, "email": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="Probation Service").group.name == "agency: Probation Service"
