"""Partner answers and the referral decision on the timeliness dashboard (docs/measures.md,
'Timeliness').

- Partner answers: each information request (not withdrawn) whose clock fell due in the period, by
  agency and by the referral's RAG rating: met, breached, pending, % on time, median and 90th
  percentile time to answer (hours), due today and overdue now. An agency's manager sees their own
  agency's row (and their own answers by RAG) and the MASH-wide total.
The breach counts drill down to the requests behind them, through ``requests_for`` (what the viewer
may see).
"""

from django.db.models import Q
from django.urls import reverse

from mash.agencies.models import Agency
from mash.common.dates import format_datetime
from mash.measures import aggregates, clock_tables, drilling
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.periods import BY_MONTH
from mash.measures.registry import TIMELINESS, Drill, Measure, Query, register
from mash.measures.tables import COUNT, HOURS, PERCENT, TEXT, Chart, Column, Table
from mash.measures.timeliness import (
    FIGURES,
    OUTCOMES,
    drill_params,
    figure_filter,
    narrowed,
    outcome_counts,
    percent_met,
)
from referrals.models import InformationRequest, Rag, RequestStatus
from referrals.requests.selectors import requests_for
from referrals.requests.services.asking import REQUEST_CLOCK

ANSWERS = "referrals-timeliness-answers"
NOT_RATED = "Not rated"
RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _withdrawn() -> Q:
    return Q(pk__in=InformationRequest.objects.filter(status=RequestStatus.WITHDRAWN).values("clock_id"))


def _columns(first: Column) -> list[Column]:
    return clock_tables.columns(
        first, unit=HOURS, met="On time", breached="Late or overdue", taken="Median time to answer"
    )


def _links(query: Query, table: Table, index: int, figures: dict, **params) -> None:
    if not query.viewer.may_drill:
        return
    for figure in ("breached", "due_today", "overdue"):
        if figures.get(figure):
            table.links[(index, figure)] = query.drill_url(ANSWERS, figure=figure, **params)


def _answers(query: Query) -> list:
    requests = InformationRequest.objects.using(query.db).exclude(status=RequestStatus.WITHDRAWN)
    # One count by agency and RAG together (counts add up), percentiles by each.
    figures = clock_tables.counted(query, requests, ("agency_id", "referral__rag"))
    by_agency = clock_tables.fold(figures, 0)
    times = {key[0]: value for key, value in clock_tables.timed(query, requests, ("agency_id",)).items()}
    mash_wide = clock_tables.line(
        "MASH-wide (every agency)",
        clock_tables.fold(figures)[None],
        clock_tables.timed(query, requests)[()],
        HOURS,
    )
    names = dict(Agency.objects.using(query.db).filter(pk__in=by_agency).values_list("pk", "name"))
    agency_table = Table(
        "timeliness-answers-agency",
        "Partner answers by agency",
        _columns(Column("agency", "Agency", TEXT)),
        caption="Information requests due in the period (withdrawn ones left out), by the agency asked.",
        total=mash_wide,
    )
    for agency_id in sorted((a for a in by_agency if query.viewer.sees_agency(a)), key=names.get):
        row = by_agency[agency_id]
        _links(query, agency_table, len(agency_table.rows), row, agency=agency_id)
        agency_table.rows.append(clock_tables.line(names[agency_id], row, times.get(agency_id), HOURS))

    mine = query.viewer.agency_id
    own = requests if mine is None else requests.filter(agency_id=mine)
    by_rag = clock_tables.fold(figures, 1, keep=lambda key: mine is None or key[0] == mine)
    times = {key[0]: value for key, value in clock_tables.timed(query, own, ("referral__rag",)).items()}
    yours = "" if query.viewer.agency_id is None else ": your agency's"
    rag_table = Table(
        "timeliness-answers-rag",
        f"Partner answers by RAG rating{yours}",
        _columns(Column("rag", "RAG rating", TEXT)),
        caption="The referral's RAG rating sets the time an agency has to answer.",
        total=list(mash_wide),
    )
    agency = {"agency": query.viewer.agency_id} if query.viewer.agency_id else {}
    for rag in [r for r in RAGS if r in by_rag]:
        _links(query, rag_table, len(rag_table.rows), by_rag[rag], rag=rag, **agency)
        rag_table.rows.append(clock_tables.line(Rag(rag).label, by_rag[rag], times.get(rag), HOURS))
    chart = Chart(agency_table, "agency", ["percent_met"], title="% of answers on time, by agency")
    blocks = [chart, agency_table]
    if query.by == BY_MONTH:
        blocks.append(_months(query, own, yours, agency))
    return [*blocks, rag_table]


