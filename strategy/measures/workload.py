"""Workload: the strategy discussions' actions open at the moment of reading, per owner agency and per
owner, and the discussions scheduled and not yet signed off (docs/measures.md, 'Workload')."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mash.common.dates import format_date, format_datetime
from mash.measures import ages, drilling
from mash.measures.registry import Drill, Measure, register
from mash.measures.tables import COUNT, DAYS, TEXT, Chart, Column, Table
from strategy.models import Action, ActionStatus, DiscussionStatus, StrategyDiscussion
from strategy.selectors import actions_for, discussions_for

ACTIONS, OWNERS, DISCUSSIONS = "workload-actions", "workload-action-owners", "workload-discussions"
NO_OWNER = "Named for no one"
ACTIONS_NOTE = (
    "Open now, at the moment of reading, whatever the period chosen: actions of strategy discussions "
    "(not cancelled) not yet done. The age is the time since the action was set, in calendar days; "
    "overdue means its due day has passed."
)


def _groups(query) -> list[dict]:
    """Open actions (of discussions not cancelled) grouped by owner agency and owner, with their
    figures: the one query behind both the per-agency and the per-owner tables."""
    today = timezone.localdate(query.now)
    figures = {
        "open": Count("id"),
        "unowned": Count("id", filter=Q(owner__isnull=True)),
        "overdue": Count("id", filter=Q(due_on__lt=today)),
        **ages.band_counts("created_at", query.now),
    }
    return ages.once(
        query,
        ACTIONS,
        lambda: list(
            Action.objects.using(query.db)
            .filter(status=ActionStatus.OPEN)
            .exclude(discussion__status=DiscussionStatus.CANCELLED)
            .order_by()
            .values("owner_agency_id", "owner_agency__name", *ages.user_fields("owner"))
            .annotate(**figures)
        ),
    )


def _add(totals: list, values: list) -> list:
    return [a + b for a, b in zip(totals, values, strict=True)]


def build_actions(query) -> list:
    """Open actions per owner agency (an agency's manager: their own) and the MASH's total."""
    columns = [
        ages.label_column("agency", "Agency"),
        Column("open", "Open", COUNT),
        Column("unowned", NO_OWNER, COUNT),
        Column("overdue", "Overdue", COUNT),
        *ages.band_columns(),
    ]
    table = Table(f"{ACTIONS}-agencies", "Open actions per agency and age", columns, empty=ages.NOTHING_OPEN)
    totals, agencies = [0] * (len(columns) - 1), {}
    for row in _groups(query):
        values = [row["open"], row["unowned"], row["overdue"], *ages.band_values(row)]
        totals = _add(totals, values)
        if query.viewer.sees_agency(row["owner_agency_id"]):
            key = (row["owner_agency__name"], row["owner_agency_id"])
            agencies[key] = _add(agencies.get(key, [0] * len(values)), values)
    extra = {"open": {}, "unowned": {"owner": ages.NONE}, "overdue": {"overdue": "1"}}
    for index, ((name, agency_id), values) in enumerate(sorted(agencies.items())):
        table.rows.append([name, *values])
        ages.link_cells(table, query, ACTIONS, index, {"agency": agency_id}, extra)
    table.total = ["All agencies (the whole MASH)", *totals]
    chart = Chart(table, "agency", list(ages.BAND_KEYS), kind="stacked", title="Open actions per agency")
    return [chart, table]


def build_owners(query) -> list:
    """Open actions per owner of the agencies the viewer sees, and each agency's unowned ones."""
    columns = [
        ages.label_column("owner", "Owner"),
        ages.label_column("agency", "Agency"),
        Column("open", "Open", COUNT),
        Column("overdue", "Overdue", COUNT),
        *ages.band_columns(),
    ]
    table = Table(f"{OWNERS}-staff", "Open actions per owner and age", columns, empty=ages.NOTHING_OPEN)
    totals, shown = [0] * (len(columns) - 2), []
    for row in _groups(query):
        values = [row["open"], row["overdue"], *ages.band_values(row)]
        totals = _add(totals, values)
        if not query.viewer.sees_agency(row["owner_agency_id"]):
            continue
        owner = row["owner_id"] or ages.NONE
        name = ages.name_in(row, "owner") if row["owner_id"] else NO_OWNER
        order = (
            row["owner_agency__name"],
            row["owner_agency_id"],
            owner == ages.NONE,
            name.lower(),
            str(owner),
        )
        params = {"agency": row["owner_agency_id"], "owner": owner}
        shown.append((order, ([name, row["owner_agency__name"], *values], params, owner != ages.NONE)))
    entries = [entry for _, entry in sorted(shown, key=lambda item: item[0])]
    for index, (values, params) in enumerate(ages.cap_staff(entries, labels=2, open_at=2)):
        table.rows.append(values)
        if params is not None:
            ages.link_cells(table, query, ACTIONS, index, params, {"open": {}, "overdue": {"overdue": "1"}})
    table.total = ["All owners (the whole MASH)", "", *totals]
    return [table]


def build_discussions(query) -> list:
    """Discussions scheduled and not signed off: to be held, and held (their time passed) awaiting
    sign-off by age since they were held. One query."""
    held = Q(scheduled_at__lt=query.now)
    counts = (
        StrategyDiscussion.objects.using(query.db)
        .filter(status=DiscussionStatus.SCHEDULED)
        .order_by()
        .aggregate(
            ahead=Count("id", filter=~held),
            **{band.key: Count("id", filter=held & band.q("scheduled_at", query.now)) for band in ages.BANDS},
        )
    )
    bands = ages.band_values(counts)
    table = Table(
        f"{DISCUSSIONS}-status",
        "Strategy discussions not signed off",
        [ages.label_column("status", "Discussions"), *ages.band_columns(), Column("total", "All", COUNT)],
    )
    table.rows = [
        ["To be held", 0, 0, 0, 0, 0, counts["ahead"]],
        ["Held, awaiting sign-off", *bands, sum(bands)],
    ]
    table.total = ["All scheduled and not signed off", *bands, counts["ahead"] + sum(bands)]
    ages.link_cells(table, query, DISCUSSIONS, 0, {"held": "0"}, {"total": {}})
    ages.link_cells(table, query, DISCUSSIONS, 1, {"held": "1"}, {"total": {}})
    for band in ages.BANDS:  # nothing to be held has an age yet
        table.links.pop((0, band.key), None)
    return [table]


def drill_actions(query, params: dict) -> Drill:
    """The open actions behind a figure, as the viewer may see them (the actions' selector: a lead case
    worker every action; anyone else their own and their agency's actions named for no one)."""
    drilling.known_only(params, {"agency", "band", "owner", "overdue"})
    band = ages.band_of(params.get("band", ""))
    owner = ages.staff_of(params.get("owner", ""), "owner")
    agency, overdue = params.get("agency", ""), drilling.flag(params, "overdue")
    if agency and not agency.isdigit():
        raise ValidationError({"agency": "Choose an agency (agency) from the dashboard."})
    actions = actions_for(query.user, everyone=True).order_by("created_at", "pk")
    if agency:
        actions = actions.filter(owner_agency_id=int(agency))
    if band is not None:
        actions = actions.filter(band.q("created_at", query.now))
    if owner == ages.NONE:
        actions = actions.filter(owner__isnull=True)
    elif owner:
        actions = actions.filter(owner_id=owner)
    if overdue:
        actions = actions.filter(due_on__lt=timezone.localdate(query.now))
    records = list(actions[: drilling.CAP])
    table = Table(
        f"{ACTIONS}-records",
        "Open actions",
        [
            Column("referral", "Referral", TEXT),
            Column("agency", "Agency", TEXT),
            Column("owner", "Owner", TEXT),
            Column("due", "Due", TEXT),
            Column("age", "Age (days)", DAYS),
        ],
        caption=ages.oldest_caption(records, actions, "open actions"),
    )
    for index, action in enumerate(records):
        table.rows.append(
            [
                action.discussion.referral.reference,
                action.owner_agency.name,
                ages.staff_label(action.owner, NO_OWNER),
                format_date(action.due_on),
                (query.now - action.created_at).total_seconds() / 86400,
            ]
        )
        table.links[(index, "referral")] = reverse("strategy:discussion", args=[action.discussion_id])
    return Drill(table, [action.discussion for action in records])


def drill_discussions(query, params: dict) -> Drill:
    """The discussions scheduled and not signed off behind a figure, as the viewer may see them."""
    drilling.known_only(params, {"held", "band"})
    band = ages.band_of(params.get("band", ""))
    held = drilling.choice(params, "held", ("0", "1"), what="held (1) or to be held (0)")
    discussions = discussions_for(query.user, status=DiscussionStatus.SCHEDULED).order_by(
        "scheduled_at", "pk"
    )
    if held == "1" or band is not None:
        discussions = discussions.filter(scheduled_at__lt=query.now)
    elif held == "0":
        discussions = discussions.filter(scheduled_at__gte=query.now)
    if band is not None:
        discussions = discussions.filter(band.q("scheduled_at", query.now))
    records = list(discussions[: drilling.CAP])
    table = Table(
        f"{DISCUSSIONS}-records",
        "Strategy discussions not signed off",
        [
            Column("referral", "Referral", TEXT),
            Column("scheduled", "Scheduled", TEXT),
            Column("chair", "Chair", TEXT),
        ],
        caption=ages.oldest_caption(records, discussions, "discussions"),
    )
    for index, discussion in enumerate(records):
        table.rows.append(
            [
                discussion.referral.reference,
                format_datetime(discussion.scheduled_at),
                ages.staff_label(discussion.chair),
            ]
        )
        table.links[(index, "referral")] = reverse("strategy:discussion", args=[discussion.pk])
    return Drill(table, records)


register(
    Measure(
        ACTIONS, "workload", "Open actions", 70, build_actions, description=ACTIONS_NOTE, drill=drill_actions
    ),
    Measure(
        OWNERS,
        "workload",
        "Open actions per owner",
        75,
        build_owners,
        description=ACTIONS_NOTE + " A row per owner of the agencies you see; the total is the whole MASH's.",
        allowed=lambda viewer: viewer.may_see_staff,
    ),
    Measure(
        DISCUSSIONS,
        "workload",
        "Strategy discussions not signed off",
        80,
        build_discussions,
        description=(
            "Now, whatever the period chosen: discussions scheduled and not yet signed off (nor cancelled); "
            "those whose time has passed, by the time since they were held, in calendar days."
        ),
        drill=drill_discussions,
    ),
)
