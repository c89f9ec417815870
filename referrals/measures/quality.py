"""The quality of the information shared, per agency (docs/measures.md, 'Quality of information
shared'): 'nothing known', the gradings of the police's entries, the addenda after submission, and the
late answers behind 'answers on time'. The answers on time and relied on (one query) and their ratings
are the strategy app's (strategy/measures/quality.py).

An answer belongs to the period in which it was submitted (``answered_at``); an addendum to the period in
which it was added. The rows are the agencies the viewer sees (``viewer.sees_agency``), with the MASH-wide
total under them; ``by`` month is not a breakdown of these tables (their rows are agencies).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.urls import reverse

from mash.agencies.models import Agency, AgencyKind
from mash.common.dates import format_datetime
from mash.common.grading import HandlingCode, IntelligenceAssessment, SourceEvaluation
from mash.measures import drilling, registry
from mash.measures.registry import Drill, Measure
from mash.measures.tables import PERCENT, TEXT, Chart, Column, Table, share
from referrals.models import InformationRequest, ResponseEntry
from referrals.requests import selectors as request_selectors

TOTAL = "All agencies (MASH-wide)"
AGENCY = Column("agency", "Agency", TEXT)


def answered_in(query):
    """The answers submitted in the period (withdrawn requests and drafts have no ``answered_at``)."""
    return InformationRequest.objects.using(query.db).filter(
        answered_at__gte=query.period.start, answered_at__lt=query.period.end
    )


def agency_rows(query, counts: dict) -> tuple[list[tuple[int, str, dict]], dict]:
    """The agencies with figures that the viewer sees, by name, and the MASH-wide total of every
    agency's figures (the viewer's or not: a total names no agency)."""
    names = dict(Agency.objects.using(query.db).filter(pk__in=list(counts)).values_list("pk", "name"))
    shown = sorted(
        ((pk, names[pk], figures) for pk, figures in counts.items() if query.viewer.sees_agency(pk)),
        key=lambda row: (row[1].lower(), row[0]),
    )
    total = defaultdict(int)
    for figures in counts.values():
        for name, value in figures.items():
            total[name] += value
    return shown, total


def by_agency(rows, group: str) -> dict[int, dict]:
    return {row.pop(group): row for row in rows}


def agency_param(query, params: dict) -> int:
    """The drill-down's agency (its only parameter): one the viewer sees, or a message naming the field."""
    drilling.known_only(params, {"agency"})
    try:
        agency_id = int(params.get("agency", ""))
    except ValueError:
        agency_id = None
    if agency_id is None or not query.viewer.sees_agency(agency_id):
        raise ValidationError({"agency": "Choose an agency from the dashboard."})
    return agency_id


# --- Answers late (the drill-down of 'answers on time': strategy/measures/quality.py) ----------------


def drill_late(query, params) -> Drill:
    agency_id = agency_param(query, params)
    late = (
        request_selectors.requests_for(query.user)
        .filter(
            agency_id=agency_id,
            answered_at__gte=query.period.start,
            answered_at__lt=query.period.end,
            answered_at__gt=F("clock__due_at"),
        )
        .order_by("-answered_at", "-pk")
    )
    total = late.count()
    records = list(late[: drilling.CAP])
    table = Table(
        "quality-late-answers",
        "Answers submitted late",
        [
            Column("reference", "Referral", TEXT),
            AGENCY,
            Column("due", "Due", TEXT),
            Column("answered", "Submitted", TEXT),
        ],
        rows=[
            [
                r.referral.reference,
                r.agency.name,
                format_datetime(r.clock.due_at),
                format_datetime(r.answered_at),
            ]
            for r in records
        ],
        caption=drilling.capped_caption(total, "answers submitted late, the latest first"),
        links={(i, "reference"): reverse("referrals:request", args=[r.pk]) for i, r in enumerate(records)},
    )
    return Drill(table, records)


# --- 'Nothing known' -----------------------------------------------------------------------------


def entry_figures(query) -> list[dict]:
    """The entries of the answers submitted in the period (addenda aside), counted by agency, 'nothing
    known' and grading: one query shared by the 'nothing known' and the gradings tables of a page."""
    if "quality-entries" not in query.extra:
        entries = ResponseEntry.objects.using(query.db).filter(
            request__answered_at__gte=query.period.start,
            request__answered_at__lt=query.period.end,
            is_addendum=False,
        )
        query.extra["quality-entries"] = list(
            entries.values(
                "request__agency_id",
                "nothing_known",
                "source_evaluation",
                "intelligence_assessment",
                "handling_code",
            )
            .annotate(n=Count("id"))
            .order_by()
        )
    return query.extra["quality-entries"]


