"""The threshold decisions of the referrals waiting for their strategy discussion, with their clocks."""

from bench.data.build import Build
from bench.data.bulk import copy_rows, working_due
from mash.clocks.models import Clock, ClockBasis
from referrals.models import Rag
from strategy.models import ThresholdDecision


def make_threshold_decisions(build: Build) -> None:
    rng = build.rng
    deciders = build.deciders
    clocks, decisions = [], []
    clock_id = build.next_clock
    for referral_id, decided_at, rag in build.strategy_rows:
        # Red: by the end of the same working day; otherwise one working day (StrategyTimescale).
        red = rag == Rag.RED
        clocks.append(
            {
                "id": clock_id,
                "created_at": decided_at,
                "updated_at": decided_at,
                "kind": "strategy discussion",
                "basis": ClockBasis.END_OF_WORKING_DAY if red else ClockBasis.WORKING_DAYS,
                "amount": 0 if red else 1,
                "started_at": decided_at,
                "due_at": working_due(decided_at, 6 if red else 24),
            }
        )
        decisions.append(
            {
                "created_at": decided_at,
                "updated_at": decided_at,
                "referral": referral_id,
                "required": True,
                "rationale": "Reasonable cause to suspect significant harm: a discussion is needed.",
                "information_relied_on": "The partner agencies' answers.",
                "decided_by": rng.choice(deciders),
                "decided_at": decided_at,
                "strategy_clock": clock_id,
            }
        )
        clock_id += 1
    copy_rows(Clock, clocks)
    copy_rows(ThresholdDecision, decisions)
