"""The disclosure schemes' clocks on the timeliness dashboard (mash/measures/timeliness.py): the
decision (Clare's Law in 28 days, Sarah's Law in 45, one clock kind told apart by its length), the
initial risk checks (24 hours) and Sarah's Law's interview (10 days). A withdrawn application's clocks
stop at the withdrawal with no work to time: they are left out."""

from django.db.models import Q

from disclosures.models import Application, Outcome
from disclosures.services.intake import CLARES_LAW_DAYS, CLOCK, SARAHS_LAW_DAYS
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.tables import DAYS, HOURS

INITIAL_CHECKS = "disclosure initial risk checks"
INTERVIEW = "disclosure interview"


def _withdrawn(field: str):
    def void() -> Q:
        withdrawn = Application.objects.filter(outcome=Outcome.WITHDRAWN, **{f"{field}__isnull": False})
        return Q(pk__in=withdrawn.values(field))

    return void


register_clock_kind(
    CLOCK,
    "Disclosure decision",
    DAYS,
    order=60,
    variants={
        CLARES_LAW_DAYS: f"Clare's Law decision ({CLARES_LAW_DAYS} days)",
        SARAHS_LAW_DAYS: f"Sarah's Law decision ({SARAHS_LAW_DAYS} days)",
    },
    void=_withdrawn("clock"),
)
register_clock_kind(
    INITIAL_CHECKS,
    "Disclosure initial risk checks (24 hours)",
    HOURS,
    order=55,
    void=_withdrawn("initial_check_clock"),
)
register_clock_kind(
    INTERVIEW, "Sarah's Law interview (10 days)", DAYS, order=65, void=_withdrawn("meeting_clock")
)
