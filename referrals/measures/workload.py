"""Workload: the referrals open at the moment of reading, by state, age and assignee, and the flow of
referrals and requests opened and closed in the period (docs/measures.md, 'Workload').

Open is as the triage queue has it (``OPEN_STATES``: every state but closed, so a decided referral
whose referrer has not yet been told is still open). An age is the time since the referral was
received (mash/measures/ages.py).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import ages, drilling
from mash.measures.aggregates import month_label
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table
from referrals.models import OPEN_STATES, InformationRequest, Referral, State
from referrals.selectors import referral_queue_for

REFERRALS, STAFF, FLOW = "workload-referrals", "workload-referral-staff", "workload-flow"

NOW_NOTE = (
    "Open now, at the moment of reading, whatever the period chosen. The age is the time since the "
    "referral was received, in calendar days."
)


def _groups(query) -> list[dict]:
    """Open referrals grouped by state and assignee, with their age bands: the one query behind both
    the per-state and the per-assignee tables (shared by the page's measures)."""
    fields = (*ages.user_fields("assigned_to"), "assigned_to__membership__agency_id")
    return ages.once(
        query,
        REFERRALS,
        lambda: list(
            Referral.objects.using(query.db)
            .filter(state__in=OPEN_STATES)
            .order_by()
            .values("state", *fields)
            .annotate(**ages.band_counts("received_at", query.now))
        ),
    )


def _sum(rows, key) -> dict:
    """The band counts of ``rows`` summed per ``key(row)``."""
    sums: dict = {}
    for row in rows:
        bands = ages.band_values(row)
        sums[key(row)] = [a + b for a, b in zip(sums.get(key(row), [0] * len(bands)), bands, strict=True)]
    return sums


def build_referrals(query) -> list:
    """Open referrals by state and age band."""
    counts = _sum(_groups(query), lambda row: row["state"])
    columns = [
        ages.label_column("state", "State"),
        *ages.band_columns(),
        Column("total", "All open", COUNT),
    ]
    table = Table(f"{REFERRALS}-states", "Open referrals by state and age", columns, empty=ages.NOTHING_OPEN)
    for index, state in enumerate(OPEN_STATES):
        bands = counts.get(state, [0] * len(ages.BANDS))
        table.rows.append([State(state).label, *bands, sum(bands)])
        ages.link_cells(table, query, REFERRALS, index, {"state": state}, {"total": {}})
    totals = [sum(column) for column in zip(*(row[1:] for row in table.rows), strict=True)]
    table.total = ["All open referrals", *totals]
    chart = Chart(
        table, "state", list(ages.BAND_KEYS), kind="stacked", title="Open referrals by state and age"
    )
    return [chart, table]


def build_staff(query) -> list:
    """Open referrals per assignee (managers: staff of the agencies they see) and unassigned."""
    rows = _groups(query)
    names = {row["assigned_to_id"]: ages.name_in(row, "assigned_to") for row in rows}
    agencies = {row["assigned_to_id"]: row["assigned_to__membership__agency_id"] for row in rows}
    counts = _sum(rows, lambda row: row["assigned_to_id"])
    columns = [
        ages.label_column("assignee", "Assigned to"),
        *ages.band_columns(),
        Column("total", "All", COUNT),
    ]
    table = Table(
        f"{STAFF}-assignees", "Open referrals by assignee and age", columns, empty=ages.NOTHING_OPEN
    )
    shown = sorted(
        (names[who].lower(), who)
        for who in counts
        if who is not None and query.viewer.sees_agency(agencies[who])
    )
    rows_shown = [(names[who], who, counts[who]) for _, who in shown]
    # No one's row is unassigned work: the lead agency's, shown to those who see the whole MASH.
    if query.viewer.whole_mash:
        rows_shown.append((ages.UNASSIGNED, ages.NONE, counts.get(None, [0] * len(ages.BANDS))))
    entries = [
        ([name, *bands, sum(bands)], {"assignee": assignee}, assignee != ages.NONE)
        for name, assignee, bands in rows_shown
    ]
    for index, (values, params) in enumerate(ages.cap_staff(entries, labels=1, open_at=-1)):
        table.rows.append(values)
        if params is not None:
            ages.link_cells(table, query, REFERRALS, index, params, {"total": {}})
    totals = (
        [sum(column) for column in zip(*counts.values(), strict=True)] if counts else [0] * len(ages.BANDS)
    )
    table.total = ["All open referrals (the whole MASH)", *totals, sum(totals)]
    return [table]


def build_flow(query) -> list:
    """Referrals and requests opened and closed in the period, by month: one query a series, each a
    filtered count per month over the period's rows (read from an index of that time)."""
    period, db = query.period, query.db
    months = period.months()

    def by_month(model, field: str) -> list[int]:
        counts = (
            model.objects.using(db)
            .filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end})
            .order_by()
            .aggregate(**ages.month_counts(field, period))
        )
        return [counts[f"m{index}"] for index in range(len(months))]

    series = [
        ("received", "Referrals received", by_month(Referral, "received_at")),
        ("closed", "Referrals closed", by_month(Referral, "closed_at")),
        ("sent", "Requests sent", by_month(InformationRequest, "sent_at")),
        ("answered", "Requests answered", by_month(InformationRequest, "answered_at")),
        ("withdrawn", "Requests withdrawn", by_month(InformationRequest, "withdrawn_at")),
    ]
    columns = [Column("month", "Month", TEXT), *(Column(key, label, COUNT) for key, label, _ in series)]
    table = Table(
        f"{FLOW}-months", "Opened and closed in the period, by month", columns, empty=ages.NOTHING_OPEN
    )
    for index, month in enumerate(months):
        table.rows.append([month_label(month), *(counts[index] for _, _, counts in series)])
    table.total = ["The whole period", *(sum(counts) for _, _, counts in series)]
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
