"""Sending a request fans out through a real Celery worker on the real Redis (no eager mode, no mocks)."""

import pytest
from django.core import mail
from django.db import transaction

from mash.agencies.roles import Role
from mash.clocks.models import Clock
from mash.notifications.models import Channel, Notification, Status
from mash.people.models import PersonGroupObjectPermission
from referrals.models import (
    InformationRequest,
    InformationRequestGroupObjectPermission,
    Referral,
    ReferralGroupObjectPermission,
    TimelineEvent,
)
from referrals.requests.services import REQUEST_CLOCK
from tests.broker import drained, wait_until
from tests.factories import member
from tests.information_requests.support import ask

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

SENT = "information_request.sent"


def mail_to(users) -> list[str]:
    addresses = {u.email for u in users}
    return sorted(m.to[0] for m in mail.outbox if m.to[0] in addresses)


def test_each_of_four_researchers_gets_exactly_one_message_per_channel(cast, gathering, celery_worker):
    researchers = [cast.police_researcher] + [member(cast.police, Role.AGENCY_RESEARCHER) for _ in range(3)]

    with transaction.atomic():
        (sent,) = ask(gathering, cast.triage, cast.police)

    delivered = Notification.objects.filter(event=SENT, status=Status.SENT)
    assert wait_until(lambda: delivered.count() == 2 * len(researchers))
    assert drained()  # anything delivered twice has shown up
    assert mail_to(researchers) == sorted(u.email for u in researchers)
    for researcher in researchers:
        in_app = Notification.objects.filter(recipient=researcher, event=SENT, channel=Channel.IN_APP)
        assert list(in_app.values_list("status", flat=True)) == [Status.SENT]
    message = next(m for m in mail.outbox if m.to[0] == cast.police_researcher.email)
    assert gathering.reference in message.subject
    assert f"/referrals/requests/{sent.pk}/" in message.body
    others = (cast.health_researcher, cast.police_decision_maker, cast.triage, cast.outsider)
    assert mail_to(others) == []
    assert not Notification.objects.filter(event=SENT).exclude(recipient__in=researchers).exists()


def test_a_send_rolled_back_delivers_nothing_and_leaves_nothing(cast, gathering, celery_worker):
    member(cast.police, Role.AGENCY_RESEARCHER)
    version = Referral.objects.get(pk=gathering.pk).version
    events = TimelineEvent.objects.filter(referral=gathering).count()
    before_mail = len(mail.outbox)

    with pytest.raises(RuntimeError), transaction.atomic():
        ask(gathering, cast.triage, cast.police, cast.health)
        raise RuntimeError("the page failed after sending")

    assert drained()  # a message enqueued by mistake has been delivered
    assert not InformationRequest.objects.exists()
    assert not Clock.objects.filter(kind=REQUEST_CLOCK).exists()
    assert not InformationRequestGroupObjectPermission.objects.exists()
    police_and_health = [cast.police.group_id, cast.health.group_id]
    assert not ReferralGroupObjectPermission.objects.filter(group_id__in=police_and_health).exists()
    assert not PersonGroupObjectPermission.objects.filter(group_id__in=police_and_health).exists()
    assert not Notification.objects.filter(event=SENT).exists()
    assert len(mail.outbox) == before_mail
    assert Referral.objects.get(pk=gathering.pk).version == version
    assert TimelineEvent.objects.filter(referral=gathering).count() == events
