"""The Django admin of referrals and consultations asks the sharing policy like every other page."""

import pytest
from django.urls import reverse

from mash.agencies.roles import Role
from mash.sharing.models import AccessAction
from tests.factories import member
from tests.referrals_pages.builders import access_rows

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_no_referral_in_the_changelist(admin_client, referral):
    response = admin_client.get(reverse("admin:referrals_referral_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert referral.reference not in response.content.decode()


def test_an_administrator_is_refused_a_referral_and_the_refusal_is_logged(admin_client, admin_user, referral):
    response = admin_client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
    # The admin's "not found": back to the index with a message.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert access_rows(admin_user, referral, AccessAction.DENIED) == 1
    assert access_rows(admin_user, referral, AccessAction.VIEW) == 0


def test_an_administrator_sees_no_consultation(admin_client, admin_user, consultation):
    changelist = admin_client.get(reverse("admin:referrals_consultation_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 0
    assert consultation.caller_name not in changelist.content.decode()
    change = admin_client.get(reverse("admin:referrals_consultation_change", args=[consultation.pk]))
    assert change.status_code == 302
    assert access_rows(admin_user, consultation, AccessAction.DENIED) == 1


def test_a_lead_case_worker_on_the_staff_sees_the_referral_and_the_read_is_logged(client, cast, referral):
    staff = member(cast.lead, Role.TRIAGE_PRACTITIONER, username="triage.staff", is_staff=True)
    client.force_login(staff)
    changelist = client.get(reverse("admin:referrals_referral_changelist"))
    assert changelist.context["cl"].result_count == 1
    change = client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
    assert change.status_code == 200
    assert referral.reference in change.content.decode()
    assert access_rows(staff, referral, AccessAction.VIEW) == 1


def test_the_referral_admin_is_read_only(client, cast, referral):
    staff = member(cast.lead, Role.TRIAGE_PRACTITIONER, username="triage.staff", is_staff=True)
    client.force_login(staff)
    version = referral.version
    response = client.post(
        reverse("admin:referrals_referral_change", args=[referral.pk]), {"state": "closed", "rag": "red"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:referrals_referral_add")).status_code == 403
    referral.refresh_from_db()
    assert (referral.state, referral.rag, referral.version) == ("received", "", version)
