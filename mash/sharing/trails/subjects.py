"""Whose or what trail: finding the user, and the record (which may have been erased)."""

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mash.sharing import policy
from mash.sharing.trails.queries import record_trail


def trail_user_search(*, q: str = "", agency=None):
    """Users by name or user name (each word of ``q`` must match one of them), with their agency."""
    users = get_user_model().objects.select_related("membership__agency")
    for word in q.split():
        users = users.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if agency is not None:
        users = users.filter(membership__agency=agency)
    return users.order_by("last_name", "first_name", "username", "pk")


def trail_user(pk):
    return get_object_or_404(get_user_model().objects.select_related("membership__agency"), pk=pk)


def trail_record(content_type_id: int, object_id: str):
    """The record whose trail is asked for: a model the change log or the sharing policy knows, by id;
    a ``(content type, id)`` pair for one that no longer exists but has rows in the logs (erased);
    404 otherwise."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not (auditlog.contains(model) or policy.is_case_model(model)):
        raise Http404
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        raise Http404 from None
    if obj is not None:
        return obj
    if not record_trail((content_type, object_id), limit=1).entries:
        raise Http404
    return (content_type, object_id)


def record_of(subject) -> tuple[ContentType, str, str]:
    """A trail's record as its content type, id and name."""
    if isinstance(subject, tuple):
        content_type, object_id = subject
        return content_type, str(object_id), f"{content_type.name} {object_id}"
    return ContentType.objects.get_for_model(subject), str(subject.pk), str(subject)
