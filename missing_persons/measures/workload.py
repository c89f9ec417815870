"""Workload: the missing episodes open at the moment of reading (still missing, by risk; found or
returned and not yet closed) by age since reported, and the return home interviews still to be done,
per agency doing them (docs/measures.md, 'Workload')."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import ages, drilling
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table
from missing_persons.models import RISK_ORDER, Episode, EpisodeStatus, InterviewStatus, ReturnInterview, Risk
from missing_persons.selectors import episodes_for, interviews_due

EPISODES, INTERVIEWS = "workload-episodes", "workload-interviews"
NOW = "Open now, at the moment of reading, whatever the period chosen."
NO_AGENCY = "No agency chosen yet"
OPEN = (EpisodeStatus.MISSING, EpisodeStatus.RETURNED)
NOT_DONE = (InterviewStatus.DUE, InterviewStatus.OFFERED)


def build_episodes(query) -> list:
    """Open episodes by status and risk, and age band since reported: one grouped query."""
    rows = (
        Episode.objects.using(query.db)
        .filter(status__in=OPEN)
        .order_by()
        .values("status", "risk")
        .annotate(**ages.band_counts("reported_at", query.now))
    )
    counts = {(row["status"], row["risk"]): ages.band_values(row) for row in rows}
    columns = [ages.label_column("episodes", "Episodes"), *ages.band_columns(), Column("total", "All", COUNT)]
    table = Table(
        f"{EPISODES}-open", "Open missing episodes by risk and age", columns, empty=ages.NOTHING_OPEN
    )
    lines = [
        (EpisodeStatus.MISSING, risk, f"Missing: {Risk(risk).label.lower()} risk") for risk in RISK_ORDER
    ]
    lines.append((EpisodeStatus.RETURNED, "", "Found or returned, not closed"))
    for index, (status, risk, label) in enumerate(lines):
        found = [bands for (s, r), bands in counts.items() if s == status and (not risk or r == risk)]
        bands = [sum(column) for column in zip(*found, strict=True)] or [0] * len(ages.BANDS)
        table.rows.append([label, *bands, sum(bands)])
        ages.link_cells(table, query, EPISODES, index, {"status": status, "risk": risk}, {"total": {}})
    table.total = [
        "All open episodes",
        *(sum(column) for column in zip(*(r[1:] for r in table.rows), strict=True)),
    ]
    return [Chart(table, "episodes", list(ages.BAND_KEYS), kind="stacked", title="Open episodes"), table]


def build_interviews(query) -> list:
    """Return home interviews not yet done or declined, per agency doing them (an agency's manager:
    their own) and the MASH's total: to be offered, offered, overdue, and by age since the return."""
    rows = (
        ReturnInterview.objects.using(query.db)
        .filter(status__in=NOT_DONE)
        .order_by()
        .values("agency_id", "agency__name")
        .annotate(
            due=Count("id", filter=Q(status=InterviewStatus.DUE)),
            offered=Count("id", filter=Q(status=InterviewStatus.OFFERED)),
            overdue=Count("id", filter=Q(clock__due_at__lt=query.now)),
            **ages.band_counts("clock__started_at", query.now),
        )
    )
    columns = [
        ages.label_column("agency", "Agency"),
        Column("due", "To be offered", COUNT),
        Column("offered", "Offered", COUNT),
        Column("overdue", "Overdue", COUNT),
        *ages.band_columns(),
    ]
    table = Table(
        f"{INTERVIEWS}-agencies",
        "Return home interviews to be done, per agency",
        columns,
        empty=ages.NOTHING_OPEN,
    )
    totals, shown = [0] * (len(columns) - 1), []
    for row in rows:
        values = [row["due"], row["offered"], row["overdue"], *ages.band_values(row)]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        if row["agency_id"] is None:
            if query.viewer.whole_mash:
                shown.append(((1, ""), NO_AGENCY, ages.NONE, values))
        elif query.viewer.sees_agency(row["agency_id"]):
            shown.append(((0, row["agency__name"]), row["agency__name"], row["agency_id"], values))
    extra = {"due": {"status": "due"}, "offered": {"status": "offered"}, "overdue": {"overdue": "1"}}
    for index, (_, name, agency, values) in enumerate(sorted(shown, key=lambda item: item[0])):
        table.rows.append([name, *values])
        ages.link_cells(table, query, INTERVIEWS, index, {"agency": agency}, extra)
    table.total = ["All agencies (the whole MASH)", *totals]
    return [table]


