"""The quality of the information shared: the answers relied on in threshold decisions and how the
decision makers rated them, per agency (docs/measures.md, 'Quality of information shared'). Answers on time
are here too, counted in the same query as those relied on. The other figures of the dashboard are the
referrals app's (referrals/measures/quality.py), whose rules this module shares: the agencies the viewer
sees, the MASH-wide total.

An answer belongs to the period in which it was submitted; a rating to the period of its threshold
decision (``rated_at`` is the decision's time).
"""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from mash.common.dates import format_datetime
from mash.measures import drilling, registry
from mash.measures.registry import Drill, Measure
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share
from referrals.measures.quality import (
    AGENCY,
    TOTAL,
    agency_param,
    agency_rows,
    answered_in,
    by_agency,
    drill_late,
)
from strategy import selectors
from strategy.models import AnswerRating, ThresholdDecision

RELIED = ThresholdDecision.answers_relied_on.through


def answer_figures(query) -> dict[int, dict]:
    """The answers submitted in the period by agency: how many, on time, relied on. One query shared by
    the two tables of a page."""
    if "quality-answers" not in query.extra:
        relied = Exists(RELIED.objects.filter(informationrequest_id=OuterRef("pk")))
        query.extra["quality-answers"] = by_agency(
            answered_in(query)
            .values("agency_id")
            .annotate(
                answered=Count("id"),
                on_time=Count("id", filter=Q(answered_at__lte=F("clock__due_at"))),
                relied=Count("id", filter=Q(relied)),
            )
            .order_by(),
            "agency_id",
        )
    return query.extra["quality-answers"]


def build_on_time(query) -> list:
    shown, total = agency_rows(query, answer_figures(query))

    def row(label, c):
        late = c["answered"] - c["on_time"]
        return [label, c["answered"], c["on_time"], late, share(c["on_time"], c["answered"])]

    table = Table(
        "quality-on-time",
        "Answers on time, by agency",
        [
            AGENCY,
            Column("answered", "Answers submitted"),
            Column("on_time", "By the time due"),
            Column("late", "Late"),
            Column("share", "% on time", PERCENT),
        ],
        rows=[row(name, c) for _, name, c in shown],
        total=row(TOTAL, total),
        caption="Answers submitted in the period; on time: submitted by the time the request was due.",
        links={
            (index, "late"): query.drill_url("quality-on-time", agency=pk)
            for index, (pk, _, c) in enumerate(shown)
            if query.viewer.may_drill and c["answered"] > c["on_time"]
        },
    )
    return [Chart(table, "agency", ["share"], title="Answers on time, by agency"), table]


def build_relied_on(query) -> list:
    counts = answer_figures(query)
    shown, total = agency_rows(query, counts)

    def row(label, c):
        return [label, c["answered"], c["relied"], share(c["relied"], c["answered"])]

    table = Table(
        "quality-relied-on",
        "Answers relied on in threshold decisions, by agency",
        [
            AGENCY,
            Column("answered", "Answers submitted"),
            Column("relied", "Relied on"),
            Column("share", "% relied on", PERCENT),
        ],
        rows=[row(name, c) for _, name, c in shown],
        total=row(TOTAL, {"answered": total["answered"], "relied": total["relied"]}),
        caption="Answers submitted in the period that a threshold decision (then or since) relied on.",
    )
    return [table]


def build_ratings(query) -> list:
    ratings = AnswerRating.objects.using(query.db).filter(
        rated_at__gte=query.period.start, rated_at__lt=query.period.end
    )
    counts = by_agency(
        ratings.values("request__agency_id")
        .annotate(rated=Count("id"), sufficient=Count("id", filter=Q(sufficient=True)))
        .order_by(),
        "request__agency_id",
    )
    shown, total = agency_rows(query, counts)

    def row(label, c):
        return [
            label,
            c["rated"],
            c["sufficient"],
            c["rated"] - c["sufficient"],
            share(c["sufficient"], c["rated"]),
        ]

    table = Table(
        "quality-ratings",
        "Answers rated sufficient, by agency",
        [
            AGENCY,
            Column("rated", "Answers rated"),
            Column("sufficient", "Sufficient"),
            Column("not_sufficient", "Not sufficient"),
            Column("share", "% sufficient", PERCENT),
        ],
        rows=[row(name, c) for _, name, c in shown],
        total=row(TOTAL, {"rated": total["rated"], "sufficient": total["sufficient"]}),
        caption="The decision makers' ratings of the answers their threshold decisions in the period relied "
        "on (a rating is optional).",
        links={
            (index, "not_sufficient"): query.drill_url("quality-ratings", agency=pk)
            for index, (pk, _, c) in enumerate(shown)
            if query.viewer.may_drill and c["rated"] > c["sufficient"]
        },
    )
    return [Chart(table, "agency", ["share"], title="Answers rated sufficient, by agency"), table]


def drill_not_sufficient(query, params) -> Drill:
    """The answers of one agency rated not sufficient in the period, with the reason: through the
    selector, so an agency's manager sees only their own agency's."""
    agency_id = agency_param(query, params)
    found = (
        selectors.answer_ratings_for(query.user)
        .filter(
            sufficient=False,
            request__agency_id=agency_id,
            rated_at__gte=query.period.start,
            rated_at__lt=query.period.end,
        )
        .order_by("-rated_at", "-pk")
    )
    total = found.count()
    ratings = list(found[: drilling.CAP])
    table = Table(
        "quality-not-sufficient",
        "Answers rated not sufficient",
        [
            Column("reference", "Referral", TEXT),
            AGENCY,
            Column("rated", "Rated", TEXT),
            Column("reason", "Why not sufficient", TEXT),
        ],
        rows=[
            [r.request.referral.reference, r.request.agency.name, format_datetime(r.rated_at), r.reason]
            for r in ratings
        ],
        caption=drilling.capped_caption(total, "answers rated not sufficient, the latest first"),
        links={
            (i, "reference"): reverse("referrals:request", args=[r.request_id]) for i, r in enumerate(ratings)
        },
    )
    return Drill(table, [r.request for r in ratings])


registry.register(
    Measure(
        "quality-on-time",
        "quality",
        "Answers on time",
        10,
        build_on_time,
        "Of the answers each agency submitted in the period, how many were in by the time due.",
        drill=drill_late,
    ),
    Measure(
        "quality-relied-on",
        "quality",
        "Answers relied on",
        20,
        build_relied_on,
        "How many of each agency's answers a threshold decision relied on.",
    ),
    Measure(
        "quality-ratings",
        "quality",
        "Answers rated sufficient",
        25,
        build_ratings,
        "Whether the decision makers found each answer they relied on sufficient to decide on, and why not.",
        drill=drill_not_sufficient,
    ),
)
