"""Demand: the consultation line (does it reduce demand?) and repeat referrals of the same person
within 12 months (docs/measures.md, 'Demand')."""

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import drilling
from mash.measures.aggregates import month_label, month_of
from mash.measures.periods import BY_MONTH
from mash.measures.registry import DEMAND, Drill, Measure, register
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share
from referrals.measures.demand import contact_counts, referral_rows, repeat_contacts
from referrals.models import Consultation
from referrals.selectors import consultation_list_for, referral_list_for

LINE, REPEATS = "demand-consultations", "demand-repeats"


def _rows(query, counts: dict, label_total: str):
    """(label, month key or None, counts) for the rows of a table: one for the whole period, or one per
    month with a total row after them."""
    whole = defaultdict(int)
    for month_counts in counts.values():
        for name, value in month_counts.items():
            whole[name] += value
    if query.by != BY_MONTH:
        return [(query.period.label, None, whole)], None
    months = [
        (month_label(m), drilling.month_key(m), counts.get(m, defaultdict(int)))
        for m in query.period.months()
    ]
    return months, (label_total, None, whole)


def _by_month(queryset, field: str, **aggregates) -> dict:
    grouped = queryset.values(month=month_of(field)).annotate(**aggregates).order_by()
    return {row.pop("month"): defaultdict(int, row) for row in grouped}


LINE_KINDS = {
    "calls": Q(),
    "referred": Q(referral__isnull=False),
    "advised": Q(referral_advised=True),
    "not_referred": Q(referral__isnull=True),
}


def line_build(query) -> list:
    calls = _by_month(
        Consultation.objects.using(query.db).filter(
            called_at__gte=query.period.start, called_at__lt=query.period.end
        ),
        "called_at",
        calls=Count("id"),
        referred=Count("id", filter=LINE_KINDS["referred"]),
        advised=Count("id", filter=LINE_KINDS["advised"]),
    )
    contacts = _contacts_by_month(query)
    summary = Table(
        "demand-consultations",
        "The consultation line",
        [
            Column("period", "Period", TEXT),
            Column("calls", "Calls"),
            Column("referred", "Became referrals"),
            Column("advised", "Referral advised"),
            Column("not_referred", "Did not become a referral"),
            Column("not_referred_share", "Calls that did not become a referral", PERCENT),
        ],
        caption="Professionals' calls to the consultation line in the period: how many became a "
        "referral record, how many were advised to refer, and the share handled without one.",
    )
    rows, total = _rows(query, calls, "Whole period")

    def values(label, counts):
        not_referred = counts["calls"] - counts["referred"]
        return [
            label,
            counts["calls"],
            counts["referred"],
            counts["advised"],
            not_referred,
            share(not_referred, counts["calls"]),
        ]

    for index, (label, month, counts) in enumerate(rows):
        summary.rows.append(values(label, counts))
        for kind in ("calls", "referred", "advised", "not_referred"):
            if url := query.drill_url(LINE, kind=kind, month=month):
                summary.links[(index, kind)] = url
    if total:
        summary.total = values(total[0], total[2])

    trend = Table(
        "demand-consultations-trend",
        "Calls to the consultation line and contacts, per month",
        [Column("month", "Month", TEXT), Column("calls", "Calls"), Column("contacts", "Contacts")],
        caption="Whether the line reduces demand: calls against contacts, month by month.",
    )
    for month in query.period.months():
        trend.rows.append(
            [
                month_label(month),
                calls.get(month, {}).get("calls", 0),
                contacts.get(month, {}).get("contacts", 0),
            ]
        )
    chart = Chart(trend, "month", ["calls", "contacts"], kind="line", title="Calls and contacts per month")
    return [summary, chart, trend]


def line_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"kind", "month"})
    kind = drilling.choice(params, "kind", LINE_KINDS, what="a figure") or "calls"
    start, end = drilling.span(query.period, params)
    calls = consultation_list_for(query.user).filter(
        LINE_KINDS[kind], called_at__gte=start, called_at__lt=end
    )
    total = calls.count()
    records = list(calls[: drilling.CAP])
    table = Table(
        "records",
        "Calls to the consultation line",
        [
            Column("called", "Called", TEXT),
            Column("organisation", "Caller's organisation", TEXT),
            Column("advised", "Referral advised", TEXT),
            Column("referral", "Referral", TEXT),
        ],
        caption=drilling.capped_caption(total, "calls"),
    )
    for index, call in enumerate(records):
        table.rows.append(
            [
                format_datetime(call.called_at),
                call.caller_organisation,
                "Yes" if call.referral_advised else "No",
                call.referral.reference if call.referral_id else "",
            ]
        )
        table.links[(index, "called")] = reverse("referrals:consultation", args=[call.pk])
        if call.referral_id:
            table.links[(index, "referral")] = reverse("referrals:detail", args=[call.referral_id])
    return Drill(table, records)


def _contacts_by_month(query) -> dict:
    """Contacts and repeat contacts per month, from the contacts' one query (``contact_counts``)."""
    months = defaultdict(lambda: defaultdict(int))
    for row in contact_counts(query):
        months[row["month"]]["contacts"] += row["contacts"]
        months[row["month"]]["repeats"] += row["repeats"]
    return months


def repeats_build(query) -> list:
    table = Table(
        "demand-repeats",
        "Repeat referrals",
        [
            Column("period", "Period", TEXT),
            Column("contacts", "Contacts"),
            Column("repeats", "About a person referred in the 12 months before"),
            Column("share", "Repeat contacts", PERCENT),
        ],
        caption="Contacts in the period about a person who was the subject of another contact in the "
        "12 months before it.",
    )
    rows, total = _rows(query, _contacts_by_month(query), "Whole period")
    for index, (label, month, counts) in enumerate(rows):
        table.rows.append(
            [label, counts["contacts"], counts["repeats"], share(counts["repeats"], counts["contacts"])]
        )
        if url := query.drill_url(REPEATS, month=month):
            table.links[(index, "repeats")] = url
    if total:
        counts = total[2]
        table.total = [
            total[0],
            counts["contacts"],
            counts["repeats"],
            share(counts["repeats"], counts["contacts"]),
        ]
    return [table]


def repeats_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"month"})
    start, end = drilling.span(query.period, params)
    referrals = referral_list_for(query.user).filter(
        received_at__gte=start, received_at__lt=end, id__in=repeat_contacts(start, end)
    )
    return referral_rows(query, referrals, what="repeat contacts", caption_total=referrals.count())


register(
    Measure(
        LINE,
        DEMAND.key,
        "The consultation line",
        20,
        line_build,
        description="Calls to the consultation line, how many became referrals, and calls against "
        "contacts month by month.",
        drill=line_drill,
    ),
    Measure(
        REPEATS,
        DEMAND.key,
        "Repeat referrals",
        30,
        repeats_build,
        description="Contacts about a person referred in the 12 months before.",
        drill=repeats_drill,
    ),
)
