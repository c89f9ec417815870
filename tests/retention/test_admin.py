"""The retention periods are reference data: a data administrator (with admin access) or a superuser
sets them in the admin, and who set a period is recorded; nobody else opens them there."""

import pytest
from django.urls import reverse

from mash.agencies.roles import Role
from mash.retention.models import RetentionRule
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_data_administrator_sets_a_period(client, cast):
    admin_user = member(cast.police, Role.DATA_ADMINISTRATOR, username="admin.data", is_staff=True)
    rule = RetentionRule.objects.get(kind="referral-nfa")
    client.force_login(admin_user)
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    response = client.post(
        url,
        {
            "kind": rule.kind,
            "period_months": 30,
            "counted_from": rule.counted_from,
            "note": "Set by the MASH board, March 2027.",
            "local_policy": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    rule.refresh_from_db()
    assert (rule.period_months, rule.local_policy, rule.set_by) == (30, False, admin_user)


@pytest.mark.parametrize("role", [Role.INFORMATION_GOVERNANCE, Role.MASH_MANAGER, Role.TRIAGE_PRACTITIONER])
def test_other_staff_do_not_open_the_periods_in_the_admin(client, cast, role):
    client.force_login(member(cast.lead, role, username="staff.other", is_staff=True))
    rule = RetentionRule.objects.get(kind="referral-nfa")
    assert client.get(reverse("admin:retention_retentionrule_changelist")).status_code == 403
    assert client.get(reverse("admin:retention_retentionrule_change", args=[rule.pk])).status_code == 403
