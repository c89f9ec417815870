"""Workload: the referrals open at the moment of reading, by state, age and assignee, and the flow of
referrals and requests opened and closed in the period (docs/measures.md, 'Workload').

Open is as the triage queue has it (``OPEN_STATES``: every state but closed, so a decided referral
whose referrer has not yet been told is still open). An age is the time since the referral was
received (mash/measures/ages.py).
"""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import ages, drilling
from mash.measures.aggregates import month_label, month_of
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table
from referrals.models import OPEN_STATES, InformationRequest, Referral, State
from referrals.selectors import referral_queue_for

REFERRALS, STAFF, FLOW = "workload-referrals", "workload-referral-staff", "workload-flow"

NOW_NOTE = (
    "Open now, at the moment of reading, whatever the period chosen. The age is the time since the "
    "referral was received, in calendar days."
)


def _open(query):
    return Referral.objects.using(query.db).filter(state__in=OPEN_STATES).order_by()


def _state_label(state: str) -> str:
    return State(state).label


def build_referrals(query) -> list:
    """Open referrals by state and age band: one grouped query."""
    counts = {
        row["state"]: row
        for row in _open(query).values("state").annotate(**ages.band_counts("received_at", query.now))
    }
    columns = [
        ages.label_column("state", "State"),
        *ages.band_columns(),
        Column("total", "All open", COUNT),
    ]
    table = Table(f"{REFERRALS}-states", "Open referrals by state and age", columns)
    for index, state in enumerate(OPEN_STATES):
        bands = ages.band_values(counts.get(state, {}))
        table.rows.append([_state_label(state), *bands, sum(bands)])
        _link(table, query, index, REFERRALS, {"state": state})
    totals = [sum(column) for column in zip(*(row[1:] for row in table.rows), strict=True)]
    table.total = ["All open referrals", *totals]
    chart = Chart(
        table, "state", list(ages.BAND_KEYS), kind="stacked", title="Open referrals by state and age"
    )
    return [chart, table]


def _link(table: Table, query, index: int, measure: str, params: dict) -> None:
    """Drill links for a row's band cells and its total (managers only: '' for the board)."""
    for band in ages.BANDS:
        url = query.drill_url(measure, **params, band=band.key)
        if url:
            table.links[(index, band.key)] = url
    url = query.drill_url(measure, **params)
    if url:
        table.links[(index, "total")] = url


def build_staff(query) -> list:
    """Open referrals per assignee (managers: staff of the agencies they see) and unassigned."""
    rows = (
        _open(query)
        .values(
            "assigned_to_id",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
            "assigned_to__membership__agency_id",
        )
        .annotate(**ages.band_counts("received_at", query.now))
    )
    columns = [
        ages.label_column("assignee", "Assigned to"),
        *ages.band_columns(),
        Column("total", "All", COUNT),
    ]
    table = Table(f"{STAFF}-assignees", "Open referrals by assignee and age", columns)
    shown, unassigned, totals = [], None, [0] * len(ages.BANDS)
    for row in rows:
        bands = ages.band_values(row)
        totals = [a + b for a, b in zip(totals, bands, strict=True)]
        if row["assigned_to_id"] is None:
            unassigned = bands
        elif query.viewer.sees_agency(row["assigned_to__membership__agency_id"]):
            name = ages.staff_name(
                row["assigned_to__first_name"], row["assigned_to__last_name"], row["assigned_to__username"]
            )
            shown.append((name, row["assigned_to_id"], bands))
    shown.sort(key=lambda item: (item[0].lower(), item[1]))
    # No one's row is unassigned work: the lead agency's, shown to those who see the whole MASH.
    if query.viewer.whole_mash:
        shown.append((ages.UNASSIGNED, ages.NONE, unassigned or [0] * len(ages.BANDS)))
    for index, (name, assignee, bands) in enumerate(shown):
        table.rows.append([name, *bands, sum(bands)])
        _link(table, query, index, REFERRALS, {"assignee": assignee})
    table.total = ["All open referrals (the whole MASH)", *totals, sum(totals)]
    return [table]


def build_flow(query) -> list:
    """Referrals and requests opened and closed in the period, by month: one grouped query each."""
    period, db = query.period, query.db
    months = period.months()

    def by_month(model, field: str, **filters) -> dict:
        return dict(
            model.objects.using(db)
            .filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end}, **filters)
            .annotate(month=month_of(field))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("month", "n")
        )

    series = [
        ("received", "Referrals received", by_month(Referral, "received_at")),
        ("closed", "Referrals closed", by_month(Referral, "closed_at")),
        ("sent", "Requests sent", by_month(InformationRequest, "sent_at")),
        ("answered", "Requests answered", by_month(InformationRequest, "answered_at")),
        ("withdrawn", "Requests withdrawn", by_month(InformationRequest, "withdrawn_at")),
    ]
    columns = [Column("month", "Month", TEXT), *(Column(key, label, COUNT) for key, label, _ in series)]
    table = Table(f"{FLOW}-months", "Opened and closed in the period, by month", columns)
    for month in months:
        table.rows.append([month_label(month), *(counts.get(month, 0) for _, _, counts in series)])
    table.total = ["The whole period", *(sum(counts.values()) for _, _, counts in series)]
    chart = Chart(table, "month", ["received", "closed"], kind="bar", title="Referrals received and closed")
    return [chart, table]


def drill_referrals(query, params: dict) -> Drill:
    """The open referrals behind a figure, as the viewer may see them (the triage queue's selector)."""
    drilling.known_only(params, {"state", "band", "assignee"})
    state, band = params.get("state", ""), ages.band_of(params.get("band", ""))
    assignee = ages.staff_of(params.get("assignee", ""))
    if state and state not in OPEN_STATES:
        raise ValidationError({"state": "Choose an open state (state) from the dashboard."})
    referrals = referral_queue_for(query.user, state=state, now=query.now).order_by("received_at", "pk")
    if band is not None:
        referrals = referrals.filter(band.q("received_at", query.now))
    if assignee == ages.NONE:
        referrals = referrals.filter(assigned_to__isnull=True)
    elif assignee:
        referrals = referrals.filter(assigned_to_id=assignee)
    records = list(referrals[: drilling.CAP])
    table = Table(
        f"{REFERRALS}-records",
        "Open referrals",
        [
            Column("reference", "Reference", TEXT),
            Column("state", "State", TEXT),
            Column("received", "Received", TEXT),
            Column("assignee", "Assigned to", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, referrals, "open referrals"),
    )
    for index, referral in enumerate(records):
        person = referral.assigned_to
        table.rows.append(
            [
                referral.reference,
                referral.get_state_display(),
                format_datetime(referral.received_at),
                ages.staff_label(person, ages.UNASSIGNED),
                (query.now - referral.received_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "reference")] = reverse("referrals:detail", args=[referral.pk])
    return Drill(table, records)


register(
    Measure(
        REFERRALS,
        "workload",
        "Open referrals",
        10,
        build_referrals,
        description=NOW_NOTE,
        drill=drill_referrals,
    ),
    Measure(
        STAFF,
        "workload",
        "Open referrals per member of staff",
        20,
        build_staff,
        description=NOW_NOTE + " A row per assignee of the agencies you see; the total is the whole MASH's.",
        allowed=lambda viewer: viewer.may_see_staff,
    ),
    Measure(
        FLOW,
        "workload",
        "Opened and closed in the period",
        50,
        build_flow,
        description=(
            "For the period chosen, by month: referrals received and closed, requests for information "
            "sent, answered and withdrawn (the whole MASH)."
        ),
    ),
)
