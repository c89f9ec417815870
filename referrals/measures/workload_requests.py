"""Workload: the requests for information open at the moment of reading, per agency (its team) and
per researcher (the member of staff who claimed it), by age since it was sent (docs/measures.md,
'Workload')."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import ages, drilling
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table
from referrals.models import InformationRequest, RequestStatus
from referrals.requests.selectors import open_requests_for

REQUESTS, RESEARCHERS = "workload-requests", "workload-researchers"

NOW_NOTE = (
    "Open now, at the moment of reading, whatever the period chosen: requests not yet answered or "
    "withdrawn. The age is the time since the request was sent, in calendar days; overdue means its "
    "answer was due before now."
)


def _groups(query) -> list[dict]:
    """Open requests grouped by agency and researcher, with their figures: the one query behind both
    the per-agency and the per-researcher tables (shared by the page's measures)."""
    now = query.now
    figures = {
        "open": Count("id"),
        "unclaimed": Count("id", filter=Q(assigned_to__isnull=True)),
        "overdue": Count("id", filter=Q(clock__due_at__lt=now)),
        **ages.band_counts("sent_at", now),
    }
    return ages.once(
        query,
        REQUESTS,
        lambda: list(
            InformationRequest.objects.using(query.db)
            .filter(status=RequestStatus.OPEN)
            .order_by()
            .values("agency_id", "agency__name", *ages.user_fields("assigned_to"))
            .annotate(**figures)
        ),
    )


def _links(table: Table, query, index: int, params: dict) -> None:
    extra = {"open": {}, "unclaimed": {"assignee": ages.NONE}, "overdue": {"overdue": "1"}}
    keys = {column.key for column in table.columns}
    ages.link_cells(table, query, REQUESTS, index, params, {k: v for k, v in extra.items() if k in keys})


def _add(totals: list, values: list) -> list:
    return [a + b for a, b in zip(totals, values, strict=True)]


def build_requests(query) -> list:
    """Open requests per agency (an agency's manager: their own agency's row) and the MASH's total."""
    columns = [
        ages.label_column("agency", "Agency"),
        Column("open", "Open", COUNT),
        Column("unclaimed", "Not claimed", COUNT),
        Column("overdue", "Overdue", COUNT),
        *ages.band_columns(),
    ]
    table = Table(
        f"{REQUESTS}-agencies", "Open requests per agency and age", columns, empty=ages.NOTHING_OPEN
    )
    totals, agencies = [0] * (len(columns) - 1), {}
    for row in _groups(query):
        values = [row["open"], row["unclaimed"], row["overdue"], *ages.band_values(row)]
        totals = _add(totals, values)
        if query.viewer.sees_agency(row["agency_id"]):
            key = (row["agency__name"], row["agency_id"])
            agencies[key] = _add(agencies.get(key, [0] * len(values)), values)
    for index, ((name, agency_id), values) in enumerate(sorted(agencies.items())):
        table.rows.append([name, *values])
        _links(table, query, index, {"agency": agency_id})
    table.total = ["All agencies (the whole MASH)", *totals]
    chart = Chart(
        table, "agency", list(ages.BAND_KEYS), kind="stacked", title="Open requests per agency and age"
    )
    return [chart, table]


def build_researchers(query) -> list:
    """Open requests per researcher of the agencies the viewer sees, and each agency's unclaimed."""
    rows = _groups(query)
    columns = [
        ages.label_column("researcher", "Researcher"),
        ages.label_column("agency", "Agency"),
        Column("open", "Open", COUNT),
        Column("overdue", "Overdue", COUNT),
        *ages.band_columns(),
    ]
    table = Table(
        f"{RESEARCHERS}-staff", "Open requests per researcher and age", columns, empty=ages.NOTHING_OPEN
    )
    totals, shown = [0] * (len(columns) - 2), []
    for row in rows:
        values = [row["open"], row["overdue"], *ages.band_values(row)]
        totals = _add(totals, values)
        if not query.viewer.sees_agency(row["agency_id"]):
            continue
        if row["assigned_to_id"] is None:
            name, assignee = "Not claimed", ages.NONE
        else:
            name = ages.name_in(row, "assigned_to")
            assignee = row["assigned_to_id"]
        # Each agency's researchers by name, its unclaimed requests last.
        order = (row["agency__name"], row["agency_id"], assignee == ages.NONE, name.lower(), str(assignee))
        params = {"agency": row["agency_id"], "assignee": assignee}
        shown.append((order, ([name, row["agency__name"], *values], params, assignee != ages.NONE)))
    entries = [entry for _, entry in sorted(shown, key=lambda item: item[0])]
    for index, (values, params) in enumerate(ages.cap_staff(entries, labels=2, open_at=2)):
        table.rows.append(values)
        if params is not None:
            _links(table, query, index, params)
    table.total = ["All researchers (the whole MASH)", "", *totals]
    return [table]


def drill_requests(query, params: dict) -> Drill:
    """The open requests behind a figure, as the viewer may see them (the requests' selector)."""
    drilling.known_only(params, {"agency", "band", "assignee", "overdue"})
    band = ages.band_of(params.get("band", ""))
    assignee = ages.staff_of(params.get("assignee", ""))
    agency, overdue = params.get("agency", ""), drilling.flag(params, "overdue")
    if agency and not agency.isdigit():
        raise ValidationError({"agency": "Choose an agency (agency) from the dashboard."})
    requests = open_requests_for(query.user)
    if agency:
        requests = requests.filter(agency_id=int(agency))
    if band is not None:
        requests = requests.filter(band.q("sent_at", query.now))
    if assignee == ages.NONE:
        requests = requests.filter(assigned_to__isnull=True)
    elif assignee:
        requests = requests.filter(assigned_to_id=assignee)
    if overdue:
        requests = requests.filter(clock__due_at__lt=query.now)
    records = list(requests[: drilling.CAP])
    table = Table(
        f"{REQUESTS}-records",
        "Open requests for information",
        [
            Column("referral", "Referral", TEXT),
            Column("agency", "Agency", TEXT),
            Column("sent", "Sent", TEXT),
            Column("due", "Due", TEXT),
            Column("researcher", "Researcher", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, requests, "open requests"),
    )
    for index, request in enumerate(records):
        person = request.assigned_to
        table.rows.append(
            [
                request.referral.reference,
                request.agency.name,
                format_datetime(request.sent_at),
                format_datetime(request.clock.due_at),
                ages.staff_label(person, "Not claimed"),
                (query.now - request.sent_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "referral")] = reverse("referrals:request", args=[request.pk])
    return Drill(table, records)


register(
    Measure(
        REQUESTS,
        "workload",
        "Open requests for information per agency",
        30,
        build_requests,
        description=NOW_NOTE + " A row per agency you see (its team); the total is the whole MASH's.",
        drill=drill_requests,
    ),
    Measure(
        RESEARCHERS,
        "workload",
        "Open requests per researcher",
        40,
        build_researchers,
        description=NOW_NOTE
        + " A row per researcher who claimed requests, and each agency's unclaimed ones.",
        allowed=lambda viewer: viewer.may_see_staff,
    ),
)
