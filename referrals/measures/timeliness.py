"""Partner answers and the referral decision on the timeliness dashboard (docs/measures.md,
'Timeliness').

- Partner answers: each information request (not withdrawn) whose clock fell due in the period, by
  agency and by the referral's RAG rating: met, breached, pending, % on time, median and 90th
  percentile time to answer (hours), due today and overdue now. An agency's manager sees their own
  agency's row (and their own answers by RAG) and the MASH-wide total.
- The referral decision (one working day), by RAG rating.
The breach counts drill down to the requests behind them, through ``requests_for`` (what the viewer
may see).
"""

from django.db.models import Q
from django.urls import reverse

from mash.agencies.models import Agency
from mash.common.dates import format_datetime
from mash.measures import aggregates
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.periods import BY_MONTH
from mash.measures.registry import TIMELINESS, Drill, Measure, Query, register
from mash.measures.tables import COUNT, HOURS, PERCENT, TEXT, Chart, Column, Table
from mash.measures.timeliness import (
    FIGURES,
    OUTCOMES,
    drill_params,
    figure_filter,
    outcome_counts,
    percent_met,
    running_counts,
    running_filter,
)
from referrals.models import InformationRequest, Rag, Referral, RequestStatus
from referrals.requests.selectors import requests_for
from referrals.requests.services.asking import REQUEST_CLOCK
from referrals.services.intake import DECISION_CLOCK

ANSWERS = "referrals-timeliness-answers"
NOT_RATED = "Not rated"
RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _withdrawn() -> Q:
    return Q(pk__in=InformationRequest.objects.filter(status=RequestStatus.WITHDRAWN).values("clock_id"))


def _columns(first: Column) -> list[Column]:
    return [
        first,
        Column("due", "Due in period", COUNT),
        Column("met", "On time", COUNT),
        Column("breached", "Late or overdue", COUNT),
        Column("pending", "Pending", COUNT),
        Column("percent_met", "% on time", PERCENT),
        Column("median", "Median time to answer (hours)", HOURS),
        Column("p90", "90th percentile (hours)", HOURS),
        Column("due_today", "Due today", COUNT),
        Column("overdue", "Overdue now", COUNT),
    ]


def _line(label, figures: dict, times) -> list:
    median, p90 = times or (None, None)
    return [
        label,
        *(figures.get(name, 0) for name in OUTCOMES),
        percent_met(figures),
        aggregates.in_hours(median),
        aggregates.in_hours(p90),
        figures.get("due_today", 0),
        figures.get("overdue", 0),
    ]


def _grouped(query: Query, requests, group: str) -> tuple[dict, dict, dict]:
    """Counts, percentiles and running clocks of ``requests`` by ``group`` (a field; '' for none)."""
    due = requests.filter(clock__due_at__gte=query.period.start, clock__due_at__lt=query.period.end)
    names = (group,) if group else ()
    key = (lambda row: row[group]) if group else (lambda row: None)
    counted = due.values(*names).order_by().annotate(**outcome_counts(query.now, "clock__"))
    running = (
        requests.filter(running_filter(query.now, "clock__"))
        .values(*names)
        .order_by()
        .annotate(**running_counts(query.now, "clock__"))
    )
    if not group:
        counted = [due.aggregate(**outcome_counts(query.now, "clock__"))]
        running = [
            requests.filter(running_filter(query.now, "clock__")).aggregate(
                **running_counts(query.now, "clock__")
            )
        ]
    times = aggregates.percentiles(
        due.filter(clock__stopped_at__isnull=False),
        start="clock__started_at",
        end="clock__stopped_at",
        group_by=names,
    )
    return (
        {key(row): row for row in counted},
        {key(row): row for row in running},
        {(group_key[0] if group else None): value for group_key, value in times.items()},
    )


def _links(query: Query, table: Table, index: int, figures: dict, **params) -> None:
    if not query.viewer.may_drill:
        return
    for figure in ("breached", "due_today", "overdue"):
        if figures.get(figure):
            table.links[(index, figure)] = query.drill_url(ANSWERS, figure=figure, **params)


