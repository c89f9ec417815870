"""Timeliness: every deadline, from the clocks alone (docs/measures.md, 'Timeliness').

A clock belongs to the period in which it was due. Met: stopped by its due time; breached: stopped
after it, or still running past it; pending: running and not yet due (left out of '% met'). The time
taken (start to stop, elapsed) of the stopped clocks, median and 90th percentile, in the kind's unit.
'Due today' and 'overdue now' are the running clocks at the moment of reading, whatever the period.

The whole table is three aggregate queries (counts by kind, percentiles by kind, the running clocks by
kind), and one more by month; the helpers here (``outcome_counts``, ``running_counts``) are what the
apps' own timeliness measures count with, over their records' clocks.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import timezone

from mash.clocks.models import Clock
from mash.measures import ages, aggregates, drilling
from mash.measures.clock_kinds import Row, order_key, register_clock_kind, row_for, variant_keys, void_clocks
from mash.measures.periods import BY_MONTH, Period
from mash.measures.registry import TIMELINESS, Measure, Query, register
from mash.measures.tables import COUNT, DAYS, HOURS, PERCENT, TEXT, Chart, Column, Table, share
from mash.subject_access import deadlines

OUTCOMES = ("due", "met", "breached", "pending")


def outcome_filters(now: datetime, prefix: str = "") -> dict[str, Q | None]:
    """Which of the clocks due in a period each outcome counts, at ``now`` (None: every one); ``prefix``
    reaches the clock from another model ('clock__')."""
    stopped, due, running = f"{prefix}stopped_at", f"{prefix}due_at", f"{prefix}stopped_at__isnull"
    return {
        "due": None,
        "met": Q(**{f"{stopped}__lte": F(due), running: False}),
        "breached": Q(**{f"{stopped}__gt": F(due)}) | Q(**{running: True, f"{due}__lt": now}),
        "pending": Q(**{running: True, f"{due}__gte": now}),
    }


def outcome_counts(now: datetime, prefix: str = "") -> dict:
    """Conditional counts of clocks due in a period, by outcome at ``now``."""
    return {name: Count("pk", filter=condition) for name, condition in outcome_filters(now, prefix).items()}


def tonight(now: datetime) -> datetime:
    """Local midnight at the end of ``now``'s day."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min))


def running_filter(now: datetime, prefix: str = "") -> Q:
    """Running clocks due before midnight tonight: the overdue and the due today."""
    return Q(**{f"{prefix}stopped_at__isnull": True, f"{prefix}due_at__lt": tonight(now)})


def running_counts(now: datetime, prefix: str = "") -> dict:
    """Of the running clocks ``running_filter`` keeps: due between now and midnight, and overdue now."""
    due = f"{prefix}due_at"
    return {
        "due_today": Count("pk", filter=Q(**{f"{due}__gte": now})),
        "overdue": Count("pk", filter=Q(**{f"{due}__lt": now})),
    }


FIGURES = {
    "met": "met",
    "breached": "breached",
    "due_today": "due today",
    "overdue": "overdue now",
}


def drill_params(params: dict, known: dict[str, Callable[[str], object]], figures: dict = FIGURES) -> dict:
    """The drill-down's parameters checked: ``figure`` (one of FIGURES) and those in ``known`` (name ->
    a function turning the text into its value, raising ValueError when it cannot); any other name, or
    a value that does not read, is a ValidationError naming the parameter."""
    errors, values = {}, {}
    for name, text in params.items():
        if name == "figure":
            if text not in figures:
                errors[name] = f"Choose a figure from the dashboard: one of {', '.join(figures)}."
            values[name] = text
        elif name in known:
            try:
                values[name] = known[name](text)
            except (TypeError, ValueError):
                errors[name] = f"'{text}' is not a {name} of this measure: follow a link from the dashboard."
        else:
            errors[name] = f"This list has no parameter '{name}': follow a link from the dashboard."
    if "figure" not in params and not errors:
        errors["figure"] = "Choose a figure from the dashboard."
    if errors:
        raise ValidationError(errors)
    return values


