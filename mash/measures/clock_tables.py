"""A clock's figures over another model's records (an information request, a return home interview:
each with its own clock), grouped by one of its fields: the pieces the apps' timeliness measures share
(docs/measures.md, 'Timeliness'). Three aggregate queries per grouping, whatever the number of rows."""

from mash.measures import aggregates
from mash.measures.registry import Query
from mash.measures.tables import COUNT, DAYS, PERCENT, Column
from mash.measures.timeliness import OUTCOMES, outcome_counts, percent_met, running_counts, running_filter


def grouped(query: Query, records, group: str = "", clock: str = "clock") -> tuple[dict, dict, dict]:
    """Of ``records`` whose ``clock`` fell due in the period, grouped by ``group`` (a field; '' for none,
    keyed None): the outcome counts, the running counts (due today, overdue now: whatever the period)
    and the [median, 90th percentile] of the time taken in seconds."""
    prefix = f"{clock}__"
    due = records.filter(
        **{f"{prefix}due_at__gte": query.period.start, f"{prefix}due_at__lt": query.period.end}
    )
    running = records.filter(running_filter(query.now, prefix))
    stopped = due.filter(**{f"{prefix}stopped_at__isnull": False})
    start, end = f"{prefix}started_at", f"{prefix}stopped_at"
    if not group:
        counts = {None: due.aggregate(**outcome_counts(query.now, prefix))}
        now = {None: running.aggregate(**running_counts(query.now, prefix))}
        return counts, now, {None: aggregates.percentiles(stopped, start=start, end=end)[()]}
    counts = {
        row[group]: row for row in due.values(group).order_by().annotate(**outcome_counts(query.now, prefix))
    }
    now = {
        row[group]: row
        for row in running.values(group).order_by().annotate(**running_counts(query.now, prefix))
    }
    times = aggregates.percentiles(stopped, start=start, end=end, group_by=(group,))
    return counts, now, {key[0]: value for key, value in times.items()}


def columns(first: Column, *, unit: str, met: str, breached: str, taken: str) -> list[Column]:
    """The columns of a clock table: ``met``, ``breached`` and ``taken`` name its figures in its words
    ('On time', 'Late or overdue', 'Median time to answer')."""
    words = "days" if unit == DAYS else "hours"
    return [
        first,
        Column("due", "Due in period", COUNT),
        Column("met", met, COUNT),
        Column("breached", breached, COUNT),
        Column("pending", "Pending", COUNT),
        Column("percent_met", f"% {met.lower()}", PERCENT),
        Column("median", f"{taken} ({words})", unit),
        Column("p90", f"90th percentile ({words})", unit),
        Column("due_today", "Due today", COUNT),
        Column("overdue", "Overdue now", COUNT),
    ]


def line(label, figures: dict, times, unit: str) -> list:
    """One row of a clock table: ``figures`` the outcome and running counts, ``times`` the seconds."""
    median, p90 = times or (None, None)
    convert = aggregates.in_days if unit == DAYS else aggregates.in_hours
    return [
        label,
        *(figures.get(name, 0) for name in OUTCOMES),
        percent_met(figures),
        convert(median),
        convert(p90),
        figures.get("due_today", 0),
        figures.get("overdue", 0),
    ]


def figures_of(counts: dict, running: dict, key) -> dict:
    return {**counts.get(key, {}), **running.get(key, {})}


def total_line(label, total: tuple[dict, dict, dict], unit: str) -> list:
    """The row of an ungrouped ``grouped()``: the MASH-wide total."""
    counts, running, times = total
    return line(label, figures_of(counts, running, None), times[None], unit)
