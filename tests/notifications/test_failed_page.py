"""The failed e-mails list (/inbox/failed/): for the lead agency's MASH managers and superusers, who
put e-mails back for sending; a 404 for everyone else, and nothing changes for them."""

import logging
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from mash.agencies.roles import Role
from mash.agencies.services import membership_set
from mash.notifications import services
from mash.notifications.models import Channel, Notification, Status
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

SECRET = "Disclosed: MARKER-7f3a-body-never-listed"

NOT_RETRYING = (
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "governance",
    "outsider",
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="superuser", is_staff=True, is_superuser=True)


def failed(recipient=None, *, key, address="", **fields):
    """An e-mail that failed for good, as delivery leaves it."""
    return Notification.objects.create(
        recipient=recipient,
        address=address,
        channel=Channel.EMAIL,
        event="information_request.sent",
        idempotency_key=key,
        title=f"Information request {key}",
        body=SECRET,
        attachments=[{"filename": "request.txt", "content": SECRET, "mimetype": "text/plain"}],
        status=Status.FAILED,
        attempts=12,
        retry_until=timezone.now() - timedelta(minutes=5),
        last_error="SMTPRecipientsRefused({'x@example.org': (550, b'5.1.1 mailbox unavailable')})",
        **fields,
    )


@pytest.fixture
def rows(cast, person):
    about = {"subject_type": ContentType.objects.get_for_model(person), "subject_id": str(person.pk)}
    return [
        failed(cast.police_researcher, key="one", **about),
        failed(key="two", address="referrer@school.example.org"),
        failed(cast.health_researcher, key="three"),
    ]


def statuses():
    return dict(Notification.objects.values_list("pk", "status"))


@pytest.mark.parametrize("who", ["manager", "superuser"])
def test_the_list_shows_failed_e_mails_and_never_their_bodies(client, cast, superuser, rows, who):
    Notification.objects.create(
        recipient=cast.triage, channel=Channel.EMAIL, event="x", idempotency_key="pending", title="Not failed"
    )
    # A name no user of the page has (a random one could be the superuser's or a recipient's).
    type(rows[0].subject).objects.filter(pk=rows[0].subject_id).update(family_name="Subjectfamily7f3a")
    client.force_login(superuser if who == "superuser" else cast.manager)
    response = client.get(reverse("notifications:failed"))
    assert response.status_code == 200
    body = response.content.decode()
    assert [n.pk for n in response.context["notifications"]] == [rows[2].pk, rows[1].pk, rows[0].pk]
    assert "Information request one" in body and "Not failed" not in body
    assert cast.police_researcher.get_full_name() in body
    assert "referrer@school.example.org" in body
    assert "mailbox unavailable" in body and 'name="ids"' in body
    person = rows[0].subject
    assert f"Person {person.pk}" in body and "Subjectfamily7f3a" not in body, "named by its id only"
    assert "MARKER-7f3a" not in body, "a message body (case detail) reached the list"


def test_with_nothing_failed_it_says_so(client, cast):
    client.force_login(cast.manager)
    assert "No e-mail has failed." in client.get(reverse("notifications:failed")).content.decode()


def test_the_list_pages(client, cast):
    for number in range(51):
        failed(cast.triage, key=f"row-{number}")
    client.force_login(cast.manager)
    first = client.get(reverse("notifications:failed"))
    assert len(first.context["notifications"]) == 50 and 'rel="next"' in first.content.decode()
    assert len(client.get(reverse("notifications:failed"), {"page": 2}).context["notifications"]) == 1


@pytest.mark.parametrize("who", NOT_RETRYING)
def test_anyone_else_gets_404_for_the_page_and_the_retry_and_nothing_changes(client, cast, rows, who):
    client.force_login(getattr(cast, who))
    before = statuses()
    assert client.get(reverse("notifications:failed")).status_code == 404
    for data in ({"retry": "all"}, {"retry": "selected", "ids": [rows[0].pk]}):
        assert client.post(reverse("notifications:failed"), data).status_code == 404
    assert statuses() == before


def test_a_manager_who_loses_the_role_gets_404(client, cast, rows):
    client.force_login(cast.manager)
    membership_set(user=cast.manager, agency=cast.lead, roles=[Role.TRIAGE_PRACTITIONER])
    assert client.post(reverse("notifications:failed"), {"retry": "all"}).status_code == 404
    assert set(statuses().values()) == {Status.FAILED}


def test_retry_selected_puts_only_those_back_now(client, cast, rows, caplog):
    client.force_login(cast.manager)
    started = timezone.now()
    with caplog.at_level(logging.INFO, logger="mash.notifications.services"):
        data = {"retry": "selected", "ids": [rows[0].pk, rows[1].pk]}
        response = client.post(reverse("notifications:failed"), data, follow=True)
    assert response.redirect_chain == [(reverse("notifications:failed"), 302)]
    assert "2 e-mails put back for sending" in response.content.decode()
    for row in rows[:2]:
        row.refresh_from_db()
        assert row.status == Status.PENDING and row.retry_until is None
        assert started <= row.next_attempt_at <= timezone.now()
    rows[2].refresh_from_db()
    assert rows[2].status == Status.FAILED
    assert [n.pk for n in response.context["notifications"]] == [rows[2].pk]
    # Notification is not registered with django-auditlog (its rows change by bulk updates): the
    # service's log line is the record of who retried.
    assert "manager put 2 failed notification(s) back for sending" in caplog.text


def test_retry_all_puts_every_failed_e_mail_back(client, superuser, rows):
    client.force_login(superuser)
    response = client.post(reverse("notifications:failed"), {"retry": "all"}, follow=True)
    assert "3 e-mails put back for sending" in response.content.decode()
    assert "No e-mail has failed." in response.content.decode()
    assert set(statuses().values()) == {Status.PENDING}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"retry": "selected"}, "Select the e-mails to retry"),
        ({"retry": "selected", "ids": ["nine"]}, "Select e-mails from the list"),
        ({"retry": "everything"}, "Select a valid choice"),
    ],
)
def test_a_retry_without_a_good_selection_changes_nothing(client, cast, rows, data, error):
    client.force_login(cast.manager)
    response = client.post(reverse("notifications:failed"), data)
    assert response.status_code == 400
    assert error in response.content.decode() and "There is a problem" in response.content.decode()
    assert set(statuses().values()) == {Status.FAILED}


def test_the_inbox_points_a_manager_at_failed_e_mails(client, cast, rows):
    client.force_login(cast.manager)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "3 e-mails could not be sent" in body and reverse("notifications:failed") in body
    client.force_login(cast.triage)
    assert reverse("notifications:failed") not in client.get(reverse("notifications:inbox")).content.decode()


def test_managers_are_told_once_an_hour_with_a_link_to_the_list(client, cast, rows):
    member(cast.lead, Role.MASH_MANAGER, username="manager.two")
    member(cast.police, Role.MASH_MANAGER, username="police.manager")  # not the lead agency's
    services.notify_managers_of_failures()
    services.notify_managers_of_failures()
    told = Notification.objects.filter(event="notification.failed")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["manager", "manager.two"]
    assert set(told.values_list("channel", "status")) == {(Channel.IN_APP, Status.SENT)}
    client.force_login(cast.manager)
    opened = client.post(reverse("notifications:open", args=[told.get(recipient=cast.manager).pk]))
    assert opened.url == reverse("notifications:failed")
    assert client.get(opened.url).status_code == 200
