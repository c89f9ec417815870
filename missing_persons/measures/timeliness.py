"""Return home interviews on the timeliness dashboard (docs/measures.md, 'Timeliness'): offered within
72 hours of a child's return. In the table of every deadline, and here by the agency that holds each
interview (``ReturnInterview.agency``; 'No agency yet' before one is named), with the interviews
behind the late, due today and overdue counts (``interviews_for``: what the viewer may see)."""

from django.urls import reverse

from mash.agencies.models import Agency
from mash.common.dates import format_datetime
from mash.measures import aggregates, clock_tables, drilling
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.registry import TIMELINESS, Drill, Measure, Query, register
from mash.measures.tables import HOURS, TEXT, Chart, Column, Table
from mash.measures.timeliness import FIGURES, drill_params, figure_filter, narrowed
from missing_persons.models import ReturnInterview
from missing_persons.selectors import interviews_for
from missing_persons.services.episodes import INTERVIEW_CLOCK, INTERVIEW_HOURS

KEY = "missing-persons-timeliness-interviews"
NO_AGENCY = "No agency yet"
NONE = "none"  # the drill parameter of the interviews with no agency


def _agency_param(text: str):
    return None if text == NONE else int(text)


def build(query: Query) -> list:
    interviews = ReturnInterview.objects.using(query.db)
    found = clock_tables.grouped(query, interviews, "agency_id")
    names = dict(Agency.objects.using(query.db).filter(pk__in=found.figures).values_list("pk", "name"))
    table = Table(
        "timeliness-interviews-agency",
        "Return home interviews by agency",
        clock_tables.columns(
            Column("agency", "Agency", TEXT),
            unit=HOURS,
            met="In time",
            breached="Late or overdue",
            taken="Median time to the interview",
        ),
        caption=(
            f"Each interview's clock ({INTERVIEW_HOURS} hours from the child's return) due in the period, "
            "by the agency doing it; it stops when the interview is done or declined."
        ),
        total=clock_tables.line("MASH-wide (every agency)", found.total, found.total_times, HOURS),
    )
    shown = [a for a in found.figures if query.viewer.sees_agency(a)]
    for agency_id in sorted(shown, key=lambda a: (a is None, names.get(a, ""))):
        figures = found.figures[agency_id]
        if query.viewer.may_drill:
            for figure in ("breached", "due_today", "overdue"):
                if figures.get(figure):
                    table.links[(len(table.rows), figure)] = query.drill_url(
                        KEY, figure=figure, agency=NONE if agency_id is None else agency_id
                    )
        label = names[agency_id] if agency_id is not None else NO_AGENCY
        table.rows.append(clock_tables.line(label, figures, found.times.get(agency_id), HOURS))
    return [Chart(table, "agency", ["percent_met"], title="% of interviews in time, by agency"), table]


def drill(query: Query, params: dict) -> Drill:
    values = drill_params(params, {"agency": _agency_param, "month": str})
    query = narrowed(query, values)
    interviews = interviews_for(query.user).filter(figure_filter(query, values["figure"], "clock__"))
    if "agency" in values:
        interviews = interviews.filter(agency_id=values["agency"])
    total = interviews.count()
    records = list(interviews.order_by("clock__due_at", "pk")[: drilling.CAP])
    table = Table(
        "timeliness-interviews-records",
        f"Return home interviews {FIGURES[values['figure']]}",
        [
            Column("person", "Child", TEXT),
            Column("agency", "Agency", TEXT),
            Column("returned", "Returned", TEXT),
            Column("due", "Due", TEXT),
            Column("status", "Interview", TEXT),
            Column("late", "Hours late", HOURS),
        ],
        caption=drilling.capped_caption(total, "interviews"),
    )
    for index, interview in enumerate(records):
        end = interview.clock.stopped_at or query.now
        table.rows.append(
            [
                interview.episode.person.full_name,
                interview.agency.name if interview.agency else NO_AGENCY,
                format_datetime(interview.clock.started_at),
                format_datetime(interview.clock.due_at),
                interview.get_status_display(),
                aggregates.in_hours(max((end - interview.clock.due_at).total_seconds(), 0)),
            ]
        )
        table.links[(index, "person")] = reverse("missing_persons:episode", args=[interview.episode_id])
    return Drill(table, [interview.episode for interview in records])


register_clock_kind(
    INTERVIEW_CLOCK, f"Return home interview ({INTERVIEW_HOURS} hours)", HOURS, order=50, drill=KEY
)
register(
    Measure(
        KEY,
        TIMELINESS.key,
        "Return home interviews",
        50,
        build,
        description=(
            f"Whether each child who came back was offered an interview within {INTERVIEW_HOURS} hours, "
            "by the agency doing it."
        ),
        drill=drill,
    )
)
