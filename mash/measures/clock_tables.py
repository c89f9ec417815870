"""A clock's figures over another model's records (an information request, a return home interview:
each with its own clock), grouped by one of its fields: the pieces the apps' timeliness measures share
(docs/measures.md, 'Timeliness'). A few aggregate queries per table, whatever the number of rows."""

from collections import defaultdict
from dataclasses import dataclass

from mash.measures import aggregates
from mash.measures.registry import Query
from mash.measures.tables import COUNT, DAYS, PERCENT, Column
from mash.measures.timeliness import OUTCOMES, outcome_counts, percent_met, running_counts, running_filter

FIGURES = (*OUTCOMES, "due_today", "overdue")


def _due(query: Query, records, prefix: str):
    return records.filter(
        **{f"{prefix}due_at__gte": query.period.start, f"{prefix}due_at__lt": query.period.end}
    )


def counted(query: Query, records, groups: tuple[str, ...], clock: str = "clock") -> dict[tuple, dict]:
    """Of ``records`` (each with its own ``clock``), by the tuple of their ``groups`` values: the outcome
    counts of those due in the period, and the running ones due today and overdue now (whatever the
    period). Two queries; counts add up, so a coarser grouping is a ``fold`` of this one."""
    prefix = f"{clock}__"
    found: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for row in (
        _due(query, records, prefix).values(*groups).order_by().annotate(**outcome_counts(query.now, prefix))
    ):
        found[tuple(row[g] for g in groups)].update({name: row[name] for name in OUTCOMES})
    running = records.filter(running_filter(query.now, prefix)).values(*groups).order_by()
    for row in running.annotate(**running_counts(query.now, prefix)):
        found[tuple(row[g] for g in groups)].update(due_today=row["due_today"], overdue=row["overdue"])
    return dict(found)


def fold(figures: dict[tuple, dict], position: int | None = None, keep=lambda key: True) -> dict:
    """The counts summed by one element of their key (``position``; None: all into one row, keyed
    None), over the keys ``keep`` keeps."""
    folded: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for key, row in figures.items():
        if keep(key):
            into = folded[None if position is None else key[position]]
            for name in FIGURES:
                into[name] += row[name]
    return dict(folded) if folded or position is not None else {None: dict.fromkeys(FIGURES, 0)}


def timed(query: Query, records, groups: tuple[str, ...] = (), clock: str = "clock") -> dict:
    """[median, 90th percentile] of the time taken (seconds) by the stopped clocks due in the period,
    by the tuple of ``groups`` values (``()`` when not grouped). One query."""
    prefix = f"{clock}__"
    stopped = _due(query, records, prefix).filter(**{f"{prefix}stopped_at__isnull": False})
    return aggregates.percentiles(
        stopped, start=f"{prefix}started_at", end=f"{prefix}stopped_at", group_by=groups
    )


@dataclass
class Grouped:
    figures: dict  # group value -> counts
    times: dict  # group value -> [median, p90] seconds
    total: dict  # the counts of every group together
    total_times: list


def grouped(query: Query, records, group: str, clock: str = "clock") -> Grouped:
    """Rows by one field, and their total (its own percentiles): four queries."""
    figures = counted(query, records, (group,), clock)
    times = timed(query, records, (group,), clock)
    return Grouped(
        {key[0]: row for key, row in figures.items()},
        {key[0]: value for key, value in times.items()},
        fold(figures)[None],
        timed(query, records, (), clock)[()],
    )


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
