"""Withdrawing a request (the agency loses sight of it), and the referral moving on to the threshold
decision once no request is still open and at least one was answered (the collation is complete)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.services import clock_stop
from mash.common.errors import RoleRefused
from mash.common.versioning import bump
from mash.notifications.services import notify
from mash.sharing.services import revoke_view
from referrals import policy as referral_policy
from referrals import services as referral_services
from referrals.models import InformationRequest, Referral, RequestStatus
from referrals.requests.services.common import event, locked_request, researchers


def _advance_if_all_answered(referral: Referral, now) -> None:
    """When no request is still open and at least one was answered, the referral is ready for the
    threshold decision: the system moves it (referral_all_partners_answered)."""
    if referral_services.partners_all_answered(referral):
        referral_services.referral_all_partners_answered(referral=referral, at=now)


@transaction.atomic
def information_request_withdraw(*, request: InformationRequest, by, reason: str) -> InformationRequest:
    """Withdraw a request: the agency loses sight of it (and of the referral, unless asked again)."""
    request = locked_request(request)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may withdraw a request.")
    if request.status == RequestStatus.WITHDRAWN:
        raise ValidationError("This request has already been withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is withdrawn."})
    now = timezone.now()
    bump(
        request,
        status=RequestStatus.WITHDRAWN,
        withdrawn_at=now,
        withdrawn_by=by,
        withdrawal_reason=reason.strip(),
    )
    clock_stop(clock=request.clock, stopped_at=now)
    referral = request.referral
    revoke_view(obj=request, agency=request.agency)
    if (
        not referral.information_requests.filter(agency=request.agency)
        .exclude(status=RequestStatus.WITHDRAWN)
        .exists()
    ):
        revoke_view(obj=referral, agency=request.agency)
    # A person's grant is shared by every referral they are in: keep it while the agency is still
    # asked (a live request) about any referral naming them.
    still_asked = set(
        InformationRequest.objects.filter(agency=request.agency)
        .exclude(status=RequestStatus.WITHDRAWN)
        .values_list("referral__subjects__person_id", flat=True)
    )
    for link in referral.subjects.select_related("person"):
        if link.person_id not in still_asked:
            revoke_view(obj=link.person, agency=request.agency)
    event(referral, by=by, note=f"Request to {request.agency.name} withdrawn: {reason.strip()}")
    _advance_if_all_answered(Referral.objects.select_for_update().get(pk=referral.pk), now)
    notify(
        recipients=researchers(request.agency_id),
        event="information_request.withdrawn",
        idempotency_key=f"information_request:{request.pk}:withdrawn",
        title=f"Request withdrawn: {referral.reference}",
        body=f"The MASH no longer needs {request.agency.name}'s answer.",
        detail=f"Reason: {reason.strip()}",
        url="/inbox/",
        subject=request,
    )
    request.refresh_from_db()
    return request
