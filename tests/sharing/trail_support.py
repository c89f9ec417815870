"""A referral with a planted change, a read, a refusal and a break-glass, in that order, for the trail
tests: each made the way the system makes it (services, the access log, auditlog's actor context)."""

from dataclasses import dataclass
from datetime import timedelta

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import access_log_write, break_glass_open
from referrals import services
from referrals.models import Rag, State
from tests.referrals.factories import make_referral

PLANTED = '=HYPERLINK("http://evil.example","Trail marker 7Q2")'
BREAK_GLASS_REASON = "Police called about Jayden out of hours, urgent check"


@dataclass
class Planted:
    referral: object
    request: object | None = None


def plant(cast) -> Planted:
    """Four minutes ago the triage practitioner recorded the referral; three minutes ago changed its
    account to PLANTED; two minutes ago read it; a minute ago the outsider was refused it; now the
    police decision maker opened it by break-glass."""
    now = timezone.now()
    with set_actor(cast.triage, remote_addr="10.1.2.3"):
        referral = make_referral(by=cast.triage)
        referral = services.referral_transition(referral=referral, by=cast.triage, to_state=State.SCREENING)
        referral = services.referral_rate(
            referral=referral, by=cast.triage, rating=Rag.RED, rationale=PLANTED
        )
    # The changes of the referral itself: created four minutes ago, rated three minutes ago.
    content_type = ContentType.objects.get_for_model(referral)
    changes = LogEntry.objects.filter(content_type=content_type, object_pk=str(referral.pk)).order_by("id")
    LogEntry.objects.filter(pk__in=[c.pk for c in changes]).update(timestamp=now - timedelta(minutes=4))
    LogEntry.objects.filter(pk=changes.last().pk).update(timestamp=now - timedelta(minutes=3))
    read = access_log_write(user=cast.triage, obj=referral, action=AccessAction.VIEW)
    refused = access_log_write(user=cast.outsider, obj=referral, action=AccessAction.DENIED)
    AccessLog.objects.filter(pk=read.pk).update(at=now - timedelta(minutes=2))
    AccessLog.objects.filter(pk=refused.pk).update(at=now - timedelta(minutes=1))
    break_glass_open(user=cast.manager, obj=referral, reason=BREAK_GLASS_REASON)
    return Planted(referral)
