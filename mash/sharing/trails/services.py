"""The access log rows of information governance reading and exporting trails.

A trail shows case content (the values before and after each change), so reading it is a read of
each record it shows content of (README, security model: every read is logged), and exporting it is
written down as an export, a disclosure (DPA 2018 s62).
"""

from django.contrib.contenttypes.models import ContentType

from mash.agencies.selectors import actor_for
from mash.sharing import policy
from mash.sharing.models import AccessAction, AccessLog
from mash.sharing.services import client_address
from mash.sharing.trails.subjects import record_of

TRAIL_REASON = "information governance trail"


def _row(
    *, user, agency, content_type: ContentType, object_id, object_repr: str, action: str, request, reason
):
    return AccessLog(
        user_id=user.pk,
        agency=agency,
        action=action,
        content_type=content_type,
        object_id=str(object_id),
        object_repr=(object_repr or "")[:200],
        ip_address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        reason=reason,
    )


def trail_access_log(
    *,
    user,
    content_type: ContentType,
    object_id,
    object_repr: str = "",
    action: str = AccessAction.VIEW,
    request=None,
) -> AccessLog:
    """One read (or export) of the trail of a record (or of a user: the user is then the record),
    which may no longer exist."""
    row = _row(
        user=user,
        agency=actor_for(user).agency,
        content_type=content_type,
        object_id=object_id,
        object_repr=object_repr,
        action=action,
        request=request,
        reason=TRAIL_REASON,
    )
    row.save()
    return row


def record_trail_read(*, user, subject, action: str = AccessAction.VIEW, request=None) -> AccessLog:
    """A read (or an export) of the trail of a record (``trail_record``'s answer)."""
    content_type, object_id, label = record_of(subject)
    return trail_access_log(
        user=user,
        content_type=content_type,
        object_id=object_id,
        object_repr=label,
        action=action,
        request=request,
    )


def trail_entries_read(*, user, entries, request=None) -> int:
    """A read of each case record whose changes a page of a trail shows: one row each, one insert."""
    agency = actor_for(user).agency
    seen, rows = set(), []
    for entry in entries:
        key = (entry.content_type.pk if entry.content_type else None, entry.object_id)
        if not entry.changes or key in seen or entry.content_type is None:
            continue
        model = entry.content_type.model_class()
        if model is None or not policy.is_case_model(model):
            continue
        seen.add(key)
        rows.append(
            _row(
                user=user,
                agency=agency,
                content_type=entry.content_type,
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                action=AccessAction.VIEW,
                request=request,
                reason=TRAIL_REASON,
            )
        )
    AccessLog.objects.bulk_create(rows)
    return len(rows)
