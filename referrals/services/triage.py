"""Triage: the simple moves along the flow, the system's move when every partner has answered, RAG
ratings and assignment."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.common.errors import RoleRefused
from mash.common.versioning import lock_for_change, save_change
from referrals import policy as referral_policy
from referrals.models import EventKind, RagRating, Referral, RequestStatus, State
from referrals.services.transitions import NOTE_REQUIRED, SIMPLE_TRANSITIONS, make_move, timeline_add

RATEABLE_STATES = {State.SCREENING, State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION}


@transaction.atomic
def referral_transition(
    *, referral: Referral, by, to_state: str, note: str = "", expected_version: int | None = None
) -> Referral:
    """Move a referral along one of the simple transitions (see TRANSITIONS)."""
    referral = lock_for_change(referral, expected_version)
    move = (referral.state, to_state)
    if move not in SIMPLE_TRANSITIONS:
        raise ValidationError(
            {
                "to_state": f"A referral cannot move from {State(referral.state).label.lower()} to "
                + (State(to_state).label.lower() if to_state in State.values else repr(to_state))
                + "."
            }
        )
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may move a referral.")
    if move in NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": "Say why no partner information is needed."})
    if (
        move == (State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION)
        and referral.information_requests.filter(status="open").exists()
        and not note.strip()
    ):
        raise ValidationError(
            {"note": "Some agencies have not answered yet: say why the decision cannot wait."}
        )
    if to_state == State.INFORMATION_GATHERING and not referral.rag:
        raise ValidationError({"to_state": "RAG-rate the referral before asking partners for information."})
    fields = ()
    if move == (State.RECEIVED, State.SCREENING) and referral.assigned_to_id is None:
        referral.assigned_to = by
        fields = ("assigned_to",)
    make_move(referral, to_state, by=by, service="referral_transition", fields=fields, note=note)
    return referral


def partners_all_answered(referral: Referral) -> bool:
    """Whether a referral gathering information has no request still open and at least one answered."""
    requests = referral.information_requests
    return (
        referral.state == State.INFORMATION_GATHERING
        and not requests.filter(status=RequestStatus.OPEN).exists()
        and requests.filter(status=RequestStatus.ANSWERED).exists()
    )


@transaction.atomic
def referral_all_partners_answered(*, referral: Referral, at: datetime | None = None) -> Referral:
    """The system's move (by no one): every partner agency asked has answered (or been withdrawn, with
    one answer at least), so the referral is ready for the threshold decision."""
    referral = lock_for_change(referral)
    if not partners_all_answered(referral):
        raise ValidationError("The referral is not waiting for partner agencies that have all answered.")
    make_move(
        referral,
        State.AWAITING_THRESHOLD_DECISION,
        by=None,
        service="referral_all_partners_answered",
        note="Every partner agency has answered",
        at=at,
    )
    return referral


@transaction.atomic
def referral_rate(
    *, referral: Referral, by, rating: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """RAG-rate (or re-rate) a referral. Every rating keeps the one before and needs a rationale."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may RAG-rate a referral.")
    if referral.state not in RATEABLE_STATES:
        raise ValidationError(f"A {State(referral.state).label.lower()} referral cannot be RAG-rated.")
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale for this rating."})
    if rating == referral.rag:
        raise ValidationError({"rating": f"The referral is already rated {referral.get_rag_display()}."})
    previous = referral.rag
    referral.rag, referral.rag_rationale = rating, rationale.strip()
    save_change(referral, ["rag", "rag_rationale"])
    RagRating.objects.create(
        referral=referral,
        rating=rating,
        previous=previous,
        rationale=rationale.strip(),
        at=timezone.now(),
        by=by,
    )
    label = referral.get_rag_display()
    timeline_add(
        referral,
        by=by,
        kind=EventKind.RAG,
        note=(
            f"Re-rated {Referral(rag=previous).get_rag_display()} to {label}"
            if previous
            else f"Rated {label}"
        )
        + f": {rationale.strip()}",
    )
    return referral


@transaction.atomic
def referral_assign(*, referral: Referral, by, assignee, expected_version: int | None = None) -> Referral:
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may assign referrals.")
    if assignee is not None and not referral_policy.may_triage(actor_for(assignee)):
        raise ValidationError(
            {"assignee": "Assign the referral to a triage practitioner of the lead agency."}
        )
    referral.assigned_to = assignee
    save_change(referral, ["assigned_to"])
    timeline_add(
        referral,
        by=by,
        kind=EventKind.ASSIGNED,
        note=f"Assigned to {assignee.get_full_name() or assignee}" if assignee else "Unassigned",
    )
    return referral
