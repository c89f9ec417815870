"""Referral decisions on the timeliness dashboard (docs/measures.md, 'Timeliness'): each referral's
decision clock (one working day from receipt) due in the period, by the referral's RAG rating; the late,
due today and overdue counts list the referrals (``referral_list_for``: what the viewer may see)."""

from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import aggregates, clock_tables, drilling
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.registry import TIMELINESS, Drill, Measure, Query, register
from mash.measures.tables import HOURS, TEXT, Column, Table
from mash.measures.timeliness import FIGURES, drill_params, figure_filter, narrowed
from referrals.models import Rag, Referral
from referrals.selectors import referral_list_for
from referrals.services.intake import DECISION_CLOCK

KEY = "referrals-timeliness-decision"
NOT_RATED = "Not rated"
RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _rag(text: str) -> str:
    return "" if text == "none" else Rag(text)


def build(query: Query) -> list:
    referrals = Referral.objects.using(query.db)
    found = clock_tables.grouped(query, referrals, "rag", clock="decision_clock")
    table = Table(
        "timeliness-decision-rag",
        "Referral decisions (one working day) by RAG rating",
        clock_tables.columns(
            Column("rag", "RAG rating", TEXT),
            unit=HOURS,
            met="Decided on time",
            breached="Decided late or overdue",
            taken="Median time to decide",
        ),
        caption="Each referral's decision clock due in the period, by its RAG rating.",
        total=clock_tables.line("Every referral", found.total, found.total_times, HOURS),
    )
    for rag in [r for r in [*RAGS, ""] if r in found.figures]:
        figures = found.figures[rag]
        if query.viewer.may_drill:
            for figure in ("breached", "due_today", "overdue"):
                if figures.get(figure):
                    table.links[(len(table.rows), figure)] = query.drill_url(
                        KEY, figure=figure, rag=rag or "none"
                    )
        label = Rag(rag).label if rag else NOT_RATED
        table.rows.append(clock_tables.line(label, figures, found.times.get(rag), HOURS))
    return [table]


def drill(query: Query, params: dict) -> Drill:
    values = drill_params(params, {"rag": _rag, "month": str})
    query = narrowed(query, values)
    referrals = referral_list_for(query.user).filter(
        figure_filter(query, values["figure"], "decision_clock__")
    )
    if "rag" in values:
        referrals = referrals.filter(rag=values["rag"])
    total = referrals.count()
    records = list(referrals.order_by("decision_clock__due_at", "pk")[: drilling.CAP])
    table = Table(
        "timeliness-decision-records",
        f"Referral decisions {FIGURES[values['figure']]}",
        [
            Column("referral", "Referral", TEXT),
            Column("rag", "RAG rating", TEXT),
            Column("received", "Received", TEXT),
            Column("due", "Decision due", TEXT),
            Column("decided", "Decided", TEXT),
            Column("late", "Hours late", HOURS),
        ],
        caption=drilling.capped_caption(total, "referrals"),
    )
    for index, referral in enumerate(records):
        clock = referral.decision_clock
        end = clock.stopped_at or query.now
        table.rows.append(
            [
                referral.reference,
                referral.get_rag_display() or NOT_RATED,
                format_datetime(referral.received_at),
                format_datetime(clock.due_at),
                format_datetime(clock.stopped_at) if clock.stopped_at else "Not yet",
                aggregates.in_hours(max((end - clock.due_at).total_seconds(), 0)),
            ]
        )
        table.links[(index, "referral")] = reverse("referrals:detail", args=[referral.pk])
    return Drill(table, records)


register_clock_kind(DECISION_CLOCK, "Referral decision (one working day)", HOURS, order=10, drill=KEY)
register(
    Measure(
        KEY,
        TIMELINESS.key,
        "Referral decisions",
        15,
        build,
        description="The decision on each contact within one working day of its receipt, by RAG rating.",
        drill=drill,
    )
)