def _months(query: Query, requests, yours: str, agency: dict) -> Table:
    due = requests.filter(clock__due_at__gte=query.period.start, clock__due_at__lt=query.period.end)
    rows = {
        row["month"]: row
        for row in due.annotate(month=aggregates.month_of("clock__due_at"))
        .values("month")
        .order_by()
        .annotate(**outcome_counts(query.now, "clock__"))
    }
    table = Table(
        "timeliness-answers-months",
        f"Partner answers by month due{yours}",
        [
            Column("month", "Month", TEXT),
            Column("due", "Due", COUNT),
            Column("met", "On time", COUNT),
            Column("breached", "Late or overdue", COUNT),
            Column("pending", "Pending", COUNT),
            Column("percent_met", "% on time", PERCENT),
        ],
    )
    for month in query.period.months():
        figures = rows.get(month, {})
        if figures.get("breached") and query.viewer.may_drill:
            table.links[(len(table.rows), "breached")] = query.drill_url(
                ANSWERS, figure="breached", month=drilling.month_key(month), **agency
            )
        table.rows.append(
            [aggregates.month_label(month), *(figures.get(n, 0) for n in OUTCOMES), percent_met(figures)]
        )
    return table


def drill(query: Query, params: dict) -> Drill:
    values = drill_params(params, {"agency": int, "rag": Rag, "month": str})
    query = narrowed(query, values)
    requests = requests_for(query.user).exclude(status=RequestStatus.WITHDRAWN)
    requests = requests.filter(figure_filter(query, values["figure"], "clock__"))
    if "agency" in values:
        requests = requests.filter(agency_id=values["agency"])
    if "rag" in values:
        requests = requests.filter(referral__rag=values["rag"])
    total = requests.count()
    records = list(requests.order_by("clock__due_at", "pk")[: drilling.CAP])
    table = Table(
        "timeliness-answers-records",
        f"Partner answers {FIGURES[values['figure']]}",
        [
            Column("referral", "Referral", TEXT),
            Column("agency", "Agency", TEXT),
            Column("rag", "RAG rating", TEXT),
            Column("sent", "Sent", TEXT),
            Column("due", "Due", TEXT),
            Column("answered", "Answered", TEXT),
            Column("late", "Hours late", HOURS),
        ],
        caption=drilling.capped_caption(total, "requests"),
    )
    for index, request in enumerate(records):
        end = request.clock.stopped_at or query.now
        late = max((end - request.clock.due_at).total_seconds(), 0)
        table.rows.append(
            [
                request.referral.reference,
                request.agency.name,
                request.referral.get_rag_display() or NOT_RATED,
                format_datetime(request.sent_at),
                format_datetime(request.clock.due_at),
                format_datetime(request.answered_at) if request.answered_at else "Not yet",
                aggregates.in_hours(late),
            ]
        )
        table.links[(index, "referral")] = _request_url(request)
    return Drill(table, records)


def _request_url(request) -> str:
    return reverse("referrals:request", args=[request.pk])


register_clock_kind(
    REQUEST_CLOCK, "Partner answers (by RAG timescale)", HOURS, order=20, void=_withdrawn, drill=ANSWERS
)
register(
    Measure(
        ANSWERS,
        TIMELINESS.key,
        "Partner answers",
        20,
        _answers,
        description=(
            "How quickly each partner agency answered the MASH's information requests: on time, late, "
            "and the time taken, by agency and by the referral's RAG rating."
        ),
        drill=drill,
    ),
)
