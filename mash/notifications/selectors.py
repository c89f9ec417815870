from mash.notifications.models import Channel, Notification, Status
from mash.notifications.policy import may_retry


def inbox_for(user):
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, status=Status.SENT).order_by(
        "-created_at", "-pk"
    )


def unread_count_for(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


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