def build_nothing_known(query) -> list:
    counts = defaultdict(lambda: {"entries": 0, "nothing": 0})
    for group in entry_figures(query):
        figures = counts[group["request__agency_id"]]
        figures["entries"] += group["n"]
        figures["nothing"] += group["n"] if group["nothing_known"] else 0
    shown, total = agency_rows(query, counts)

    def row(label, c):
        return [label, c["entries"], c["nothing"], share(c["nothing"], c["entries"])]

    table = Table(
        "quality-nothing-known",
        "'Nothing known', by agency",
        [
            AGENCY,
            Column("entries", "Entries"),
            Column("nothing", "'Nothing known'"),
            Column("share", "% 'nothing known'", PERCENT),
        ],
        rows=[row(name, c) for _, name, c in shown],
        total=row(TOTAL, {"entries": total["entries"], "nothing": total["nothing"]}),
        caption="The entries (one per person asked about) of the answers submitted in the period, "
        "addenda aside.",
    )
    return [table]


# --- The gradings of the police's entries (3x5x2) -------------------------------------------------


def sees_police(viewer) -> bool:
    return viewer.whole_mash or viewer.actor.agency_kind == AgencyKind.POLICE


def build_gradings(query) -> list:
    police = set(Agency.objects.using(query.db).filter(kind=AgencyKind.POLICE).values_list("pk", flat=True))
    if query.viewer.agency_id is not None:
        police &= {query.viewer.agency_id}
    counts = defaultdict(int)
    for group in entry_figures(query):
        if group["request__agency_id"] in police and not group["nothing_known"]:
            key = (group["source_evaluation"], group["intelligence_assessment"], group["handling_code"])
            counts[key] += group["n"]
    graded = {key: n for key, n in counts.items() if all(key)}
    ungraded = sum(n for key, n in counts.items() if not all(key))
    everything = sum(counts.values())
    rows = []
    for source in SourceEvaluation:
        for assessment in IntelligenceAssessment:
            p = graded.get((source.value, assessment.value, HandlingCode.P.value), 0)
            c = graded.get((source.value, assessment.value, HandlingCode.C.value), 0)
            rows.append([f"{source.value}{assessment.value}", p, c, p + c, share(p + c, everything)])
    rows.append(["Not graded", None, None, ungraded, share(ungraded, everything)])
    p_all = sum(n for key, n in graded.items() if key[2] == HandlingCode.P)
    c_all = sum(n for key, n in graded.items() if key[2] == HandlingCode.C)
    table = Table(
        "quality-police-gradings",
        "Gradings of the police's entries",
        [
            Column("grading", "Source and intelligence", TEXT),
            Column("p", "P: sharing permitted"),
            Column("c", "C: with conditions"),
            Column("all", "Entries"),
            Column("share", "% of entries", PERCENT),
        ],
        rows=rows,
        total=["All entries", p_all, c_all, everything, share(everything, everything)],
        caption="The 3x5x2 of the police's entries in the answers submitted in the period ('nothing known' "
        "and addenda aside): source evaluation 1 (reliable) to 3, intelligence assessment A (known "
        "directly) to E (suspected false), handling code P or C.",
    )
    return [
        Chart(table, "grading", ["p", "c"], kind="stacked", title="Gradings of the police's entries"),
        table,
    ]


# --- Addenda after submission ----------------------------------------------------------------------


def build_addenda(query) -> list:
    addenda = ResponseEntry.objects.using(query.db).filter(
        is_addendum=True, created_at__gte=query.period.start, created_at__lt=query.period.end
    )
    counts = by_agency(
        addenda.values("request__agency_id")
        .annotate(addenda=Count("id"), answers=Count("request_id", distinct=True))
        .order_by(),
        "request__agency_id",
    )
    shown, total = agency_rows(query, counts)
    table = Table(
        "quality-addenda",
        "Addenda after submission, by agency",
        [AGENCY, Column("addenda", "Addenda"), Column("answers", "Answers given an addendum")],
        rows=[[name, c["addenda"], c["answers"]] for _, name, c in shown],
        total=[TOTAL, total["addenda"], total["answers"]],
        caption="Entries added to an answer after it was submitted, in the period.",
    )
    return [table]


registry.register(
    Measure(
        "quality-nothing-known",
        "quality",
        "'Nothing known'",
        30,
        build_nothing_known,
        "How often an agency's answer about a person is that it knows nothing of them.",
    ),
    Measure(
        "quality-police-gradings",
        "quality",
        "Gradings of the police's entries",
        40,
        build_gradings,
        "How the police graded what they shared: the 3x5x2 of their entries.",
        allowed=sees_police,
    ),
    Measure(
        "quality-addenda",
        "quality",
        "Addenda after submission",
        50,
        build_addenda,
        "What agencies added to their answers after submitting them.",
    ),
)
