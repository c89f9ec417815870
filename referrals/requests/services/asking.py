"""Asking partner agencies about a referral: one request per agency, due by the referral's RAG clock
(the fan-out), each agency granted sight of its own request, the referral's summary and its subjects."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for
from mash.clocks.services import clock_start
from mash.common.dates import format_datetime
from mash.common.errors import RoleRefused
from mash.common.versioning import bump, lock_for_change
from mash.notifications.services import notify
from mash.sharing.services import grant_view
from referrals import policy as referral_policy
from referrals.models import InformationRequest, Rag, RagTimescale, Referral, RequestStatus, State
from referrals.requests.services.common import event, request_url, researchers
from referrals.signals import agencies_asked

REQUEST_CLOCK = "partner information"
DEFAULT_TIMESCALES = {
    Rag.RED: ("working_hours", 4),
    Rag.AMBER: ("working_days", 1),
    Rag.GREEN: ("working_days", 3),
}


def timescale_for(rag: str) -> tuple[str, int]:
    row = RagTimescale.objects.filter(rag=rag).first()
    if row is not None:
        return row.basis, row.amount
    return DEFAULT_TIMESCALES[rag]


@dataclass
class RequestInput:
    agency: Agency
    questions: str


@transaction.atomic
def information_requests_send(
    *, referral: Referral, by, requests: list[RequestInput], expected_version: int | None = None
) -> list[InformationRequest]:
    """Ask partner agencies about a referral: one request per agency, due by the referral's RAG clock.

    Each agency's group is granted sight of its own request, the referral's summary and its subjects,
    and nothing else; every researcher of the agency is notified after commit.
    """
    referral = lock_for_change(referral, expected_version, stale=lambda r: r.stale(then="Reload the page."))
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may ask partner agencies.")
    if referral.state != State.INFORMATION_GATHERING:
        raise ValidationError("Move the referral to information gathering before asking partner agencies.")
    if referral.rag in ("", Rag.BLUE):
        raise ValidationError("A referral rated Blue (not shared), or not rated, cannot be sent to partners.")
    if not requests:
        raise ValidationError({"agencies": "Choose at least one agency to ask."})
    seen = set()
    for index, item in enumerate(requests):
        if item.agency.is_lead or not item.agency.is_active:
            raise ValidationError(
                {"agencies": f"{item.agency} cannot be asked: it is the lead agency or inactive."}
            )
        if item.agency.pk in seen:
            raise ValidationError({"agencies": f"{item.agency} is chosen twice."})
        seen.add(item.agency.pk)
        if not item.questions.strip():
            raise ValidationError({f"questions-{index}": f"Write what {item.agency} should answer."})
    live = set(
        referral.information_requests.exclude(status=RequestStatus.WITHDRAWN).values_list(
            "agency_id", flat=True
        )
    )
    already = [item.agency.name for item in requests if item.agency.pk in live]
    if already:
        raise ValidationError({"agencies": f"Already asked: {', '.join(already)}."})

    basis, amount = timescale_for(referral.rag)
    now = timezone.now()
    subjects = [link.person for link in referral.subjects.select_related("person")]
    sent = []
    for item in requests:
        clock = clock_start(kind=REQUEST_CLOCK, basis=basis, amount=amount, started_at=now)
        request = InformationRequest(
            referral=referral,
            agency=item.agency,
            questions=item.questions.strip(),
            clock=clock,
            due_at=clock.due_at,
            sent_by=by,
            sent_at=now,
        )
        request.full_clean()
        request.save()
        grant_view(obj=request, agency=item.agency)
        grant_view(obj=referral, agency=item.agency)
        for person in subjects:
            grant_view(obj=person, agency=item.agency)
        notify(
            recipients=researchers(item.agency.pk),
            event="information_request.sent",
            idempotency_key=f"information_request:{request.pk}:sent",
            title=f"Information requested: {referral.reference} ({referral.get_rag_display()})",
            body=f"The MASH asks {item.agency.name} about referral {referral.reference}. "
            f"Answer by {format_datetime(clock.due_at)}.",
            url=request_url(request),
            subject=request,
        )
        sent.append(request)
    event(referral, by=by, note="Information requested from " + ", ".join(r.agency.name for r in sent))
    agencies_asked.send(sender=Referral, referral=referral, agencies=[r.agency for r in sent])
    bump(referral)
    return sent
