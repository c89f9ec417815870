import pytest

from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.services import grant_view, revoke_view
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def visible_ids(user):
    return set(policy.visible(user, Person.objects.all()).values_list("pk", flat=True))


def test_the_lead_agencys_triage_practitioner_sees_every_person(cast, person):
    other = PersonFactory()
    assert visible_ids(cast.triage) == {person.pk, other.pk}
    assert policy.can_view(cast.triage, person)


def test_the_police_data_administrator_sees_every_person(cast, person):
    assert policy.can_view(cast.data_admin, person)


def test_another_agency_sees_no_one_until_granted(cast, person):
    assert visible_ids(cast.police_researcher) == set()
    assert not policy.can_view(cast.police_researcher, person)


def test_a_grant_to_an_agency_shows_the_person_to_its_researchers_only(cast, person):
    PersonFactory()  # someone police were never asked about
    grant_view(obj=person, agency=cast.police)

    assert visible_ids(cast.police_researcher) == {person.pk}
    assert policy.can_view(cast.police_researcher, person)
    assert not policy.can_view(cast.health_researcher, person)
    assert not policy.can_view(cast.outsider, person)


def test_revoking_a_grant_hides_the_person_again(cast, person):
    grant_view(obj=person, agency=cast.police)
    revoke_view(obj=person, agency=cast.police)
    assert not policy.can_view(cast.police_researcher, person)
    assert visible_ids(cast.police_researcher) == set()


def test_information_governance_and_admins_see_no_case_content(cast, person, admin_user):
    assert visible_ids(cast.governance) == set()
    assert visible_ids(admin_user) == set()
    assert not policy.can_view(admin_user, person)


def test_a_user_whose_agency_is_deactivated_sees_nothing(cast, person):
    cast.lead.is_active = False
    cast.lead.save()
    cast.triage.refresh_from_db()
    assert visible_ids(cast.triage) == set()


def test_the_filtered_list_is_one_query(cast, person, django_assert_num_queries):
    grant_view(obj=person, agency=cast.police)
    user = cast.police_researcher
    from mash.agencies.selectors import actor_for

    actor_for(user)
    policy.visible(user, Person.objects.all()).exists()  # warm the permission-id cache
    with django_assert_num_queries(1):
        list(policy.visible(user, Person.objects.all()))
