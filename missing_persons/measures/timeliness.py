"""Return home interviews on the timeliness dashboard (docs/measures.md, 'Timeliness'): offered within
72 hours of a child's return, in the table of every deadline and by the agency that holds each one."""

from mash.measures.clock_kinds import register_clock_kind
from mash.measures.tables import HOURS
from missing_persons.services.episodes import INTERVIEW_CLOCK, INTERVIEW_HOURS

register_clock_kind(INTERVIEW_CLOCK, f"Return home interview ({INTERVIEW_HOURS} hours)", HOURS, order=50)
