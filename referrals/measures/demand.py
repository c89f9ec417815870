"""Demand: contacts and referrals by source and month, and the outcomes of each source's contacts
(docs/measures.md, 'Demand'). The consultation line and repeat referrals: demand_line.py.

A contact is every referral record received in the period; a referral is a contact whose outcome
accepted it for a social care assessment or enquiry (``ACCEPTED``). The source is the channel. Contacts
have no agency: every viewer sees the whole MASH's figures, and ``by=agency`` changes nothing here.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import drilling
from mash.measures.aggregates import month_label, month_of
from mash.measures.registry import DEMAND, Drill, Measure, register
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share
from referrals.models import Channel, Outcome, Referral, ReferralSubject, SubjectRole
from referrals.selectors import referral_list_for

ACCEPTED = (
    Outcome.CHILD_AND_FAMILY_ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION,
    Outcome.IMMEDIATE_PROTECTION,
    Outcome.SECTION_42_ENQUIRY,
)
IS_REFERRAL = Q(outcome__in=ACCEPTED)
CONTACTS, OUTCOMES = "demand-contacts", "demand-outcomes"
REPEAT_WINDOW = timedelta(days=365)


def contacts_in(query, start=None, end=None):
    """The contacts received in the period (or a span of it), read where the aggregates are read."""
    return Referral.objects.using(query.db).filter(
        received_at__gte=start or query.period.start, received_at__lt=end or query.period.end
    )


def repeat_contacts(start, end):
    """The ids of the contacts received in [start, end) about a person (role 'subject') who was the
    subject of another contact in the 12 months before it: received in [its receipt - 365 days, its
    receipt). One uncorrelated subquery over the subject links (a semi-join PostgreSQL hashes once):
    the correlated EXISTS per contact gave the same count at bench scale (200,000 referrals, a year's
    period: 4,767 of 49,928) in 1.4 to 2.1 s against 0.33 s (docs/measures.md, 'Demand')."""
    earlier = "person__referral_links__referral__received_at"
    return ReferralSubject.objects.filter(
        Q(
            role=SubjectRole.SUBJECT,
            referral__received_at__gte=start,
            referral__received_at__lt=end,
            person__referral_links__role=SubjectRole.SUBJECT,
        ),
        # One call, so that every condition is on the same earlier link (one join, not one each).
        Q(**{f"{earlier}__lt": F("referral__received_at")}),
        Q(**{f"{earlier}__gte": F("referral__received_at") - REPEAT_WINDOW}),
        # Implied by the two above; lets the planner read only the earlier contacts that can count.
        Q(**{f"{earlier}__gte": start - REPEAT_WINDOW}),
    ).values("referral_id")


def contact_counts(query) -> list[dict]:
    """The period's contacts grouped by (month, source): contacts, referrals and repeat contacts. One
    query for the three measures that count contacts on a page (kept in ``query.extra``)."""
    key = "referrals.demand.contact_counts"
    if key not in query.extra:
        repeats = Q(id__in=repeat_contacts(query.period.start, query.period.end))
        query.extra[key] = list(
            contacts_in(query)
            .values("channel", month=month_of("received_at"))
            .annotate(
                contacts=Count("id"),
                referrals=Count("id", filter=IS_REFERRAL),
                repeats=Count("id", filter=repeats),
            )
            .order_by()
        )
    return query.extra[key]


def _links(query, table: Table, row: int, measure: str, cells: dict[str, dict]) -> None:
    for column, params in cells.items():
        if url := query.drill_url(measure, **params):
            table.links[(row, column)] = url


def contacts_build(query) -> list:
    grouped = contact_counts(query)
    by_channel = defaultdict(lambda: [0, 0])
    by_month = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in grouped:  # a row per (month, source) that has contacts: at most 60 for five years
        for totals in (by_channel[row["channel"]], by_month[row["month"]][row["channel"]]):
            totals[0] += row["contacts"]
            totals[1] += row["referrals"]

    sources = Table(
        "demand-contacts-sources",
        "Contacts and referrals by source",
        [
            Column("source", "Source", TEXT),
            Column("contacts", "Contacts"),
            Column("referrals", "Referrals"),
            Column("conversion", "Contacts that became referrals", PERCENT),
        ],
        caption="Contacts received in the period by how they came in; referrals are the contacts "
        "accepted for a social care assessment or enquiry.",
    )
    for index, (channel, label) in enumerate(Channel.choices):
        contacts, referrals = by_channel[channel]
        sources.rows.append([label, contacts, referrals, share(referrals, contacts)])
        _links(
            query,
            sources,
            index,
            CONTACTS,
            {"contacts": {"channel": channel}, "referrals": {"channel": channel, "referral": "1"}},
        )
    contacts = sum(c for c, _ in by_channel.values())
    referrals = sum(r for _, r in by_channel.values())
    sources.total = ["All sources", contacts, referrals, share(referrals, contacts)]

    months = Table(
        "demand-contacts-months",
        "Contacts by month and source",
        [
            Column("month", "Month", TEXT),
            *[Column(channel, label) for channel, label in Channel.choices],
            Column("contacts", "All contacts"),
            Column("referrals", "Referrals"),
            Column("conversion", "Contacts that became referrals", PERCENT),
        ],
        caption="Contacts received each month, by source.",
    )
    for index, month in enumerate(query.period.months()):
        cells = by_month[month]
        month_contacts = sum(c for c, _ in cells.values())
        month_referrals = sum(r for _, r in cells.values())
        months.rows.append(
            [
                month_label(month),
                *[cells[channel][0] for channel in Channel.values],
                month_contacts,
                month_referrals,
                share(month_referrals, month_contacts),
            ]
        )
        key = drilling.month_key(month)
        _links(
            query,
            months,
            index,
            CONTACTS,
            {"contacts": {"month": key}, "referrals": {"month": key, "referral": "1"}},
        )
    months.total = [
        "All months",
        *[by_channel[channel][0] for channel in Channel.values],
        contacts,
        referrals,
        share(referrals, contacts),
    ]
    chart = Chart(months, "month", list(Channel.values), kind="stacked", title="Contacts per month by source")
    return [sources, chart, months]


def referral_rows(query, referrals, *, what: str, caption_total: int) -> Drill:
    """The drill table of referrals: each reference links to its referral."""
    records = list(referrals.order_by("-received_at", "-pk")[: drilling.CAP])
    table = Table(
        "records",
        what[0].upper() + what[1:],
        [
            Column("reference", "Reference", TEXT),
            Column("received", "Received", TEXT),
            Column("source", "Source", TEXT),
            Column("state", "State", TEXT),
            Column("outcome", "Outcome", TEXT),
        ],
        caption=drilling.capped_caption(caption_total, what),
    )
    for index, referral in enumerate(records):
        table.rows.append(
            [
                referral.reference,
                format_datetime(referral.received_at),
                referral.get_channel_display(),
                referral.get_state_display(),
                referral.get_outcome_display() if referral.outcome else "",
            ]
        )
        table.links[(index, "reference")] = reverse("referrals:detail", args=[referral.pk])
    return Drill(table, records)


def contacts_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"channel", "month", "referral"})
    channel = drilling.choice(params, "channel", Channel.values, what="a source")
    start, end = drilling.span(query.period, params)
    referrals = referral_list_for(query.user).filter(received_at__gte=start, received_at__lt=end)
    if channel:
        referrals = referrals.filter(channel=channel)
    what = "contacts"
    if drilling.flag(params, "referral"):
        referrals, what = referrals.filter(IS_REFERRAL), "referrals"
    return referral_rows(query, referrals, what=what, caption_total=referrals.count())


def outcomes_build(query) -> list:
    decided = (
        Referral.objects.using(query.db)
        .filter(outcome_at__gte=query.period.start, outcome_at__lt=query.period.end)
        .exclude(outcome="")
        .values("channel", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = defaultdict(lambda: defaultdict(int))
    for row in decided:  # a row per (source, outcome): at most 40
        counts[row["channel"]][row["outcome"]] += row["n"]
        counts[""][row["outcome"]] += row["n"]
    table = Table(
        "demand-outcomes-sources",
        "Outcomes by source",
        [
            Column("source", "Source", TEXT),
            Column("decided", "Contacts decided"),
            *[Column(outcome, label, PERCENT) for outcome, label in Outcome.choices],
            Column("referrals", "Became referrals", PERCENT),
        ],
        caption="The contacts decided in the period, by source: each outcome's share of the source's "
        "decisions (for example, the share of police notifications ending in no further action).",
    )

    def row(label, outcomes):
        whole = sum(outcomes.values())
        accepted = sum(outcomes[o] for o in ACCEPTED)
        return [label, whole, *[share(outcomes[o], whole) for o in Outcome.values], share(accepted, whole)]

    for index, (channel, label) in enumerate(Channel.choices):
        table.rows.append(row(label, counts[channel]))
        cells = {"decided": {"channel": channel}}
        cells.update({o: {"channel": channel, "outcome": o} for o in Outcome.values if counts[channel][o]})
        _links(query, table, index, OUTCOMES, cells)
    table.total = row("All sources", counts[""])
    chart = Chart(table, "source", list(Outcome.values), kind="stacked", title="Outcomes of each source")
    return [chart, table]


def outcomes_drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"channel", "outcome"})
    channel = drilling.choice(params, "channel", Channel.values, what="a source")
    outcome = drilling.choice(params, "outcome", Outcome.values, what="an outcome")
    referrals = (
        referral_list_for(query.user)
        .filter(outcome_at__gte=query.period.start, outcome_at__lt=query.period.end)
        .exclude(outcome="")
    )
    if channel:
        referrals = referrals.filter(channel=channel)
    if outcome:
        referrals = referrals.filter(outcome=outcome)
    return referral_rows(query, referrals, what="contacts decided", caption_total=referrals.count())


register(
    Measure(
        CONTACTS,
        DEMAND.key,
        "Contacts and referrals",
        10,
        contacts_build,
        description="Contacts received by source and month, and how many became referrals.",
        drill=contacts_drill,
    ),
    Measure(
        OUTCOMES,
        DEMAND.key,
        "Outcomes by source",
        40,
        outcomes_build,
        description="What each source's contacts came to: the share of each outcome, per source.",
        drill=outcomes_drill,
    ),
)
