from mash.notifications.models import Channel, Notification, Status


def inbox_for(user):
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, status=Status.SENT).order_by(
        "-created_at", "-pk"
    )


def unread_count_for(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()
