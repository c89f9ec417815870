"""A referral's states: the allowed moves (TRANSITIONS), each naming the services that make it, and the
one step that makes a move (make_move), used by every service that changes a referral's state. The
timeline is written here too (timeline_add, also used by the strategy app)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.versioning import save_change
from referrals.models import EventKind, Referral, State, TimelineEvent


@dataclass(frozen=True)
class Move:
    """One allowed move of a referral's state: what it means (the timeline's note when the service gives
    none) and the services that make it (by name: each is exported by referrals.services)."""

    note: str
    services: tuple[str, ...]


# The allowed transitions, in one place: (from, to) -> what the move means and which services make it.
# Every change of state goes through make_move(), which refuses a move, or a service, not named here.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (State.RECEIVED, State.SCREENING): Move("Screening started", ("referral_transition",)),
    (State.SCREENING, State.INFORMATION_GATHERING): Move(
        "Partner information requested", ("referral_transition",)
    ),
    (State.SCREENING, State.AWAITING_THRESHOLD_DECISION): Move(
        "Ready for decision without partner information", ("referral_transition",)
    ),
    (State.INFORMATION_GATHERING, State.AWAITING_THRESHOLD_DECISION): Move(
        "Information collated", ("referral_transition", "referral_all_partners_answered")
    ),
    (State.SCREENING, State.DECIDED): Move("Outcome recorded at screening", ("referral_record_outcome",)),
    (State.AWAITING_THRESHOLD_DECISION, State.DECIDED): Move(
        "Outcome recorded", ("referral_record_outcome",)
    ),
    (State.AWAITING_THRESHOLD_DECISION, State.STRATEGY_DISCUSSION): Move(
        "Strategy discussion required", ("referral_refer_to_strategy",)
    ),
    (State.STRATEGY_DISCUSSION, State.DECIDED): Move(
        "Decided at the strategy discussion", ("referral_record_strategy_outcome",)
    ),
    (State.DECIDED, State.CLOSED): Move("Closed", ("referral_close",)),
    (State.CLOSED, State.SCREENING): Move("Reopened", ("referral_reopen",)),
}
# Moves made by referral_transition(); the others carry more than a note and have their own service.
SIMPLE_TRANSITIONS = {move for move, row in TRANSITIONS.items() if "referral_transition" in row.services}
# Where a decision maker records the outcome by hand; from a strategy discussion the signed-off record
# sets it (referral_record_strategy_outcome), so the referral page does not offer it there.
MANUAL_OUTCOME_FROM = {
    from_state for (from_state, _), row in TRANSITIONS.items() if "referral_record_outcome" in row.services
}
# Moves that need a written reason.
NOTE_REQUIRED = {(State.SCREENING, State.AWAITING_THRESHOLD_DECISION)}


def allowed_next_states(state: str) -> list[str]:
    """The simple moves open from ``state``, in the order of the flow."""
    return [to for to in State.values if (state, to) in SIMPLE_TRANSITIONS]


def timeline_add(referral, *, by, kind, note="", from_state="", to_state="", at=None) -> TimelineEvent:
    """Add an event to a referral's timeline (also used by the strategy app)."""
    return TimelineEvent.objects.create(
        referral=referral,
        at=at or timezone.now(),
        by=by,
        kind=kind,
        note=note,
        from_state=from_state,
        to_state=to_state,
    )


def make_move(
    referral: Referral,
    to_state: str,
    *,
    by,
    service: str,
    fields: tuple[str, ...] = (),
    kind: str = EventKind.TRANSITION,
    note: str = "",
    at: datetime | None = None,
) -> TimelineEvent:
    """The one step that changes a referral's state, for every service that does: the move must be one
    of TRANSITIONS and ``service`` one of the services its row names. Sets the state, saves it (with
    the other changed ``fields``) validated and with the version bumped, and writes the timeline event,
    with the move's meaning from TRANSITIONS unless a ``note`` is given. The referral is locked by the
    caller (lock_for_change), which has already refused, in the user's words, what it does not allow."""
    from_state = referral.state
    row = TRANSITIONS.get((from_state, to_state))
    if row is None or service not in row.services:
        raise ValidationError(
            f"{service} cannot move a referral from {State(from_state).label.lower()} to "
            + (State(to_state).label.lower() if to_state in State.values else repr(to_state))
            + "."
        )
    referral.state = to_state
    save_change(referral, ["state", *fields])
    return timeline_add(
        referral,
        by=by,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note.strip() or row.note,
        at=at,
    )
