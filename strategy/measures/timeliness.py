"""Strategy's deadlines on the timeliness dashboard (docs/measures.md, 'Timeliness').

- The strategy discussion (by the referral's RAG timescale) and the initial child protection conference
  (15 working days) are clocks: the table of every deadline counts them (and by month, when asked).
- The actions a discussion agreed are not clocks but a date each (``Action.due_on``), by the agency that
  owns them: done on time (completed on or before the due date), done late, open and overdue, open and
  not yet due; and, whatever the period, open and due today, open and overdue now. The actions of a
  cancelled discussion are left out, as the actions' list leaves them out. The late and overdue
  counts drill down to the actions (``actions_for``: what the viewer may see).
"""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from mash.agencies.models import Agency
from mash.common.dates import format_date, format_datetime
from mash.measures import drilling
from mash.measures.clock_kinds import register_clock_kind
from mash.measures.registry import TIMELINESS, Drill, Measure, Query, register
from mash.measures.tables import COUNT, DAYS, HOURS, PERCENT, TEXT, Chart, Column, Table, share
from mash.measures.timeliness import drill_params
from strategy.models import Action, ActionStatus, DiscussionStatus
from strategy.selectors import actions_for
from strategy.services.record import CONFERENCE_CLOCK
from strategy.services.threshold import STRATEGY_CLOCK

KEY = "strategy-timeliness-actions"
FIGURES = {
    "late": "done late",
    "open_overdue": "open past their due date",
    "due_today": "due today",
    "overdue": "overdue now",
}
COLUMNS = [
    Column("agency", "Agency", TEXT),
    Column("due", "Due in period", COUNT),
    Column("on_time", "Done on time", COUNT),
    Column("late", "Done late", COUNT),
    Column("open_overdue", "Open, past due", COUNT),
    Column("open_not_due", "Open, not yet due", COUNT),
    Column("percent_on_time", "% done on time", PERCENT),
    Column("due_today", "Due today", COUNT),
    Column("overdue", "Overdue now", COUNT),
]
FIGURE_NAMES = [column.key for column in COLUMNS[1:] if column.kind == COUNT]


def _filters(query: Query) -> dict[str, Q]:
    today = timezone.localdate(query.now)
    in_period = Q(due_on__gte=query.period.first, due_on__lte=query.period.last)
    done, still_open = Q(status=ActionStatus.DONE), Q(status=ActionStatus.OPEN)
    return {
        "due": in_period,
        # Done on the due date or before it, as a local date (completed_at__date is the local day).
        "on_time": in_period & done & Q(completed_at__date__lte=F("due_on")),
        "late": in_period & done & Q(completed_at__date__gt=F("due_on")),
        "open_overdue": in_period & still_open & Q(due_on__lt=today),
        "open_not_due": in_period & still_open & Q(due_on__gte=today),
        "due_today": still_open & Q(due_on=today),
        "overdue": still_open & Q(due_on__lt=today),
    }


def _row(label, figures: dict) -> list:
    judged = figures["on_time"] + figures["late"] + figures["open_overdue"]
    return [
        label,
        *(figures[name] for name in FIGURE_NAMES[:5]),
        share(figures["on_time"], judged),
        figures["due_today"],
        figures["overdue"],
    ]


def build(query: Query) -> list:
    filters = _filters(query)
    counts = {name: Count("pk", filter=condition) for name, condition in filters.items()}
    actions = (
        Action.objects.using(query.db)
        .exclude(discussion__status=DiscussionStatus.CANCELLED)
        .filter(filters["due"] | filters["due_today"] | filters["overdue"])
    )
    by_agency = {
        row["owner_agency_id"]: row for row in actions.values("owner_agency_id").order_by().annotate(**counts)
    }
    names = dict(Agency.objects.using(query.db).filter(pk__in=by_agency).values_list("pk", "name"))
    table = Table(
        "timeliness-actions-agency",
        "Strategy actions by owning agency",
        COLUMNS,
        caption=(
            "Actions due in the period (by their due date); 'due today' and 'overdue now' are the open "
            "ones now."
        ),
        total=_row("MASH-wide (every agency)", actions.aggregate(**counts)),
    )
    for agency_id in sorted((a for a in by_agency if query.viewer.sees_agency(a)), key=names.get):
        figures = by_agency[agency_id]
        if query.viewer.may_drill:
            for figure in FIGURES:
                if figures[figure]:
                    table.links[(len(table.rows), figure)] = query.drill_url(
                        KEY, figure=figure, agency=agency_id
                    )
        table.rows.append(_row(names[agency_id], figures))
    return [Chart(table, "agency", ["percent_on_time"], title="% of actions done on time, by agency"), table]


def drill(query: Query, params: dict) -> Drill:
    values = drill_params(params, {"agency": int}, FIGURES)
    actions = actions_for(query.user, include_done=True, everyone=True).filter(
        _filters(query)[values["figure"]]
    )
    if "agency" in values:
        actions = actions.filter(owner_agency_id=values["agency"])
    total = actions.count()
    records = list(actions.order_by("due_on", "pk")[: drilling.CAP])
    table = Table(
        "timeliness-actions-records",
        f"Strategy actions {FIGURES[values['figure']]}",
        [
            Column("referral", "Referral", TEXT),
            Column("action", "Action", TEXT),
            Column("agency", "Agency", TEXT),
            Column("due", "Due", TEXT),
            Column("done", "Done", TEXT),
        ],
        caption=drilling.capped_caption(total, "actions"),
    )
    for index, action in enumerate(records):
        table.rows.append(
            [
                action.discussion.referral.reference,
                str(action),
                action.owner_agency.name,
                format_date(action.due_on),
                format_datetime(action.completed_at) if action.completed_at else "Open",
            ]
        )
        table.links[(index, "referral")] = reverse("strategy:discussion", args=[action.discussion_id])
    return Drill(table, list({action.discussion_id: action.discussion for action in records}.values()))


register_clock_kind(STRATEGY_CLOCK, "Strategy discussion (by RAG timescale)", HOURS, order=30)
register_clock_kind(CONFERENCE_CLOCK, "Initial child protection conference (15 working days)", DAYS, order=40)
register(
    Measure(
        KEY,
        TIMELINESS.key,
        "Strategy actions",
        40,
        build,
        description=(
            "The actions strategy discussions agreed, by the agency that owns them: done on time, late, "
            "or still open."
        ),
        drill=drill,
    )
)