def drill_episodes(query, params: dict) -> Drill:
    """The open episodes behind a figure, as the viewer may see them (the episodes' selector)."""
    drilling.known_only(params, {"status", "risk", "band"})
    status = drilling.choice(params, "status", OPEN, what="an open status (status)")
    risk = drilling.choice(params, "risk", Risk.values, what="a risk (risk)")
    band = ages.band_of(params.get("band", ""))
    episodes = episodes_for(query.user, status=status, risk=risk).order_by("reported_at", "pk")
    if not status:
        episodes = episodes.filter(status__in=OPEN)
    if band is not None:
        episodes = episodes.filter(band.q("reported_at", query.now))
    records = list(episodes[: drilling.CAP])
    table = Table(
        f"{EPISODES}-records",
        "Open missing episodes",
        [
            Column("reported", "Reported", TEXT),
            Column("status", "Status", TEXT),
            Column("risk", "Risk", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, episodes, "open episodes"),
    )
    for index, episode in enumerate(records):
        table.rows.append(
            [
                format_datetime(episode.reported_at),
                episode.get_status_display(),
                episode.get_risk_display(),
                (query.now - episode.reported_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "reported")] = reverse("missing_persons:episode", args=[episode.pk])
    return Drill(table, records)


def drill_interviews(query, params: dict) -> Drill:
    """The interviews to be done behind a figure, as the viewer may see them (the interviews' selector)."""
    drilling.known_only(params, {"agency", "status", "band", "overdue"})
    status = drilling.choice(params, "status", NOT_DONE, what="a status (status)")
    overdue, band = drilling.flag(params, "overdue"), ages.band_of(params.get("band", ""))
    agency = params.get("agency", "")
    if agency and agency != ages.NONE and not agency.isdigit():
        raise ValidationError({"agency": "Choose an agency (agency) from the dashboard."})
    interviews = interviews_due(query.user).order_by("clock__started_at", "pk")
    if status:
        interviews = interviews.filter(status=status)
    if agency == ages.NONE:
        interviews = interviews.filter(agency__isnull=True)
    elif agency:
        interviews = interviews.filter(agency_id=int(agency))
    if overdue:
        interviews = interviews.filter(clock__due_at__lt=query.now)
    if band is not None:
        interviews = interviews.filter(band.q("clock__started_at", query.now))
    records = list(interviews[: drilling.CAP])
    table = Table(
        f"{INTERVIEWS}-records",
        "Return home interviews to be done",
        [
            Column("due", "Due", TEXT),
            Column("status", "Status", TEXT),
            Column("agency", "Agency", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, interviews, "interviews"),
    )
    for index, interview in enumerate(records):
        table.rows.append(
            [
                format_datetime(interview.clock.due_at),
                interview.get_status_display(),
                interview.agency.name if interview.agency else NO_AGENCY,
                (query.now - interview.clock.started_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "due")] = reverse("missing_persons:episode", args=[interview.episode_id])
    return Drill(table, [interview.episode for interview in records])


register(
    Measure(
        EPISODES,
        "workload",
        "Open missing episodes",
        90,
        build_episodes,
        description=NOW + " Still missing (by risk), or found and not yet closed; the age is the time "
        "since the episode was reported, in calendar days.",
        drill=drill_episodes,
    ),
    Measure(
        INTERVIEWS,
        "workload",
        "Return home interviews to be done",
        95,
        build_interviews,
        description=NOW + " Interviews to be offered or offered and not yet done or declined, per agency "
        "doing them; the age is the time since the child's return, overdue means past its 72 hours.",
        drill=drill_interviews,
    ),
)
