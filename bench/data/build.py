"""What one part of the benchmark's build leaves for the parts after it."""

import random
from dataclasses import dataclass, field


@dataclass
class Build:
    rng: random.Random
    open_days: int  # referrals younger than this are still open
    agencies: list = field(default_factory=list)  # the 20 Agency rows, each with its .weight of being asked
    lead: object = None
    partners: list = field(default_factory=list)  # every agency but the lead
    users_by: dict = field(default_factory=dict)  # (agency pk, role) -> user pks
    practitioners: list = field(default_factory=list)  # the lead's triage practitioners (pks)
    deciders: list = field(default_factory=list)  # the lead's decision makers (pks)
    people: int = 0  # people made (their ids are 1..people)
    # (id, state, rag, received_at, decided_at, [person ids]) of every referral
    referral_rows: list = field(default_factory=list)
    strategy_rows: list = field(default_factory=list)  # (id, threshold decided at, rag)
    next_clock: int = 1  # the next free Clock id
