"""The iCalendar invitation (RFC 5545 / 5546) carried by the invitation e-mails, read from the outbox
rows the services write (the real worker's delivery is in test_invitations_real_broker.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from mash.notifications.models import Channel, Notification
from mash.people.models import Person
from strategy import services
from strategy.ics import discussion_ics

pytestmark = pytest.mark.django_db


def attachment(user, event="strategy_discussion.invitation", *, sequence=None):
    rows = Notification.objects.filter(recipient=user, event=event, channel=Channel.EMAIL).order_by("pk")
    row = rows.last() if sequence is None else rows[sequence]
    (only,) = row.attachments
    return only


def parsed(text: str):
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_time_given_in_local_time_is_unambiguous_in_the_calendar(cast, convene):
    """A form hands the service a datetime in Europe/London. A TZID needs its VTIMEZONE (RFC 5545
    3.2.19), or calendar clients guess the zone; UTC needs none."""
    local = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    convene(scheduled_at=local)

    text = attachment(cast.police_decision_maker)["content"]
    calendar, event = parsed(text)

    zones = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    for prop in ("dtstart", "dtend"):
        tzid = event[prop].params.get("TZID")
        assert tzid is None or tzid in zones, f"{prop} names {tzid} without a VTIMEZONE:\n{text}"
    assert event.decoded("dtstart") == local
    assert event.decoded("dtend") == local + timedelta(minutes=60)


def test_the_attachment_is_a_calendar_request_named_for_the_discussion(cast, discussion):
    ics = attachment(cast.health_researcher)

    assert ics["filename"] == "strategy-discussion.ics"
    assert ics["mimetype"] == "text/calendar; method=REQUEST; charset=UTF-8"
    calendar, event = parsed(ics["content"])
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == f"strategy-discussion-{discussion.pk}@mash.invalid"
    assert event.decoded("sequence") == 0
    assert str(event["organizer"]) == f"mailto:{cast.decision_maker.email}"
    assert str(event["location"]) == "Teams"
    assert discussion.referral.reference in str(event["summary"])


def test_it_names_no_subject(cast, discussion, collated):
    # Names no attendee has (a random subject called Smith beside an attendee called Smith would fail
    # the test for nothing), then a re-scheduling writes the invitation again.
    markers = []
    for number, link in enumerate(collated.subjects.order_by("pk")):
        given, family = f"Subjectgiven{number}", f"Subjectfamily{number}"
        Person.objects.filter(pk=link.person_id).update(given_name=given, family_name=family)
        markers += [given, family]
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    services.discussion_reschedule(
        discussion=discussion, by=cast.decision_maker, scheduled_at=later, reason="Clash."
    )

    text = attachment(cast.health_researcher, sequence=1)["content"]
    assert markers and not [marker for marker in markers if marker in text]


def test_a_rescheduling_keeps_the_uid_and_raises_the_sequence(cast, discussion):
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)

    services.discussion_reschedule(
        discussion=discussion, by=cast.decision_maker, scheduled_at=later, reason="Clash."
    )

    _, first = parsed(attachment(cast.health_researcher, sequence=0)["content"])
    _, second = parsed(attachment(cast.health_researcher, sequence=1)["content"])
    assert str(second["uid"]) == str(first["uid"])
    assert (first.decoded("sequence"), second.decoded("sequence")) == (0, 1)
    assert second.decoded("dtstart") == later


def test_a_cancellation_cancels_the_same_event_with_a_higher_sequence(cast, discussion):
    services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason="Wrong family.")

    ics = attachment(cast.health_researcher, "strategy_discussion.cancelled")
    assert ics["mimetype"].startswith("text/calendar; method=CANCEL")
    calendar, event = parsed(ics["content"])
    assert calendar["method"] == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"strategy-discussion-{discussion.pk}@mash.invalid"
    assert event.decoded("sequence") == 1


def test_the_location_falls_back_to_the_mode(cast, convene):
    discussion = convene(location="")

    _, event = parsed(discussion_ics(discussion))
    assert str(event["location"]) == "Video call"
