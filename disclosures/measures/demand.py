"""Demand: disclosure applications (Clare's Law right to ask and right to know, Sarah's Law) by scheme
and result, by route and by month (docs/measures.md, 'Demand').

The counts are shown to every measures viewer (they name nobody); the applications behind them are
police business, listed only through ``application_queue`` (disclosures/policy.py decides: the police
disclosure team sees them all, a forum's agencies what the forum was granted, others none).
"""

from collections import defaultdict

from django.db.models import Count
from django.urls import reverse

from disclosures.models import Application, Outcome, Route, Scheme
from disclosures.selectors import application_queue
from mash.common.dates import format_datetime
from mash.measures import drilling
from mash.measures.aggregates import month_label, month_of
from mash.measures.registry import DEMAND, Drill, Measure, register
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share

KEY = "demand-disclosures"
OPEN = "open"
RESULTS = [*Outcome.choices, (OPEN, "Still open")]


def _result(outcome: str) -> str:
    return outcome or OPEN


def _link(query, table: Table, row: int, column: str, **params) -> None:
    if url := query.drill_url(KEY, **params):
        table.links[(row, column)] = url


def build(query) -> list:
    grouped = (
        Application.objects.using(query.db)
        .filter(received_at__gte=query.period.start, received_at__lt=query.period.end)
        .values("scheme", "route", "outcome", month=month_of("received_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    by_scheme = defaultdict(lambda: defaultdict(int))
    by_route = defaultdict(lambda: defaultdict(int))
    by_month = defaultdict(lambda: defaultdict(int))
    for row in grouped:  # a row per (scheme, route, result, month) that has applications
        by_scheme[row["scheme"]][_result(row["outcome"])] += row["n"]
        by_scheme[""][_result(row["outcome"])] += row["n"]
        by_route[row["route"]][row["scheme"]] += row["n"]
        by_month[row["month"]][row["scheme"]] += row["n"]

    schemes = Table(
        "demand-disclosures-schemes",
        "Disclosure applications by scheme and result",
        [
            Column("scheme", "Scheme", TEXT),
            Column("applications", "Applications"),
            *[Column(result, label) for result, label in RESULTS],
            Column("rate", "Disclosed, of those decided", PERCENT),
        ],
        caption="Applications received in the period and what has come of them so far: disclosed, not "
        "disclosed, withdrawn, or still open.",
    )

    def scheme_row(label, results):
        decided = results[Outcome.DISCLOSED] + results[Outcome.NOT_DISCLOSED]
        return [
            label,
            sum(results.values()),
            *[results[result] for result, _ in RESULTS],
            share(results[Outcome.DISCLOSED], decided),
        ]

    for index, (scheme, label) in enumerate(Scheme.choices):
        schemes.rows.append(scheme_row(label, by_scheme[scheme]))
        _link(query, schemes, index, "applications", scheme=scheme)
        for result, _ in RESULTS:
            _link(query, schemes, index, result, scheme=scheme, result=result)
    schemes.total = scheme_row("All schemes", by_scheme[""])

    def per_scheme(counts):
        return [*[counts[scheme] for scheme in Scheme.values], sum(counts.values())]

    scheme_columns = [*[Column(scheme, label) for scheme, label in Scheme.choices], Column("all", "All")]
    routes = Table(
        "demand-disclosures-routes",
        "Disclosure applications by route",
        [Column("route", "Route", TEXT), *scheme_columns],
        caption="How the applications received in the period came in, by scheme.",
    )
    for index, (route, label) in enumerate(Route.choices):
        routes.rows.append([label, *per_scheme(by_route[route])])
        _link(query, routes, index, "all", route=route)
    all_schemes = defaultdict(int, {scheme: sum(by_scheme[scheme].values()) for scheme in Scheme.values})
    routes.total = ["All routes", *per_scheme(all_schemes)]

    months = Table(
        "demand-disclosures-months",
        "Disclosure applications by month",
        [Column("month", "Month", TEXT), *scheme_columns],
        caption="Applications received each month, by scheme.",
    )
    for index, month in enumerate(query.period.months()):
        months.rows.append([month_label(month), *per_scheme(by_month[month])])
        _link(query, months, index, "all", month=drilling.month_key(month))
    months.total = ["All months", *per_scheme(all_schemes)]
    chart = Chart(
        months, "month", list(Scheme.values), kind="stacked", title="Applications per month by scheme"
    )
    return [schemes, routes, chart, months]


def drill(query, params: dict) -> Drill:
    drilling.known_only(params, {"scheme", "result", "route", "month"})
    scheme = drilling.choice(params, "scheme", Scheme.values, what="a scheme")
    result = drilling.choice(params, "result", [r for r, _ in RESULTS], what="a result")
    route = drilling.choice(params, "route", Route.values, what="a route")
    start, end = drilling.span(query.period, params)
    applications = application_queue(query.user, include_closed=True).filter(
        received_at__gte=start, received_at__lt=end
    )
    if scheme:
        applications = applications.filter(scheme=scheme)
    if result:
        applications = applications.filter(outcome="" if result == OPEN else result)
    if route:
        applications = applications.filter(route=route)
    applications = applications.order_by("-received_at", "-pk")
    total = applications.count()
    records = list(applications[: drilling.CAP])
    table = Table(
        "records",
        "Disclosure applications",
        [
            Column("reference", "Reference", TEXT),
            Column("received", "Received", TEXT),
            Column("scheme", "Scheme", TEXT),
            Column("route", "Route", TEXT),
            Column("result", "Result", TEXT),
        ],
        caption=drilling.capped_caption(total, "applications you may see"),
    )
    for index, application in enumerate(records):
        table.rows.append(
            [
                application.reference,
                format_datetime(application.received_at),
                application.get_scheme_display(),
                application.get_route_display(),
                application.get_outcome_display() if application.outcome else "Still open",
            ]
        )
        table.links[(index, "reference")] = reverse("disclosures:application", args=[application.pk])
    return Drill(table, records)


register(
    Measure(
        KEY,
        DEMAND.key,
        "Disclosure applications",
        50,
        build,
        description="Clare's Law and Sarah's Law applications by scheme and result, by route and by month.",
        drill=drill,
    )
)
