"""The MASH decision: the outcome (by hand, or from a strategy discussion's signed-off record), the
referral to a strategy discussion, closing with feedback to the referrer, and reopening."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.selectors import actor_for
from mash.clocks.models import ClockBasis
from mash.clocks.services import clock_start, clock_stop
from mash.common.dates import format_date
from mash.common.errors import RoleRefused
from mash.common.versioning import lock_for_change
from mash.notifications.services import notify_address
from referrals import policy as referral_policy
from referrals.models import ADULT_OUTCOMES, CHILD_OUTCOMES, EventKind, Referral, ReferralKind, State
from referrals.services.intake import DECISION_CLOCK, DECISION_WORKING_DAYS
from referrals.services.transitions import MANUAL_OUTCOME_FROM, TRANSITIONS, make_move, timeline_add


def outcomes_for(kind: str) -> tuple:
    return ADULT_OUTCOMES if kind == ReferralKind.ADULT else CHILD_OUTCOMES


def _decide(referral: Referral, *, by, outcome: str, rationale: str, service: str) -> None:
    """Record the outcome on a locked referral that may take it: the move to decided, and the decision
    clock stops."""
    if outcome not in outcomes_for(referral.kind):
        raise ValidationError(
            {
                "outcome": "Choose one of the outcomes for "
                f"{'an adult' if referral.kind == ReferralKind.ADULT else 'a child'} referral."
            }
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale for the outcome."})
    now = timezone.now()
    referral.outcome, referral.outcome_rationale = outcome, rationale.strip()
    referral.outcome_at, referral.outcome_by = now, by
    make_move(
        referral,
        State.DECIDED,
        by=by,
        service=service,
        fields=("outcome", "outcome_rationale", "outcome_at", "outcome_by"),
        kind=EventKind.OUTCOME,
        note=f"{referral.get_outcome_display()}: {rationale.strip()}",
    )
    clock_stop(clock=referral.decision_clock, stopped_at=now)


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, by, outcome: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """The MASH decision: the outcome and its rationale. Stops the decision clock.

    A referral at a strategy discussion gets its outcome when the discussion's record is signed off
    (referral_record_strategy_outcome), never by hand.
    """
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_decide_outcome(actor_for(by)):
        raise RoleRefused("Only the lead agency's decision makers may record the outcome.")
    if referral.state not in MANUAL_OUTCOME_FROM:
        if referral.state == State.STRATEGY_DISCUSSION:
            raise ValidationError(
                "This referral is at a strategy discussion: its outcome is recorded when the "
                "discussion's record is signed off."
            )
        raise ValidationError(
            f"An outcome cannot be recorded on a {State(referral.state).label.lower()} referral."
        )
    _decide(referral, by=by, outcome=outcome, rationale=rationale, service="referral_record_outcome")
    return referral


@transaction.atomic
def referral_record_strategy_outcome(
    *, referral: Referral, by, outcome: str, rationale: str, expected_version: int | None = None
) -> Referral:
    """The outcome set by a strategy discussion's signed-off record (strategy.services). Who may sign
    off is the strategy policy's rule, checked there: the signing chair may be a police decision maker."""
    referral = lock_for_change(referral, expected_version)
    if referral.state != State.STRATEGY_DISCUSSION:
        raise ValidationError(
            f"A {State(referral.state).label.lower()} referral is not at a strategy discussion: "
            "no discussion's record can decide it."
        )
    _decide(referral, by=by, outcome=outcome, rationale=rationale, service="referral_record_strategy_outcome")
    return referral


FEEDBACK_EXPLANATIONS = {
    "nfa": "The MASH has decided that no further action is needed from children's or adult services "
    "at this time.",
    "information_advice": "The MASH has given information and advice; no further statutory action is "
    "planned.",
    "early_help": "The family will be offered early help support.",
    "s17_assessment": "A social worker will carry out a child and family assessment.",
    "strategy_discussion": "A strategy discussion will be held with partner agencies.",
    "immediate_protection": "Action has been taken to protect the child immediately.",
    "s42_enquiry": "An enquiry under section 42 of the Care Act 2014 will be made.",
    "other_enquiry": "A safeguarding enquiry will be made.",
}


