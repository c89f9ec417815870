import functools

from django.db import connections, router
from django.db.models import Q

from mash.notifications.models import Channel, Notification, Status
from mash.notifications.policy import may_retry


def _in_app_for(user) -> Q:
    return Q(recipient_id=user.pk, channel=Channel.IN_APP, status=Status.SENT)


def inbox_for(user):
    return Notification.objects.filter(_in_app_for(user)).order_by("-created_at", "-pk")


def unread_count_for(user) -> int:
    """The in-app notifications of ``user`` not read yet: ``inbox_for(user)`` unread, counted.

    Every page's header asks it, so it is one fixed statement (the ORM built the same count as a
    queryset on every request: about 4% of a web worker's time under the load figure, issue 19).
    tests/notifications/test_unread_count.py holds it to the ORM's count for every kind of row."""
    connection = connections[router.db_for_read(Notification)]
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(connection.alias), [user.pk, Channel.IN_APP.value, Status.SENT.value])
        return cursor.fetchone()[0]


@functools.cache
def _unread_sql(alias: str) -> str:
    quote, fields = connections[alias].ops.quote_name, Notification._meta
    column = {
        name: quote(fields.get_field(name).column) for name in ("recipient", "channel", "status", "read_at")
    }
    return (
        f"SELECT COUNT(*) FROM {quote(fields.db_table)} "  # noqa: S608 (quoted names only)
        f"WHERE {column['recipient']} = %s AND {column['channel']} = %s AND {column['status']} = %s "
        f"AND {column['read_at']} IS NULL"
    )


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
