"""The authentication backend (issue 19): every request loads its signed-in user with their membership,
agency and group names in one query, and ``actor_for`` then asks nothing, giving what its own query
gives in every case: an inactive agency, no membership, groups that are not roles, no groups."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.accounts.backends import UserBackend
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.agencies.services import agency_update
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as any other code loads them (actor_for then reads the membership itself)."""
    return get_user_model().objects.get(pk=user.pk)


def loaded(user):
    """The user as a request loads them."""
    return UserBackend().get_user(user.pk)


def assert_the_same_actor(user, django_assert_num_queries):
    by_request = loaded(user)
    with django_assert_num_queries(0):
        actor = actor_for(by_request)
    assert actor == actor_for(fresh(user))
    return actor


def test_a_member_with_a_role(cast, django_assert_num_queries):
    actor = assert_the_same_actor(cast.police_researcher, django_assert_num_queries)
    assert actor.agency == cast.police and actor.roles == {Role.AGENCY_RESEARCHER}


def test_a_member_with_several_roles(cast, django_assert_num_queries):
    user = member(cast.lead, Role.TRIAGE_PRACTITIONER, Role.DECISION_MAKER)
    actor = assert_the_same_actor(user, django_assert_num_queries)
    assert actor.roles == {Role.TRIAGE_PRACTITIONER, Role.DECISION_MAKER}


def test_a_user_with_no_membership(db, django_assert_num_queries):
    actor = assert_the_same_actor(UserFactory(), django_assert_num_queries)
    assert actor.agency is None and actor.roles == frozenset()


def test_a_member_of_an_inactive_agency_acts_for_no_agency(cast, django_assert_num_queries):
    police = cast.police
    agency_update(
        agency=police, name=police.name, kind=police.kind, is_lead=False, email=police.email, is_active=False
    )
    actor = assert_the_same_actor(cast.police_researcher, django_assert_num_queries)
    assert actor.agency is None and actor.roles == frozenset()


def test_a_group_that_is_not_a_role_gives_no_role(cast, django_assert_num_queries):
    cast.triage.groups.add(Group.objects.create(name="Reporting pilot"))
    actor = assert_the_same_actor(cast.triage, django_assert_num_queries)
    assert actor.roles == {Role.TRIAGE_PRACTITIONER}


def test_a_member_with_no_groups_has_no_role(cast, django_assert_num_queries):
    cast.triage.groups.clear()
    actor = assert_the_same_actor(cast.triage, django_assert_num_queries)
    assert actor.agency == cast.lead and actor.roles == frozenset()


def values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_user_and_agency_read_are_those_the_orm_reads(cast):
    user = loaded(cast.police_researcher)
    assert values(user) == values(fresh(cast.police_researcher))
    assert values(actor_for(user).agency) == values(Agency.objects.get(pk=cast.police.pk))


def test_an_inactive_or_unknown_user_is_not_loaded(cast):
    cast.triage.is_active = False
    cast.triage.save()
    assert loaded(cast.triage) is None
    assert UserBackend().get_user(0) is None


def test_the_whole_user_is_read_so_the_session_is_checked_against_the_password(cast):
    user = loaded(cast.triage)
    assert user.get_deferred_fields() == set()
    assert user.get_session_auth_hash() == fresh(cast.triage).get_session_auth_hash()


def test_a_sign_in_stores_this_backend_in_the_session(browser_like, cast):
    client = browser_like(cast.triage)
    assert client.session[BACKEND_SESSION_KEY] == "mash.accounts.backends.UserBackend"


def test_a_signed_in_page_reads_the_user_and_their_actor_in_one_query(client, cast):
    client.force_login(cast.triage)
    client.get("/inbox/")  # the cached working hours and content types are warm from here
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/inbox/")
    assert response.status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    user_reads = [q for q in sql if 'FROM "auth_user"' in q]
    assert len(user_reads) == 1, sql
    assert 'JOIN "agencies_agency"' in user_reads[0] and 'JOIN "auth_group"' in user_reads[0]
    assert not [q for q in sql if 'FROM "agencies_membership"' in q], sql
    assert response.context["actor"] == actor_for(fresh(cast.triage))
