"""Helpers of the strategy tests."""

from strategy import services
from strategy.models import Decision


def every_child(discussion, decision, rationale="", *, others=Decision.NO_FURTHER_ACTION):
    """A decision for each child the discussion decides about (services.decided_for), as its page asks:
    ``decision`` for the first (the referral's subject), ``others`` for the rest (a sibling)."""
    return [
        services.DecisionInput(person=child, decision=decision if n == 0 else others, rationale=rationale)
        for n, child in enumerate(services.subjects_of(discussion))
    ]
