"""What an agency that sees a person through a grant sees of them: who they are (mash/people/policy.py's
partner fields), not where they live; through the policy, the API, the pages and the admin."""

import pytest
from django.urls import reverse

from mash.people.models import Person
from mash.sharing import policy
from mash.sharing.services import grant_view
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ADDRESS = "12 ADDRESSMARK Road, Ipswich"
POSTCODE = "IP1 9ZZ"


@pytest.fixture
def granted(cast):
    person = PersonFactory(given_name="Leah", family_name="Walsh", address=ADDRESS, postcode=POSTCODE)
    grant_view(obj=person, agency=cast.police)
    return person


@pytest.mark.parametrize(
    "name, partner_sees",
    [
        ("given_name", True),
        ("family_name", True),
        ("aliases", True),
        ("date_of_birth", True),
        ("nhs_number", True),
        ("address", False),
        ("postcode", False),
        ("repeat_flags", False),
        ("a_field_added_tomorrow", False),
    ],
)
def test_a_partner_sees_who_the_person_is_not_where_they_live(cast, granted, name, partner_sees):
    assert policy.audience_of(cast.police_researcher, granted) == policy.Audience.PARTNER
    assert policy.may_see_field(cast.police_researcher, granted, name) is partner_sees
    assert policy.may_see_field(cast.triage, granted, name) is True
    assert policy.may_see_field(cast.outsider, granted, name) is False


def test_the_api_leaves_the_address_out_for_a_partner(cast, granted, api_client):
    api_client.force_authenticate(cast.police_researcher)
    data = api_client.get(reverse("api-person", args=[granted.pk])).json()
    assert data["family_name"] == "Walsh" and "address" not in data and "postcode" not in data
    rows = api_client.get(reverse("api-people")).json()["results"]
    assert [row["id"] for row in rows] == [granted.pk] and "address" not in rows[0]

    api_client.force_authenticate(cast.triage)
    assert api_client.get(reverse("api-person", args=[granted.pk])).json()["address"] == ADDRESS


def test_the_pages_leave_the_address_out_for_a_partner(cast, granted, client):
    client.force_login(cast.police_researcher)
    for url in (reverse("people:detail", args=[granted.pk]), reverse("people:list")):
        page = client.get(url).content.decode()
        assert "Leah" in page
        assert "ADDRESSMARK" not in page and POSTCODE not in page, url
    client.force_login(cast.triage)
    assert "ADDRESSMARK" in client.get(reverse("people:detail", args=[granted.pk])).content.decode()


def test_the_admin_shows_a_partner_with_staff_rights_who_the_person_is_read_only(cast, granted, client):
    # A superuser too: admin rights alone show no case content, and never more than the role's audience.
    cast.police_researcher.is_staff = cast.police_researcher.is_superuser = True
    cast.police_researcher.save()
    client.force_login(cast.police_researcher)
    response = client.get(reverse("admin:people_person_change", args=[granted.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Walsh" in page and "ADDRESSMARK" not in page
    assert 'name="address"' not in page and 'name="_save"' not in page
    assert Person.objects.get(pk=granted.pk).address == ADDRESS
