"""Strategy's deadlines on the timeliness dashboard (docs/measures.md, 'Timeliness'): the strategy
discussion (by the referral's RAG timescale) and the initial child protection conference (15 working
days) in the table of every deadline; the actions agreed, by the agency that owns them."""

from mash.measures.clock_kinds import register_clock_kind
from mash.measures.tables import DAYS, HOURS
from strategy.services.record import CONFERENCE_CLOCK
from strategy.services.threshold import STRATEGY_CLOCK

register_clock_kind(STRATEGY_CLOCK, "Strategy discussion (by RAG timescale)", HOURS, order=30)
register_clock_kind(CONFERENCE_CLOCK, "Initial child protection conference (15 working days)", DAYS, order=40)
