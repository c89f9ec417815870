"""Admin rights alone show no case content: the grant tables name a record by its id, and the logs
that copy case content are information governance's only."""

import pytest

from mash.agencies.roles import Role
from mash.sharing.models import AccessLog
from referrals.models import ReferralGroupObjectPermission
from tests.factories import UserFactory, member
from tests.information_requests.support import answer, ask, referral_in_gathering
from tests.sharing.dissemination_setup import POLICE_SECRET, referral_with_answers, request_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="superuser", is_staff=True, is_superuser=True)


def test_a_grant_names_its_record_by_id_only(cast, person, client, superuser):
    referral = referral_in_gathering(cast, person)
    ask(referral, cast.triage, cast.police)
    grant = ReferralGroupObjectPermission.objects.get(content_object=referral)
    client.force_login(superuser)
    listed = client.get("/admin/referrals/referralgroupobjectpermission/")
    assert listed.status_code == 200
    body = listed.content.decode()
    assert f'<td class="field-content_object_id">{referral.pk}</td>' in body
    assert referral.reference not in body and person.family_name not in body
    page = client.get(f"/admin/referrals/referralgroupobjectpermission/{grant.pk}/change/")
    assert page.status_code == 403


def test_the_access_log_is_information_governances_only(cast, person, client, superuser):
    client.force_login(cast.triage)
    client.get(f"/people/{person.pk}/")
    assert AccessLog.objects.filter(object_repr__contains=person.family_name).exists()
    client.force_login(superuser)
    for url in (
        "/admin/sharing/accesslog/",
        "/admin/sharing/breakglassaccess/",
        "/admin/sharing/dissemination/",
        "/admin/sharing/disseminationrequest/",
    ):
        assert client.get(url).status_code == 403, url
    governance = member(cast.lead, Role.INFORMATION_GOVERNANCE, username="ig.staff", is_staff=True)
    client.force_login(governance)
    response = client.get("/admin/sharing/accesslog/")
    assert response.status_code == 200 and person.family_name in response.content.decode()
    assert client.get("/admin/sharing/disseminationrequest/").status_code == 200


def test_a_draft_answer_is_its_agencys_only_in_the_admin_too(cast, person, client):
    referral = referral_in_gathering(cast, person)
    police_request, health_request = ask(referral, cast.triage, cast.police, cast.health)
    answer(police_request, cast.police_researcher)
    answer(health_request, cast.health_researcher, submit=False)
    draft = health_request.entries.get()
    staff_manager = member(cast.lead, Role.MASH_MANAGER, username="staff.manager", is_staff=True)
    client.force_login(staff_manager)
    listed = client.get("/admin/referrals/responseentry/").content.decode()
    assert "Arrested for assault, 2024" in listed and draft.summary not in listed
    assert client.get(f"/admin/referrals/responseentry/{draft.pk}/change/").status_code == 302  # not found
    page = client.get(f"/admin/referrals/informationrequest/{health_request.pk}/change/")
    assert page.status_code == 200 and draft.summary not in page.content.decode()


def test_a_dissemination_request_is_information_governances_only_in_the_admin(cast, superuser, client):
    request = request_all(cast, referral_with_answers(cast))
    url = f"/admin/sharing/disseminationrequest/{request.pk}/change/"
    client.force_login(superuser)
    assert client.get(url).status_code == 403
    governance = member(cast.lead, Role.INFORMATION_GOVERNANCE, username="ig.staff", is_staff=True)
    client.force_login(governance)
    page = client.get(url)
    assert page.status_code == 200 and request.reference in page.content.decode()
    assert "Save" not in page.content.decode()  # read-only: it changes through its own pages
    assert POLICE_SECRET not in page.content.decode()  # the inline lists items, not their text