def narrowed(query: Query, values: dict) -> Query:
    """The query for one month of its period when the drill link names one (``month=2026-09``)."""
    if not values.get("month"):
        return query
    start, end = drilling.span(query.period, values)
    first, last = timezone.localdate(start), timezone.localdate(end - timedelta(seconds=1))
    return replace(query, period=Period(first, last))


def figure_filter(query: Query, figure: str, prefix: str = "") -> Q:
    """The clocks behind one figure: met or breached among those due in the period; due today or
    overdue now among the running ones (whatever the period)."""
    due, stopped = f"{prefix}due_at", f"{prefix}stopped_at"
    in_period = Q(**{f"{due}__gte": query.period.start, f"{due}__lt": query.period.end})
    running = Q(**{f"{stopped}__isnull": True})
    if figure == "met":
        return in_period & Q(**{f"{stopped}__lte": F(due)})
    if figure == "breached":
        return in_period & (Q(**{f"{stopped}__gt": F(due)}) | (running & Q(**{f"{due}__lt": query.now})))
    if figure == "overdue":
        return running & Q(**{f"{due}__lt": query.now})
    return running & Q(**{f"{due}__gte": query.now, f"{due}__lt": tonight(query.now)})


def percent_met(counts: dict) -> float | None:
    return share(counts.get("met", 0), counts.get("met", 0) + counts.get("breached", 0))


def in_unit(seconds: float | None, unit: str) -> float | None:
    return aggregates.in_days(seconds) if unit == DAYS else aggregates.in_hours(seconds)


def _row_expression():
    """The grouping key: the kind, or 'kind|amount' for a registered variant."""
    whens = [When(kind=kind, amount=amount, then=Value(key)) for kind, amount, key in variant_keys()]
    return Case(*whens, default=F("kind"), output_field=CharField()) if whens else F("kind")


def _without_void(clocks):
    void = void_clocks()
    return clocks.exclude(void) if void is not None else clocks


def due_in_period(query: Query):
    clocks = Clock.objects.using(query.db).filter(due_at__gte=query.period.start, due_at__lt=query.period.end)
    return _without_void(clocks).annotate(row=_row_expression())


def _gather(query: Query) -> tuple[dict, dict, dict]:
    clocks = due_in_period(query)
    counts = {
        item["row"]: item for item in clocks.values("row").order_by().annotate(**outcome_counts(query.now))
    }
    times = aggregates.percentiles(
        clocks.filter(stopped_at__isnull=False), start="started_at", end="stopped_at", group_by=("row",)
    )
    running = (
        _without_void(Clock.objects.using(query.db).filter(running_filter(query.now)))
        .annotate(row=_row_expression())
        .values("row")
        .order_by()
        .annotate(**running_counts(query.now))
    )
    return counts, {key[0]: value for key, value in times.items()}, {item["row"]: item for item in running}


def _columns(unit: str) -> list[Column]:
    return [
        Column("deadline", "Deadline", TEXT),
        Column("due", "Due in period", COUNT),
        Column("met", "Met", COUNT),
        Column("breached", "Breached", COUNT),
        Column("pending", "Pending", COUNT),
        Column("percent_met", "% met", PERCENT),
        Column("median", f"Median time taken ({'days' if unit == DAYS else 'hours'})", unit),
        Column("p90", f"90th percentile ({'days' if unit == DAYS else 'hours'})", unit),
        Column("due_today", "Due today", COUNT),
        Column("overdue", "Overdue now", COUNT),
    ]


