"""The iCalendar (.ics) invitation sent with a strategy discussion's e-mails (RFC 5545, iTIP)."""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//MASH case management//Strategy discussions//EN"


def discussion_ics(discussion, *, cancel: bool = False, attendees=()) -> str:
    """A REQUEST (or, when cancelled, a CANCEL) for the discussion. The UID is stable and the SEQUENCE
    rises with every re-scheduling, so calendars update the one entry. It names no subject: e-mail is
    not a secure channel, only the referral's reference."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", f"strategy-discussion-{discussion.pk}@mash.invalid")
    event.add("sequence", discussion.sequence)
    event.add("dtstamp", timezone.now())
    # In UTC: a TZID would need its own VTIMEZONE component (RFC 5545 3.2.19), or clients guess the zone.
    start = discussion.scheduled_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=discussion.duration_minutes))
    event.add("summary", f"Strategy discussion: {discussion.referral.reference}")
    event.add("location", discussion.location or discussion.get_mode_display())
    event.add(
        "description",
        f"{discussion.get_mode_display()} about referral {discussion.referral.reference}. "
        f"Details: {settings.SITE_URL}/strategy/discussions/{discussion.pk}/",
    )
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if discussion.chair.email:
        organizer = vCalAddress(f"mailto:{discussion.chair.email}")
        organizer.params["cn"] = discussion.chair.get_full_name() or discussion.chair.get_username()
        event.add("organizer", organizer)
    # iTIP (RFC 5546) expects the attendees of a REQUEST: everyone the invitation goes to.
    for person in attendees:
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = person.get_full_name() or person.get_username()
            attendee.params["role"] = "REQ-PARTICIPANT"
            attendee.params["partstat"] = "NEEDS-ACTION"
            attendee.params["rsvp"] = "FALSE"
            event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def ics_attachment(discussion, *, cancel: bool = False, attendees=()) -> dict:
    method = "CANCEL" if cancel else "REQUEST"
    return {
        "filename": "strategy-discussion.ics",
        "content": discussion_ics(discussion, cancel=cancel, attendees=attendees),
        "mimetype": f"text/calendar; method={method}; charset=UTF-8",
    }
