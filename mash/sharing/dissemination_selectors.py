"""Reads of the requests to share outside the MASH, for the acting user (mash/sharing/dissemination.py
decides who sees what). Each read of a request shows case content (its items' snapshots), so it is
written to the access log against the request's record, and so is a refusal."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.sharing import dissemination
from mash.sharing.models import (
    AccessAction,
    AccessLog,
    DisseminationItem,
    DisseminationRequest,
    ItemDecision,
    RequestState,
)
from mash.sharing.services import NOT_FOUND, client_address


def requests_for(user, *, state: str = "", waiting: bool = False):
    """The requests this user may see: information governance all of them; an approver those with an
    item of their agency; everyone their own. ``waiting``: only those with an item waiting for them."""
    actor = actor_for(user)
    rows = DisseminationRequest.objects.select_related("requested_by", "content_type")
    mine = Q(requested_by_id=user.pk)
    if dissemination.is_approver(actor):
        ours = DisseminationItem.objects.filter(request_id=OuterRef("pk"), owner_agency_id=actor.agency_id)
        mine |= Q(Exists(ours))
    if waiting:
        rows = rows.filter(pk__in=items_waiting_for(user).values("request_id"))
    elif not is_information_governance(actor):
        rows = rows.filter(mine)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-requested_at", "-pk")


def items_waiting_for(user):
    """The items this user may decide now: their agency's, pending, on requests they did not make."""
    actor = actor_for(user)
    if not dissemination.is_approver(actor):
        return DisseminationItem.objects.none()
    return (
        DisseminationItem.objects.filter(
            owner_agency_id=actor.agency_id,
            decision=ItemDecision.PENDING,
            request__state=RequestState.AWAITING_APPROVAL,
        )
        .exclude(request__requested_by_id=user.pk)
        .select_related("request")
        .order_by("request__requested_at", "position", "pk")
    )


def awaiting_approval():
    return DisseminationRequest.objects.filter(state=RequestState.AWAITING_APPROVAL).order_by(
        "requested_at", "pk"
    )


def log_read(user, dreq: DisseminationRequest, *, action: str, http_request=None) -> None:
    AccessLog.objects.create(
        user_id=user.pk,
        agency=actor_for(user).agency,
        action=action,
        content_type_id=dreq.content_type_id,
        object_id=dreq.object_id,
        object_repr=dreq.object_repr,
        ip_address=client_address(http_request),
        path=(http_request.get_full_path()[:500] if http_request is not None else ""),
        reason=f"Dissemination request {dreq.reference}",
    )


def request_get_for(
    user, pk, *, http_request=None, action: str = AccessAction.VIEW, allowed=dissemination.may_see_request
) -> DisseminationRequest:
    """One request with its items, for a user ``allowed`` (by default: who may see it), its read logged
    as ``action``; a 404 otherwise (the refusal logged against its record), the same as for a request
    that does not exist."""
    items = DisseminationItem.objects.select_related("owner_agency", "decided_by").order_by("position", "pk")
    try:
        dreq = (
            DisseminationRequest.objects.select_related("requested_by", "content_type", "person")
            .prefetch_related(Prefetch("items", queryset=items))
            .get(pk=pk)
        )
    except (DisseminationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if not allowed(user, dreq, dreq.items.all()):
        log_read(user, dreq, action=AccessAction.DENIED, http_request=http_request)
        raise Http404(NOT_FOUND)
    log_read(user, dreq, action=action, http_request=http_request)
    return dreq


def record_of(content_type_id, object_id):
    """The record a new request is for, or a 404: a known content type of a model with items."""
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, ValueError):
        raise Http404(NOT_FOUND) from None
    model = content_type.model_class()
    if model is None or dissemination.source_for(model) is None:
        raise Http404(NOT_FOUND)
    return model
