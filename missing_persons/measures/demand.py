"""Demand: missing episodes (children and adults, by risk, by month), repeat-missing flags and what came
of them, return home interviews offered and done (docs/measures.md, 'Demand'). Drill-down through the
missing persons selectors; the interviews by agency (the agency doing them) where the viewer sees it.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import drilling
from mash.measures.aggregates import month_label, month_of
from mash.measures.periods import BY_AGENCY, BY_MONTH
from mash.measures.registry import DEMAND, Drill, Measure, register
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share
from missing_persons.models import (
    RISK_ORDER,
    Episode,
    FlagStatus,
    InterviewStatus,
    RepeatFlag,
    ReturnInterview,
    Risk,
)
from missing_persons.selectors import episodes_for, flags_for, interviews_for

EPISODES, FLAGS, INTERVIEWS = "demand-missing", "demand-missing-flags", "demand-missing-interviews"
WHO = {"children": True, "adults": False}


def _in(query, field: str, start=None, end=None) -> Q:
    return Q(**{f"{field}__gte": start or query.period.start, f"{field}__lt": end or query.period.end})


def _link(query, table, row, column, measure, **params):
    if url := query.drill_url(measure, **params):
        table.links[(row, column)] = url


def episodes_build(query) -> list:
    grouped = (
        Episode.objects.using(query.db)
        .filter(_in(query, "reported_at"))
        .values("risk", "is_child", month=month_of("reported_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    by_risk = defaultdict(lambda: defaultdict(int))
    by_month = defaultdict(lambda: defaultdict(int))
    for row in grouped:  # a row per (risk, child or adult, month) that has episodes
        who = "children" if row["is_child"] else "adults"
        for counts in (by_risk[row["risk"]], by_risk[""], by_month[row["month"]]):
            counts[who] += row["n"]
        by_month[row["month"]][row["risk"]] += row["n"]
    columns = [Column("children", "Children"), Column("adults", "Adults"), Column("all", "All episodes")]

    def counts_of(counts):
        return [counts["children"], counts["adults"], counts["children"] + counts["adults"]]

    risks = Table(
        "demand-missing-risk",
        "Missing episodes by risk",
        [Column("risk", "Risk", TEXT), *columns],
        caption="Episodes reported in the period, children and adults, by their risk now.",
    )
    for index, risk in enumerate(RISK_ORDER):
        risks.rows.append([Risk(risk).label, *counts_of(by_risk[risk])])
        for who in WHO:
            _link(query, risks, index, who, EPISODES, risk=risk, who=who)
        _link(query, risks, index, "all", EPISODES, risk=risk)
    risks.total = ["All risks", *counts_of(by_risk[""])]

    months = Table(
        "demand-missing-months",
        "Missing episodes by month",
        [Column("month", "Month", TEXT), *columns, Column("high", "High risk")],
        caption="Episodes reported each month.",
    )
    for index, month in enumerate(query.period.months()):
        months.rows.append([month_label(month), *counts_of(by_month[month]), by_month[month][Risk.HIGH]])
        _link(query, months, index, "all", EPISODES, month=drilling.month_key(month))
    months.total = [
        "All months",
        *counts_of(by_risk[""]),
        by_risk[Risk.HIGH]["children"] + by_risk[Risk.HIGH]["adults"],
    ]
    chart = Chart(months, "month", ["children", "adults"], kind="stacked", title="Missing episodes per month")
    return [risks, chart, months]


def episodes_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"risk", "who", "month"})
    risk = drilling.choice(params, "risk", Risk.values, what="a risk")
    who = drilling.choice(params, "who", WHO, what="children or adults")
    start, end = drilling.span(query.period, params)
    episodes = episodes_for(query.user, risk=risk).filter(_in(query, "reported_at", start, end))
    if who:
        episodes = episodes.filter(is_child=WHO[who])
    total = episodes.count()
    records = list(episodes[: drilling.CAP])
    table = Table(
        "records",
        "Missing episodes",
        [
            Column("reported", "Reported", TEXT),
            Column("who", "Child or adult", TEXT),
            Column("risk", "Risk", TEXT),
            Column("status", "Status", TEXT),
        ],
        caption=drilling.capped_caption(total, "episodes"),
    )
    for index, episode in enumerate(records):
        table.rows.append(
            [
                format_datetime(episode.reported_at),
                "Child" if episode.is_child else "Adult",
                episode.get_risk_display(),
                episode.get_status_display(),
            ]
        )
        table.links[(index, "reported")] = reverse("missing_persons:episode", args=[episode.pk])
    return Drill(table, records)


FLAG_STATUSES = [
    (FlagStatus.REFERRED, "Referral opened"),
    (FlagStatus.DISMISSED, "Dismissed"),
    (FlagStatus.OPEN, "Still to act on"),
]


def _rows(query, grouped: dict):
    """(label, month key, counts) per row: the whole period, or each month and a total row."""
    whole = defaultdict(int)
    for counts in grouped.values():
        for name, value in counts.items():
            whole[name] += value
    if query.by != BY_MONTH:
        return [(query.period.label, None, whole)], None
    rows = [
        (month_label(m), drilling.month_key(m), grouped.get(m, defaultdict(int)))
        for m in query.period.months()
    ]
    return rows, ("Whole period", whole)


def flags_build(query) -> list:
    grouped = (
        RepeatFlag.objects.using(query.db)
        .filter(_in(query, "raised_at"))
        .values(month=month_of("raised_at"))
        .annotate(
            raised=Count("id"),
            **{status: Count("id", filter=Q(status=status)) for status, _ in FLAG_STATUSES},
        )
        .order_by()
    )
    table = Table(
        "demand-missing-flags",
        "Repeat-missing flags",
        [
            Column("period", "Period", TEXT),
            Column("raised", "Flags raised"),
            *[Column(status, label) for status, label in FLAG_STATUSES],
            Column("referred_share", "Flags that led to a referral", PERCENT),
        ],
        caption="Flags raised in the period (a person missing repeatedly) and what became of them.",
    )

    def values(label, counts):
        return [
            label,
            counts["raised"],
            *[counts[s] for s, _ in FLAG_STATUSES],
            share(counts[FlagStatus.REFERRED], counts["raised"]),
        ]

    rows, total = _rows(query, {row.pop("month"): defaultdict(int, row) for row in grouped})
    for index, (label, month, counts) in enumerate(rows):
        table.rows.append(values(label, counts))
        _link(query, table, index, "raised", FLAGS, month=month)
        for status, _ in FLAG_STATUSES:
            _link(query, table, index, status, FLAGS, status=status, month=month)
    if total:
        table.total = values(*total)
    return [table]


def flags_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"status", "month"})
    status = drilling.choice(params, "status", FlagStatus.values, what="what became of the flags")
    start, end = drilling.span(query.period, params)
    flags = flags_for(query.user).filter(_in(query, "raised_at", start, end))
    if status:
        flags = flags.filter(status=status)
    total = flags.count()
    records = list(flags[: drilling.CAP])
    table = Table(
        "records",
        "Repeat-missing flags",
        [
            Column("raised", "Raised", TEXT),
            Column("episodes", "Episodes you may see"),
            Column("status", "Status", TEXT),
            Column("referral", "Referral", TEXT),
        ],
        caption=drilling.capped_caption(total, "flags") + " Each links to its latest episode.",
    )
    for index, flag in enumerate(records):
        referral = flag.referral.reference if flag.referral_id else ""
        table.rows.append(
            [format_datetime(flag.raised_at), len(flag.shown_episodes), flag.get_status_display(), referral]
        )
        table.links[(index, "raised")] = reverse("missing_persons:episode", args=[flag.shown_episodes[0].pk])
    return Drill(table, records)


INTERVIEW_COUNTS = {
    "returns": "Children returned",
    "offered": "Offered",
    "done": "Done",
    "declined": "Declined",
}


def _interview_filters(query, start=None, end=None) -> dict[str, Q]:
    done = _in(query, "done_at", start, end)
    return {
        "returns": _in(query, "episode__found_at", start, end),
        "offered": _in(query, "offered_at", start, end),
        "done": done & Q(status=InterviewStatus.DONE),
        "declined": done & Q(status=InterviewStatus.DECLINED),
    }


def interviews_build(query) -> list:
    filters = _interview_filters(query)
    interviews = ReturnInterview.objects.using(query.db).filter(
        filters["returns"] | filters["offered"] | Q(_in(query, "done_at"))
    )
    counts = {name: Count("id", filter=f) for name, f in filters.items()}
    table = Table(
        "demand-missing-interviews",
        "Return home interviews",
        [
            Column("period", "Agency" if query.by == BY_AGENCY else "Period", TEXT),
            *[Column(name, label) for name, label in INTERVIEW_COUNTS.items()],
        ],
        caption="Children who returned in the period (each is owed an interview within 72 hours), and "
        "the interviews offered, done and declined in the period.",
    )
    whole = interviews.aggregate(**counts)
    if query.by == BY_MONTH:
        by_month = defaultdict(lambda: defaultdict(int))
        for name, field in (("returns", "episode__found_at"), ("offered", "offered_at"), ("done", "done_at")):
            shown = {n: counts[n] for n in (("done", "declined") if name == "done" else (name,))}
            for row in interviews.values(month=month_of(field)).annotate(**shown).order_by():
                for n in shown:
                    by_month[row["month"]][n] += row[n]
        for index, month in enumerate(query.period.months()):
            table.rows.append([month_label(month), *[by_month[month][n] for n in INTERVIEW_COUNTS]])
            for name in INTERVIEW_COUNTS:
                _link(query, table, index, name, INTERVIEWS, kind=name, month=drilling.month_key(month))
        table.total = ["Whole period", *[whole[n] for n in INTERVIEW_COUNTS]]
    elif query.by == BY_AGENCY:
        rows = interviews.values("agency_id", "agency__name").annotate(**counts).order_by("agency__name")
        for row in rows:
            if not query.viewer.sees_agency(row["agency_id"]):
                continue
            table.rows.append([row["agency__name"] or "No agency yet", *[row[n] for n in INTERVIEW_COUNTS]])
        table.total = ["All agencies (the whole MASH)", *[whole[n] for n in INTERVIEW_COUNTS]]
    else:
        table.rows.append([query.period.label, *[whole[n] for n in INTERVIEW_COUNTS]])
        for name in INTERVIEW_COUNTS:
            _link(query, table, 0, name, INTERVIEWS, kind=name)
    return [table]


def interviews_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"kind", "month"})
    kind = drilling.choice(params, "kind", INTERVIEW_COUNTS, what="a figure") or "returns"
    start, end = drilling.span(query.period, params)
    interviews = (
        interviews_for(query.user)
        .filter(_interview_filters(query, start, end)[kind])
        .order_by("-episode__found_at", "-pk")
    )
    total = interviews.count()
    records = list(interviews[: drilling.CAP])
    table = Table(
        "records",
        "Return home interviews",
        [
            Column("returned", "Returned", TEXT),
            Column("agency", "Agency", TEXT),
            Column("status", "Status", TEXT),
            Column("offered", "Offered", TEXT),
            Column("done", "Done or declined", TEXT),
        ],
        caption=drilling.capped_caption(total, "interviews"),
    )
    for index, interview in enumerate(records):
        table.rows.append(
            [
                format_datetime(interview.episode.found_at),
                interview.agency.name if interview.agency_id else "",
                interview.get_status_display(),
                format_datetime(interview.offered_at) if interview.offered_at else "",
                format_datetime(interview.done_at) if interview.done_at else "",
            ]
        )
        table.links[(index, "returned")] = reverse("missing_persons:episode", args=[interview.episode_id])
    return Drill(table, records)


register(
    Measure(
        EPISODES,
        DEMAND.key,
        "Missing episodes",
        60,
        episodes_build,
        drill=episodes_drill,
        description="Episodes reported: children and adults, by risk and by month.",
    ),
    Measure(
        FLAGS,
        DEMAND.key,
        "Repeat-missing flags",
        70,
        flags_build,
        drill=flags_drill,
        description="Flags raised for people missing repeatedly, and what became of them.",
    ),
    Measure(
        INTERVIEWS,
        DEMAND.key,
        "Return home interviews",
        80,
        interviews_build,
        drill=interviews_drill,
        description="Children returned, and the interviews offered, done and declined.",
    ),
)
