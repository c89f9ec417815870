import pytest
from django.urls import reverse

from referrals import request_services
from referrals.request_services import RequestInput

pytestmark = pytest.mark.django_db


def test_the_admin_shows_no_request_to_an_administrator_without_a_membership(admin_client, cast, gathering):
    (sent,) = request_services.information_requests_send(
        referral=gathering, by=cast.triage, requests=[RequestInput(agency=cast.police, questions="Anything?")]
    )
    changelist = admin_client.get(reverse("admin:referrals_informationrequest_changelist"))
    assert changelist.status_code == 200
    assert gathering.reference not in changelist.content.decode()
    assert admin_client.get(reverse("admin:referrals_informationrequest_change", args=[sent.pk])).status_code == 302
    assert admin_client.get(reverse("admin:referrals_responseentry_changelist")).status_code == 200
