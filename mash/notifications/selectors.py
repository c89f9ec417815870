from django.db.models import Q

from mash.notifications.models import Channel, Notification, Status
from mash.notifications.policy import may_retry


def _in_app_for(user) -> Q:
    return Q(recipient_id=user.pk, channel=Channel.IN_APP, status=Status.SENT)


def inbox_for(user):
    return Notification.objects.filter(_in_app_for(user)).order_by("-created_at", "-pk")


def unread_count_for(user) -> int:
    """Every page's header asks it: one filter and the count, not the ordered inbox filtered again
    (each step a copy of the query)."""
    return Notification.objects.filter(_in_app_for(user), read_at__isnull=True).count()


def failed_for(user):
    """The e-mails that failed for good, newest first; nothing for a user who may not retry them."""
    if not may_retry(user):
        return Notification.objects.none()
    return (
        Notification.objects.filter(status=Status.FAILED)
        .select_related("recipient", "subject_type")
        .defer("body", "attachments")
        .order_by("-updated_at", "-pk")
    )