def feedback_message(referral: Referral) -> tuple[str, str]:
    """The referrer's feedback, composed from the outcome. It names no subject: e-mail is not secure."""
    subject = f"Your referral {referral.reference}"
    body = (
        f"Dear {referral.referrer_name},\n\n"
        f"Thank you for your referral {referral.reference}, received on "
        f"{format_date(referral.received_at)}.\n\n"
        f"{FEEDBACK_EXPLANATIONS[referral.outcome]}\n\n"
        "If you have new concerns, or think this decision is wrong, please call the MASH and quote the "
        "reference.\n\n"
        "MASH triage team"
    )
    return subject, body


@transaction.atomic
def referral_close(
    *, referral: Referral, by, feedback_note: str = "", expected_version: int | None = None
) -> Referral:
    """Close a decided referral and tell the referrer: by e-mail through the outbox when we have their
    address, otherwise the practitioner records how they were told."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)) and not referral_policy.may_decide_outcome(
        actor_for(by)
    ):
        raise RoleRefused("Only the lead agency's triage team may close a referral.")
    if (referral.state, State.CLOSED) not in TRANSITIONS:
        raise ValidationError(
            f"Only a decided referral can be closed; this one is {State(referral.state).label.lower()}."
        )
    if not referral.referrer_email and not feedback_note.strip():
        raise ValidationError(
            {
                "feedback_note": "There is no e-mail address for the referrer: say how they were told "
                "the outcome."
            }
        )
    now = timezone.now()
    if referral.referrer_email:
        title, body = feedback_message(referral)
        notify_address(
            address=referral.referrer_email,
            event="referral.feedback",
            idempotency_key=f"referral:{referral.pk}:feedback:{referral.version}",
            title=title,
            body=body,
            subject=referral,
        )
        timeline_add(
            referral,
            by=by,
            kind=EventKind.FEEDBACK,
            at=now,
            note=f"E-mailed to {referral.referrer_email}:\n\n{body}",
        )
    else:
        timeline_add(referral, by=by, kind=EventKind.FEEDBACK, at=now, note=feedback_note.strip())
    referral.closed_at = now
    make_move(referral, State.CLOSED, by=by, service="referral_close", fields=("closed_at",), at=now)
    return referral


@transaction.atomic
def referral_refer_to_strategy(*, referral: Referral, by, note: str, expected_version: int | None = None):
    """A Strategy Threshold Decision says a strategy discussion is required: the referral waits for it.
    The decision on next steps is made, so the referral's decision clock stops."""
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_decide_outcome(actor_for(by)):
        raise RoleRefused("Only the lead agency's decision makers may make the threshold decision.")
    if referral.state != State.AWAITING_THRESHOLD_DECISION:
        raise ValidationError(
            f"A {State(referral.state).label.lower()} referral is not awaiting a threshold decision."
        )
    now = timezone.now()
    make_move(
        referral, State.STRATEGY_DISCUSSION, by=by, service="referral_refer_to_strategy", note=note, at=now
    )
    clock_stop(clock=referral.decision_clock, stopped_at=now)
    return referral


@transaction.atomic
def referral_reopen(*, referral: Referral, by, reason: str, expected_version: int | None = None) -> Referral:
    referral = lock_for_change(referral, expected_version)
    if not referral_policy.may_triage(actor_for(by)):
        raise RoleRefused("Only the lead agency's triage practitioners may reopen a referral.")
    if referral.state != State.CLOSED:
        raise ValidationError("Only a closed referral can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is being reopened."})
    referral.closed_at = None
    referral.outcome, referral.outcome_rationale, referral.outcome_at, referral.outcome_by = (
        "",
        "",
        None,
        None,
    )
    # A reopened referral needs a new decision, on a new one-working-day clock from now.
    referral.decision_clock = clock_start(
        kind=DECISION_CLOCK, basis=ClockBasis.WORKING_DAYS, amount=DECISION_WORKING_DAYS
    )
    referral.decision_due_at = referral.decision_clock.due_at
    make_move(
        referral,
        State.SCREENING,
        by=by,
        service="referral_reopen",
        fields=(
            "closed_at",
            "outcome",
            "outcome_rationale",
            "outcome_at",
            "outcome_by",
            "decision_clock",
            "decision_due_at",
        ),
        kind=EventKind.REOPENED,
        note=reason.strip(),
    )
    return referral
