"""Workload: the disclosure applications open at the moment of reading, by stage and age since received,
and per researcher (docs/measures.md, 'Workload'). The applications are the police disclosure team's
work: its researchers' rows are shown to those who see the police agency."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosures.models import OPEN_STAGES, Application, Stage
from disclosures.selectors import application_queue
from mash.agencies.models import AgencyKind
from mash.common.dates import format_datetime
from mash.measures import ages, drilling
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table

APPLICATIONS, RESEARCHERS = "workload-applications", "workload-disclosure-researchers"
NOW_NOTE = (
    "Open now, at the moment of reading, whatever the period chosen: applications not yet closed. The "
    "age is the time since the application was received, in calendar days."
)
NO_RESEARCHER = "No researcher"


def _open(query):
    return Application.objects.using(query.db).filter(stage__in=OPEN_STAGES).order_by()


def _columns(label) -> list[Column]:
    return [label, *ages.band_columns(), Column("total", "All open", COUNT)]


def build_applications(query) -> list:
    """Open applications by stage and age band: one grouped query."""
    counts = {
        row["stage"]: row
        for row in _open(query).values("stage").annotate(**ages.band_counts("received_at", query.now))
    }
    table = Table(
        f"{APPLICATIONS}-stages",
        "Open disclosure applications by stage and age",
        _columns(ages.label_column("stage", "Stage")),
    )
    for index, stage in enumerate(OPEN_STAGES):
        bands = ages.band_values(counts.get(stage, {}))
        table.rows.append([Stage(stage).label, *bands, sum(bands)])
        ages.link_cells(table, query, APPLICATIONS, index, {"stage": stage}, {"total": {}})
    table.total = [
        "All open applications",
        *(sum(column) for column in zip(*(row[1:] for row in table.rows), strict=True)),
    ]
    chart = Chart(table, "stage", list(ages.BAND_KEYS), kind="stacked", title="Open applications by stage")
    return [chart, table]


def _sees_team(viewer) -> bool:
    """Whether the viewer sees the disclosure team's own rows (its unassigned applications)."""
    return viewer.whole_mash or viewer.actor.agency_kind == AgencyKind.POLICE


def build_researchers(query) -> list:
    """Open applications per researcher (managers: of the agencies they see) and those with none."""
    rows = (
        _open(query)
        .values(*ages.user_fields("researcher"), "researcher__membership__agency_id")
        .annotate(**ages.band_counts("received_at", query.now))
    )
    table = Table(
        f"{RESEARCHERS}-staff",
        "Open disclosure applications per researcher and age",
        _columns(ages.label_column("researcher", "Researcher")),
    )
    shown, unassigned, totals = [], [0] * len(ages.BANDS), [0] * len(ages.BANDS)
    for row in rows:
        bands = ages.band_values(row)
        totals = [a + b for a, b in zip(totals, bands, strict=True)]
        if row["researcher_id"] is None:
            unassigned = bands
        elif query.viewer.sees_agency(row["researcher__membership__agency_id"]):
            shown.append((ages.name_in(row, "researcher"), row["researcher_id"], bands))
    shown.sort(key=lambda item: (item[0].lower(), item[1]))
    if _sees_team(query.viewer):
        shown.append((NO_RESEARCHER, ages.NONE, unassigned))
    entries = [
        ([name, *bands, sum(bands)], {"researcher": researcher}, researcher != ages.NONE)
        for name, researcher, bands in shown
    ]
    for index, (values, params) in enumerate(ages.cap_staff(entries, labels=1, open_at=-1)):
        table.rows.append(values)
        if params is not None:
            ages.link_cells(table, query, APPLICATIONS, index, params, {"total": {}})
    table.total = ["All open applications (the whole MASH)", *totals, sum(totals)]
    return [table]


def drill_applications(query, params: dict) -> Drill:
    """The open applications behind a figure, as the viewer may see them (the team's queue selector)."""
    drilling.known_only(params, {"stage", "band", "researcher"})
    band = ages.band_of(params.get("band", ""))
    researcher = ages.staff_of(params.get("researcher", ""), "researcher")
    stage = params.get("stage", "")
    if stage and stage not in OPEN_STAGES:
        raise ValidationError({"stage": "Choose an open stage (stage) from the dashboard."})
    applications = application_queue(query.user, stage=stage).order_by("received_at", "pk")
    if band is not None:
        applications = applications.filter(band.q("received_at", query.now))
    if researcher == ages.NONE:
        applications = applications.filter(researcher__isnull=True)
    elif researcher:
        applications = applications.filter(researcher_id=researcher)
    records = list(applications[: drilling.CAP])
    table = Table(
        f"{APPLICATIONS}-records",
        "Open disclosure applications",
        [
            Column("reference", "Reference", TEXT),
            Column("scheme", "Scheme", TEXT),
            Column("stage", "Stage", TEXT),
            Column("received", "Received", TEXT),
            Column("researcher", "Researcher", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, applications, "open applications"),
    )
    for index, application in enumerate(records):
        table.rows.append(
            [
                application.reference,
                application.get_scheme_display(),
                application.get_stage_display(),
                format_datetime(application.received_at),
                ages.staff_label(application.researcher, NO_RESEARCHER),
                (query.now - application.received_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "reference")] = reverse("disclosures:application", args=[application.pk])
    return Drill(table, records)


register(
    Measure(
        APPLICATIONS,
        "workload",
        "Open disclosure applications",
        60,
        build_applications,
        description=NOW_NOTE,
        drill=drill_applications,
    ),
    Measure(
        RESEARCHERS,
        "workload",
        "Open disclosure applications per researcher",
        65,
        build_researchers,
        description=NOW_NOTE
        + " A row per researcher of the agencies you see; the total is the whole MASH's.",
        allowed=lambda viewer: viewer.may_see_staff,
    ),
)