def _answers(query: Query) -> list:
    requests = InformationRequest.objects.using(query.db).exclude(status=RequestStatus.WITHDRAWN)
    counts, running, times = _grouped(query, requests, "agency_id")
    total_counts, total_running, total_times = _grouped(query, requests, "")
    names = dict(Agency.objects.using(query.db).filter(pk__in={*counts, *running}).values_list("pk", "name"))
    by_agency = Table(
        "timeliness-answers-agency",
        "Partner answers by agency",
        _columns(Column("agency", "Agency", TEXT)),
        caption="Information requests due in the period (withdrawn ones left out), by the agency asked.",
    )
    for agency_id in sorted((a for a in {*counts, *running} if query.viewer.sees_agency(a)), key=names.get):
        figures = {**counts.get(agency_id, {}), **running.get(agency_id, {})}
        _links(query, by_agency, len(by_agency.rows), figures, agency=agency_id)
        by_agency.rows.append(_line(names[agency_id], figures, times.get(agency_id)))
    by_agency.total = _line(
        "MASH-wide (every agency)", {**total_counts[None], **total_running[None]}, total_times.get(None)
    )

    own = requests if query.viewer.agency_id is None else requests.filter(agency_id=query.viewer.agency_id)
    counts, running, times = _grouped(query, own, "referral__rag")
    by_rag = Table(
        "timeliness-answers-rag",
        "Partner answers by RAG rating" + ("" if query.viewer.agency_id is None else ": your agency's"),
        _columns(Column("rag", "RAG rating", TEXT)),
        caption="The referral's RAG rating sets the time an agency has to answer.",
    )
    for rag in [r for r in RAGS if r in counts or r in running]:
        figures = {**counts.get(rag, {}), **running.get(rag, {})}
        agency = {"agency": query.viewer.agency_id} if query.viewer.agency_id else {}
        _links(query, by_rag, len(by_rag.rows), figures, rag=rag, **agency)
        by_rag.rows.append(_line(Rag(rag).label, figures, times.get(rag)))
    by_rag.total = list(by_agency.total)
    blocks = [Chart(by_agency, "agency", ["percent_met"], title="% of answers on time, by agency"), by_agency]
    if query.by == BY_MONTH:
        blocks.append(_months(query, own))
    return [*blocks, by_rag]


def _months(query: Query, requests) -> Table:
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
        "Partner answers by month due" + ("" if query.viewer.agency_id is None else ": your agency's"),
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
        table.rows.append(
            [aggregates.month_label(month), *(figures.get(n, 0) for n in OUTCOMES), percent_met(figures)]
        )
    return table


def _decision(query: Query) -> list:
    referrals = Referral.objects.using(query.db)
    counts, running, times = _grouped_decision(query, referrals)
    table = Table(
        "timeliness-decision-rag",
        "Referral decisions (one working day) by RAG rating",
        _columns(Column("rag", "RAG rating", TEXT)),
        caption="Each referral's decision clock due in the period, by its RAG rating.",
    )
    for rag in [r for r in [*RAGS, ""] if r in counts or r in running]:
        figures = {**counts.get(rag, {}), **running.get(rag, {})}
        table.rows.append(_line(Rag(rag).label if rag else NOT_RATED, figures, times.get(rag)))
    together = {n: sum(row.get(n, 0) for row in counts.values()) for n in OUTCOMES}
    together.update({n: sum(row.get(n, 0) for row in running.values()) for n in ("due_today", "overdue")})
    table.total = _line("Every referral", together, times.get(None))
    return [table]


def _grouped_decision(query: Query, referrals):
    due = referrals.filter(
        decision_clock__due_at__gte=query.period.start, decision_clock__due_at__lt=query.period.end
    )
    counts = {
        row["rag"]: row
        for row in due.values("rag").order_by().annotate(**outcome_counts(query.now, "decision_clock__"))
    }
    running = {
        row["rag"]: row
        for row in referrals.filter(running_filter(query.now, "decision_clock__"))
        .values("rag")
        .order_by()
        .annotate(**running_counts(query.now, "decision_clock__"))
    }
    stopped = due.filter(decision_clock__stopped_at__isnull=False)
    start, end = "decision_clock__started_at", "decision_clock__stopped_at"
    times = {
        key[0]: value
        for key, value in aggregates.percentiles(stopped, start=start, end=end, group_by=("rag",)).items()
    }
    times[None] = aggregates.percentiles(stopped, start=start, end=end)[()]
    return counts, running, times


def drill(query: Query, params: dict) -> Drill:
    values = drill_params(params, {"agency": int, "rag": Rag})
    requests = requests_for(query.user).exclude(status=RequestStatus.WITHDRAWN)
    requests = requests.filter(figure_filter(query, values["figure"], "clock__"))
    if "agency" in values:
        requests = requests.filter(agency_id=values["agency"])
    if "rag" in values:
        requests = requests.filter(referral__rag=values["rag"])
    records = list(requests.order_by("clock__due_at", "pk"))
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


register_clock_kind(DECISION_CLOCK, "Referral decision (one working day)", HOURS, order=10)
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
    Measure(
        "referrals-timeliness-decision",
        TIMELINESS.key,
        "Referral decisions",
        15,
        _decision,
        description="The decision on each contact within one working day of its receipt, by RAG rating.",
    ),
)