def _kind_table(query: Query, unit: str, rows: list[Row], counts, times, running) -> Table:
    table = Table(
        f"timeliness-{'days' if unit == DAYS else 'hours'}",
        f"Deadlines counted in {'days' if unit == DAYS else 'hours'}",
        _columns(unit),
        caption="Clocks due in the period; 'due today' and 'overdue now' are the running clocks now.",
    )
    totals = dict.fromkeys((*OUTCOMES, "due_today", "overdue"), 0)
    for index, row in enumerate(rows):
        figures = {**dict.fromkeys(totals, 0), **counts.get(row.key, {}), **running.get(row.key, {})}
        median, p90 = times.get(row.key, [None, None])
        table.rows.append(
            [
                row.label,
                *(figures[name] for name in OUTCOMES),
                percent_met(figures),
                in_unit(median, unit),
                in_unit(p90, unit),
                figures["due_today"],
                figures["overdue"],
            ]
        )
        for name in totals:
            totals[name] += figures[name]
        if row.kind.drill and query.viewer.may_drill:
            for figure in ("breached", "overdue", "due_today"):
                if figures[figure]:
                    table.links[(index, figure)] = query.drill_url(row.kind.drill, figure=figure)
    table.total = [
        "All these deadlines",
        *(totals[name] for name in OUTCOMES),
        percent_met(totals),
        None,  # a median of different deadlines' times would say nothing
        None,
        totals["due_today"],
        totals["overdue"],
    ]
    return table


def _month_table(query: Query, rows: list[Row], counts: dict) -> Table:
    # A filtered count per month and outcome, in one pass over the period's clocks: cheaper than
    # grouping on the local month (mash/measures/ages.py).
    months, filters = query.period.months(), outcome_filters(query.now)
    counted = {}
    for index, (start, end) in enumerate(ages.month_spans(query.period)):
        in_month = Q(due_at__gte=start, due_at__lt=end)
        for name, condition in filters.items():
            counted[f"{name}_{index}"] = Count(
                "pk", filter=in_month if condition is None else in_month & condition
            )
    cells: dict = {}
    for item in due_in_period(query).values("row").order_by().annotate(**counted):
        for index, month in enumerate(months):
            cells[(month, item["row"])] = {name: item[f"{name}_{index}"] for name in OUTCOMES}
    columns = [
        Column("month", "Month", TEXT),
        Column("due", "Due", COUNT),
        Column("met", "Met", COUNT),
        Column("breached", "Breached", COUNT),
        Column("pending", "Pending", COUNT),
        Column("percent_met", "% met (every deadline)", PERCENT),
        *(Column(f"met-{index}", f"% met: {row.label}", PERCENT) for index, row in enumerate(rows)),
    ]
    table = Table(
        "timeliness-months",
        "Deadlines met, by month due",
        columns,
        caption="Every deadline due in each month; then the share met of each kind.",
    )

    def line(label, found) -> list:
        together = {name: sum(found(row.key).get(name, 0) for row in rows) for name in OUTCOMES}
        return [
            label,
            *(together[name] for name in OUTCOMES),
            percent_met(together),
            *(percent_met(found(row.key)) for row in rows),
        ]

    for month in query.period.months():
        table.rows.append(line(aggregates.month_label(month), lambda key, m=month: cells.get((m, key), {})))
    table.total = line("The whole period", lambda key: counts.get(key, {}))
    return table


def build(query: Query) -> list:
    counts, times, running = _gather(query)
    rows = sorted((row_for(key) for key in {*counts, *running}), key=order_key)
    blocks = []
    if query.by == BY_MONTH and counts:
        months = _month_table(query, [row for row in rows if row.key in counts], counts)
        series = [column.key for column in months.columns if column.key.startswith("met-")]
        blocks += [Chart(months, "month", series, kind="line", title="% met by month, each deadline"), months]
    for unit in (HOURS, DAYS):
        table = _kind_table(query, unit, [r for r in rows if r.unit == unit], counts, times, running)
        blocks += [Chart(table, "deadline", ["percent_met"], title=f"% met: {table.title.lower()}"), table]
    return blocks


register_clock_kind(deadlines.KIND, "Subject access (one month)", DAYS, order=90)
register_clock_kind(deadlines.KIND_EXTENDED, "Subject access, extended (three months)", DAYS, order=91)
register(
    Measure(
        "timeliness-deadlines",
        TIMELINESS.key,
        "Every deadline",
        10,
        build,
        description=(
            "Every clock the MASH runs, by kind: how many fell due in the period and were met or "
            "breached, how long the work took, and what is due today and overdue now."
        ),
    )
)
