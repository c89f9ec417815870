"""A re-scheduled or cancelled discussion's e-mails say what changed, never the reason typed (it could
name the child): the reason is in the inbox (tests/notifications/test_email_privacy.py covers the rest)."""

from datetime import timedelta

import pytest

from mash.notifications.models import Channel, Notification
from mash.notifications.services import SIGN_IN_FOR_DETAIL
from strategy import services

pytestmark = pytest.mark.django_db

REASON = "Jayden Quill's mother asked for a later time."


def notices(event: str):
    rows = Notification.objects.filter(event=event).order_by("pk")
    return rows.filter(channel=Channel.EMAIL), rows.filter(channel=Channel.IN_APP)


@pytest.mark.parametrize("change", ["reschedule", "cancel"])
def test_the_reason_stays_in_the_inbox(cast, discussion, change):
    Notification.objects.all().delete()
    if change == "reschedule":
        services.discussion_reschedule(
            discussion=discussion,
            by=cast.decision_maker,
            scheduled_at=discussion.scheduled_at + timedelta(hours=2),
            reason=REASON,
        )
    else:
        services.discussion_cancel(discussion=discussion, by=cast.decision_maker, reason=REASON)
    event = "strategy_discussion.cancelled" if change == "cancel" else "strategy_discussion.invitation"
    emails, in_app = notices(event)
    assert emails.exists() and in_app.exists()
    for email in emails:
        assert "Jayden" not in email.title + email.body and SIGN_IN_FOR_DETAIL in email.body
    assert all(REASON in row.body for row in in_app)
