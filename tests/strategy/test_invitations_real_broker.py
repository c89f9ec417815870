"""Strategy discussion invitations go out through the outbox and a real Celery worker on the real Redis
(no eager mode, no mocks): once per invitee and channel, the e-mail with an iCalendar attachment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from mash.agencies.roles import Role
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.services import SIGN_IN_FOR_DETAIL
from strategy import services
from tests.broker import drained, wait_until
from tests.factories import member

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

INVITATION = "strategy_discussion.invitation"
CANCELLED = "strategy_discussion.cancelled"
ICS = "strategy-discussion.ics"


def delivered(event: str, count: int) -> None:
    sent = Notification.objects.filter(event=event, status=Status.SENT)
    assert wait_until(lambda: sent.count() >= count), (
        f"{sent.count()} of {count} {event} notifications delivered: "
        f"{list(Notification.objects.filter(event=event).values_list('status', 'last_error'))}"
    )
    assert drained()  # anything delivered twice has shown up
    assert Notification.objects.filter(event=event).count() == count
    assert sent.count() == count


def emails_to(user, *, title: str) -> list:
    return [m for m in mail.outbox if m.to == [user.email] and m.subject.startswith(title)]


def ics_of(message) -> tuple[str, Calendar]:
    (attachment,) = [a for a in message.attachments if a[0] == ICS]
    filename, content, mimetype = attachment[0], attachment[1], attachment[2]
    assert filename == ICS
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    return text, Calendar.from_ical(text)


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def assert_once_per_channel(users, event: str, *, times: int = 1) -> None:
    for user in users:
        rows = Notification.objects.filter(recipient=user, event=event)
        assert sorted(rows.values_list("channel", flat=True)) == sorted(
            [Channel.IN_APP, Channel.EMAIL] * times
        )
        assert set(rows.values_list("status", flat=True)) == {Status.SENT}


@pytest.fixture
def when():
    # Whole seconds: iCalendar carries no fractions of a second.
    return (timezone.now() + timedelta(days=1)).replace(microsecond=0)


def test_each_invitee_gets_one_invitation_per_channel_with_a_calendar_request(
    cast, required, convene, person, when, celery_worker
):
    invitees = [cast.police_decision_maker, cast.health_researcher, cast.decision_maker]

    discussion = convene(scheduled_at=when)

    delivered(INVITATION, 2 * len(invitees))
    assert_once_per_channel(invitees, INVITATION)
    others = [cast.police_researcher, cast.triage, cast.manager, cast.outsider, cast.data_admin]
    assert not Notification.objects.filter(event=INVITATION, recipient__in=others).exists()
    uid = f"strategy-discussion-{discussion.pk}@mash.invalid"
    sibling = required.referral.subjects.get(role="sibling").person
    for user in invitees:
        (message,) = emails_to(user, title="Strategy discussion about")
        assert required.referral.reference in message.subject
        text, calendar = ics_of(message)
        assert calendar["method"] == "REQUEST"
        event = event_of(calendar)
        assert str(event["uid"]) == uid
        assert event.decoded("sequence") == 0
        assert event.decoded("dtstart") == when
        assert event.decoded("dtend") == when + timedelta(minutes=60)
        assert "SEQUENCE:0" in text and "METHOD:REQUEST" in text
        # E-mail is not a secure channel: no subject's name, in the calendar or the message. (Full names
        # there: the staff invited are named, and a made-up staff name may share a subject's family name.)
        for name in (person.full_name, sibling.full_name):
            assert name not in text.replace("\r\n ", "")  # unfolded
            assert name not in message.subject
            assert name not in message.body
        about = " ".join(str(event.get(field, "")) for field in ("summary", "description", "location"))
        for name in (person.given_name, person.family_name, sibling.given_name):
            assert name not in about


def test_an_agency_with_decision_makers_hears_through_them(cast, required, convene, when, celery_worker):
    health_decision = member(cast.health, Role.DECISION_MAKER, username="health.decision")
    health_manager = member(cast.health, Role.MASH_MANAGER, username="health.manager")
    invitees = [cast.police_decision_maker, health_decision, health_manager, cast.decision_maker]

    convene(scheduled_at=when)

    delivered(INVITATION, 2 * len(invitees))
    assert_once_per_channel(invitees, INVITATION)
    assert emails_to(cast.health_researcher, title="Strategy discussion") == []


def test_rescheduling_sends_one_more_with_the_next_sequence_and_cancelling_a_cancel(
    cast, required, convene, when, celery_worker
):
    invitees = [cast.police_decision_maker, cast.health_researcher, cast.decision_maker]
    discussion = convene(scheduled_at=when)
    delivered(INVITATION, 2 * len(invitees))
    later = when + timedelta(days=1)

    services.discussion_reschedule(
        discussion=discussion, by=cast.decision_maker, scheduled_at=later, reason="The chair is in court."
    )

    delivered(INVITATION, 4 * len(invitees))
    assert_once_per_channel(invitees, INVITATION, times=2)
    uid = f"strategy-discussion-{discussion.pk}@mash.invalid"
    for user in invitees:
        (message,) = emails_to(user, title="Re-scheduled: strategy discussion")
        # The reason typed stays in the inbox: an e-mail says there is more (it could name the child).
        assert "in court" not in message.body and SIGN_IN_FOR_DETAIL in message.body
        text, calendar = ics_of(message)
        assert calendar["method"] == "REQUEST"
        event = event_of(calendar)
        assert (str(event["uid"]), event.decoded("sequence")) == (uid, 1)
        assert event.decoded("dtstart") == later
        assert "SEQUENCE:1" in text

    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="The family moved away.")

    delivered(CANCELLED, 2 * len(invitees))
    assert_once_per_channel(invitees, CANCELLED)
    assert Notification.objects.filter(event=INVITATION).count() == 4 * len(invitees)
    for user in invitees:
        (message,) = emails_to(user, title="Cancelled: strategy discussion")
        text, calendar = ics_of(message)
        assert calendar["method"] == "CANCEL"
        assert "METHOD:CANCEL" in text
        event = event_of(calendar)
        assert str(event["uid"]) == uid
        assert str(event["status"]) == "CANCELLED"
        # A cancellation must out-rank the last request it cancels (RFC 5546).
        assert event.decoded("sequence") >= 1
        assert len([m for m in mail.outbox if m.to == [user.email]]) == 3
