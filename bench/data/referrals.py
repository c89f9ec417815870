"""The benchmark's referrals over the years (the recent ones still open, across the states), with their
decision clocks, subjects, first timeline event and RAG ratings; and the consultations (advice calls)."""

from datetime import timedelta

from bench.data.build import Build
from bench.data.bulk import copy_rows, working_due
from bench.data.reference import FAMILY, GIVEN, NOT_SOUGHT, NOW, YEARS
from mash.clocks.models import Clock, ClockBasis
from referrals.models import (
    Channel,
    Concern,
    Consent,
    Consultation,
    EventKind,
    Outcome,
    Rag,
    RagRating,
    Referral,
    ReferralKind,
    ReferralSubject,
    State,
    SubjectRole,
    TimelineEvent,
)


def make_referrals(build: Build, total: int) -> None:
    rng = build.rng
    span = timedelta(days=365 * YEARS)
    first = NOW - span
    open_states = [
        (State.RECEIVED, 10),
        (State.SCREENING, 15),
        (State.INFORMATION_GATHERING, 30),
        (State.AWAITING_THRESHOLD_DECISION, 15),
        (State.STRATEGY_DISCUSSION, 5),
        (State.DECIDED, 15),
        (State.CLOSED, 15),
    ]
    concerns = [c for c in Concern.values]
    clocks, referrals, subjects, timeline, ratings = [], [], [], [], []
    build.referral_rows = []  # (id, state, rag, received_at, decided_at, [person ids])
    build.strategy_rows = []  # (id, threshold decided at, rag): sent to a strategy discussion
    subject_id = 0
    for i in range(1, total + 1):
        received = first + span * (i / total) - timedelta(minutes=rng.randint(0, 90))
        age = NOW - received
        if age > timedelta(days=build.open_days):
            state = State.CLOSED
        else:
            state = rng.choices([s for s, _ in open_states], [w for _, w in open_states])[0]
        kind = ReferralKind.CHILD if rng.random() < 0.8 else ReferralKind.ADULT
        rated = state not in (State.RECEIVED,)
        rag = rng.choices([Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE], [15, 45, 35, 5])[0] if rated else ""
        decided = state in (State.DECIDED, State.CLOSED)
        due = working_due(received, 24)
        decided_at = received + timedelta(hours=rng.uniform(2, 30)) if decided else None
        # A threshold decision that a strategy discussion is required stops the decision clock.
        stopped = decided_at or (
            received + timedelta(hours=rng.uniform(2, 30)) if state == State.STRATEGY_DISCUSSION else None
        )
        if state == State.STRATEGY_DISCUSSION:
            build.strategy_rows.append((i, stopped, rag))
        clocks.append(
            {
                "id": i,
                "created_at": received,
                "updated_at": received,
                "kind": "referral decision",
                "basis": ClockBasis.WORKING_DAYS,
                "amount": 1,
                "started_at": received,
                "due_at": due,
                "stopped_at": stopped,
                "breached_at": stopped if stopped and stopped > due else None,
            }
        )
        outcomes = (
            [
                Outcome.NO_FURTHER_ACTION,
                Outcome.INFORMATION_AND_ADVICE,
                Outcome.EARLY_HELP,
                Outcome.CHILD_AND_FAMILY_ASSESSMENT,
            ]
            if kind == ReferralKind.CHILD
            else [Outcome.SECTION_42_ENQUIRY, Outcome.OTHER_ENQUIRY, Outcome.NO_FURTHER_ACTION]
        )
        outcome = rng.choice(outcomes) if decided else ""
        assignee = rng.choice(build.practitioners) if state != State.RECEIVED else None
        consent = rng.choice(Consent.values)
        referrals.append(
            {
                "id": i,
                "created_at": received,
                "updated_at": decided_at or received,
                "reference": f"MASH-{received.year}-{i:06d}",
                "kind": kind,
                "received_at": received,
                "channel": rng.choice([Channel.PHONE, Channel.EMAIL, Channel.MARF, Channel.MARF]),
                "referrer_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "referrer_organisation": rng.choice(["St Mary's Primary", "Bench Police", "GP surgery"]),
                "referrer_role": "Designated safeguarding lead",
                "referrer_email": "referrer@example.invalid",
                "concerns": rng.sample(concerns, rng.randint(1, 3)),
                "account": "The referrer describes the concern in their own words. " * 4,
                "consent": consent,
                "consent_reason": "" if consent in ("given", "refused") else NOT_SOUGHT,
                "state": state,
                "rag": rag,
                "rag_rationale": f"Rated {rag} on the information at screening." if rag else "",
                "assigned_to": assignee,
                "recorded_by": rng.choice(build.practitioners),
                "decision_clock": i,
                "decision_due_at": due,
                "outcome": outcome,
                "outcome_rationale": "Decided on the information gathered." if outcome else "",
                "outcome_at": decided_at,
                "outcome_by": rng.choice(build.deciders) if decided else None,
                "closed_at": decided_at + timedelta(hours=2) if state == State.CLOSED else None,
                "version": 3,
            }
        )
        people = rng.sample(range(1, build.people + 1), rng.choice((1, 1, 2, 2, 3, 4)))
        for n, person in enumerate(people):
            subject_id += 1
            role = SubjectRole.SUBJECT if n == 0 else rng.choice(SubjectRole.values[1:])
            subjects.append({"id": subject_id, "referral": i, "person": person, "role": role})
        timeline.append(
            {"referral": i, "at": received, "by": None, "kind": EventKind.RECEIVED, "note": "Received"}
        )
        if rag:
            ratings.append(
                {"referral": i, "rating": rag, "rationale": "Screening.", "at": received, "by": assignee}
            )
        build.referral_rows.append((i, state, rag, received, decided_at, people))
    copy_rows(Clock, clocks)
    build.next_clock = total + 1
    copy_rows(Referral, referrals, columns=None)
    copy_rows(ReferralSubject, subjects)
    copy_rows(TimelineEvent, ({k: v for k, v in t.items()} for t in timeline), columns=None)
    copy_rows(RagRating, ratings)


def make_consultations(build: Build) -> None:
    """Calls to the MASH asking for advice: one for every ten referrals, over the same years."""
    rng = build.rng
    span = timedelta(days=365 * YEARS)
    first = NOW - span
    total = len(build.referral_rows) // 10
    copy_rows(
        Consultation,
        (
            {
                "created_at": at,
                "updated_at": at,
                "called_at": at,
                "caller_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "caller_organisation": rng.choice(["St Mary's Primary", "Health visiting", "Nursery"]),
                "person": rng.randint(1, build.people) if rng.random() < 0.5 else None,
                "anonymous_description": "child, 8",
                "question": "Does this meet the threshold for a referral?",
                "advice": "Speak to the family first and consider early help.",
                "referral_advised": rng.random() < 0.3,
                "logged_by": rng.choice(build.practitioners),
            }
            for at in (first + span * (n / total) for n in range(1, total + 1))
        ),
    )
