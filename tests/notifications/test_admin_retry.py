"""The admin's 'Retry the selected failed e-mails': the failed list's service, for superusers and the
lead agency's MASH managers who are staff; a staff user without the role neither sees nor runs it."""

import pytest
from django.utils import timezone

from mash.agencies.roles import Role
from mash.notifications.models import Channel, Notification, Status
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/notification/"


def failed(recipient, key, **fields):
    return Notification.objects.create(
        recipient=recipient,
        channel=Channel.EMAIL,
        event="information_request.sent",
        idempotency_key=key,
        title=f"Information request {key}",
        body="Body with case detail",
        status=fields.pop("status", Status.FAILED),
        attempts=9,
        retry_until=timezone.now(),
        last_error="SMTPDataError(554, b'5.7.1 rejected')",
        **fields,
    )


@pytest.fixture
def rows(cast):
    return [
        failed(cast.triage, "one"),
        failed(cast.triage, "two"),
        failed(cast.triage, "sent", status=Status.SENT),
    ]


def run_action(client, rows):
    return client.post(
        CHANGELIST,
        {"action": "retry_failed", "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def test_a_superuser_retries_the_selected_failed_e_mails(client, rows):
    client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    listed = client.get(CHANGELIST, {"status__exact": "failed"})
    assert "Retry the selected failed e-mails" in listed.content.decode()
    response = run_action(client, [rows[0], rows[2]])
    assert "1 e-mail put back for sending (1 selected had not failed" in response.content.decode()
    states = dict(Notification.objects.values_list("pk", "status"))
    assert states == {rows[0].pk: Status.PENDING, rows[1].pk: Status.FAILED, rows[2].pk: Status.SENT}
    rows[0].refresh_from_db()
    assert rows[0].retry_until is None and rows[0].next_attempt_at <= timezone.now()
    page = client.get(f"{CHANGELIST}{rows[1].pk}/change/").content.decode()
    assert "5.7.1 rejected" in page and "Retry until" in page and "Body with case detail" not in page


def test_a_staff_lead_manager_sees_and_retries_only_failed_e_mails(client, cast, rows):
    client.force_login(member(cast.lead, Role.MASH_MANAGER, username="staff.manager", is_staff=True))
    listed = client.get(CHANGELIST)
    assert listed.status_code == 200
    assert {row.pk for row in listed.context["cl"].result_list} == {rows[0].pk, rows[1].pk}
    assert client.get(f"{CHANGELIST}{rows[2].pk}/change/").status_code in (302, 403)
    response = run_action(client, rows[:2])
    assert "2 e-mails put back for sending" in response.content.decode()
    assert Notification.objects.filter(status=Status.PENDING).count() == 2


def test_a_staff_user_without_the_role_can_neither_see_nor_retry(client, cast, rows):
    client.force_login(member(cast.lead, Role.TRIAGE_PRACTITIONER, username="staff.triage", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert run_action(client, rows[:2]).status_code == 403
    assert Notification.objects.filter(status=Status.FAILED).count() == 2


def test_a_partner_agencys_staff_manager_can_neither_see_nor_retry(client, cast, rows):
    client.force_login(member(cast.police, Role.MASH_MANAGER, username="police.manager2", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert run_action(client, rows[:2]).status_code == 403
    assert Notification.objects.filter(status=Status.FAILED).count() == 2


def test_a_staff_user_who_reads_notifications_but_may_not_retry_is_not_offered_the_action(client, cast, rows):
    from django.contrib.auth.models import Permission

    reader = member(cast.lead, Role.TRIAGE_PRACTITIONER, username="staff.reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(reader)
    listed = client.get(CHANGELIST)
    assert listed.status_code == 200 and "Retry the selected failed e-mails" not in listed.content.decode()
    run_action(client, rows[:2])
    assert Notification.objects.filter(status=Status.FAILED).count() == 2
