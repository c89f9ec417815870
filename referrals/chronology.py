"""A person's chronology, from the referrals: each referral they are in (received, screened, rated,
decided, closed), the information requests about it and the answers about them, and the consultation
calls that name them (mash/people/chronology.py).

With a viewer, the records are the ones the sharing policy lists for them (``policy.visible``) and each
event shows what their audience shows (``policy.shows``): an asked agency sees the referral's summary
and its own request and answer, never another agency's answer, the triage's reasoning or the outcome.
"""

from collections import defaultdict

from django.db.models import Count
from django.urls import reverse

from mash.agencies.models import AgencyKind
from mash.common.grading import HandlingCode
from mash.people.chronology import HANDLING_CODE_C, OTHER_PEOPLE, POLICE_INTELLIGENCE, Event
from mash.sharing import policy
from referrals.models import (
    Concern,
    Consultation,
    EventKind,
    InformationRequest,
    RagRating,
    Referral,
    ReferralSubject,
    ResponseEntry,
    State,
    TimelineEvent,
)

REFERRAL = "Referral"
INFORMATION_SHARING = "Information sharing"
CONSULTATION = "Consultation"


def _audience(viewer, model):
    return policy.Audience.FULL if viewer is None else policy.list_audience(viewer, model)


def _visible(viewer, queryset):
    return queryset if viewer is None else policy.visible(viewer, queryset)


def _shown_entries(viewer, queryset):
    return queryset if viewer is None else policy.parts_shown(viewer, queryset)


def referral_chronology(viewer, person):
    """Chronology source: the referrals naming ``person`` (see the module's docstring)."""
    referrals = list(
        # By a subquery rather than a join, so that ``named`` counts every person the referral names.
        _visible(
            viewer,
            Referral.objects.filter(
                pk__in=ReferralSubject.objects.filter(person=person).values("referral_id")
            ),
        )
        .annotate(named=Count("subjects"))
        .order_by("received_at", "pk")
    )
    if not referrals:
        return []
    audience = _audience(viewer, Referral)
    events = []
    for referral in referrals:
        events.extend(_referral_events(referral, audience))
    ids = [referral.pk for referral in referrals]
    by_id = {referral.pk: referral for referral in referrals}
    if policy.shows(audience, Referral, "rag_history"):
        events.extend(_rating_events(RagRating.objects.filter(referral_id__in=ids), by_id))
    if policy.shows(audience, Referral, "timeline"):
        events.extend(_timeline_events(TimelineEvent.objects.filter(referral_id__in=ids), by_id))
    if policy.shows(audience, Referral, "information_requests"):
        events.extend(_request_events(viewer, person, ids, by_id))
    return events


def _referral_url(referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _others_named(referral) -> tuple[str, ...]:
    return (OTHER_PEOPLE,) if referral.named > 1 else ()


def _referral_events(referral, audience):
    shows = lambda name: policy.shows(audience, Referral, name)  # noqa: E731
    parts = [f"{referral.get_kind_display()} referral"]
    if shows("channel"):
        parts.append(f"by {referral.get_channel_display().lower()}")
    if shows("referrer_organisation") and referral.referrer_organisation:
        parts.append(f"from {referral.referrer_organisation}")
    summary = " ".join(parts) + "."
    if shows("concerns") and referral.concerns:
        labels = dict(Concern.choices)
        summary += " Concerns: " + ", ".join(labels.get(code, code) for code in referral.concerns) + "."
    if shows("rag") and referral.rag:
        summary += f" RAG rating now {referral.get_rag_display()}."
    yield Event(
        at=referral.received_at,
        kind="Referral received",
        title=referral.reference,
        summary=summary,
        url=_referral_url(referral),
        record=referral,
        release_flags=_others_named(referral),
        category=REFERRAL,
    )


def _rating_events(ratings, by_id):
    for rating in ratings.order_by("at", "pk"):
        referral = by_id[rating.referral_id]
        was = f" (was {rating.get_previous_display()})" if rating.previous else ""
        yield Event(
            at=rating.at,
            kind="RAG rated",
            title=referral.reference,
            summary=f"{rating.get_rating_display()}{was}: {rating.rationale}",
            url=_referral_url(referral),
            record=referral,
            release_flags=_others_named(referral),
            category=REFERRAL,
        )


# The moves of a referral the chronology tells (the others are the MASH's own steps of work).
TOLD_MOVES = {State.SCREENING: "Screening started", State.CLOSED: "Referral closed"}


def _timeline_events(timeline, by_id):
    rows = timeline.filter(kind__in=(EventKind.TRANSITION, EventKind.OUTCOME, EventKind.REOPENED))
    for row in rows.order_by("at", "pk"):
        referral = by_id[row.referral_id]
        if row.kind == EventKind.TRANSITION:
            if row.to_state not in TOLD_MOVES:
                continue
            kind = TOLD_MOVES[row.to_state]
        else:
            kind = row.get_kind_display()
        yield Event(
            at=row.at,
            kind=kind,
            title=referral.reference,
            # A note that only repeats what happened says nothing more.
            summary="" if row.note.strip().lower() == kind.lower() else row.note,
            url=_referral_url(referral),
            record=referral,
            release_flags=_others_named(referral),
            category=REFERRAL,
        )


def _grading(entry) -> str:
    grade = f"{entry.source_evaluation}{entry.intelligence_assessment}{entry.handling_code}"
    return f" (graded {grade})" if grade else ""


def _entry_text(entry) -> str:
    if entry.nothing_known:
        return "Nothing known."
    text = f"{entry.source_system}: {entry.summary}{_grading(entry)}"
    if entry.handling_code == HandlingCode.C:
        text += f". Handling conditions: {entry.handling_conditions}"
    return text


def _request_events(viewer, person, referral_ids, by_id):
    requests = list(
        _visible(viewer, InformationRequest.objects.filter(referral_id__in=referral_ids))
        .select_related("agency")
        .order_by("sent_at", "pk")
    )
    if not requests:
        return
    audience = _audience(viewer, InformationRequest)
    entries = defaultdict(list)
    if policy.shows(audience, InformationRequest, "entries"):
        shown = _shown_entries(
            viewer, ResponseEntry.objects.filter(request__in=[r.pk for r in requests], person=person)
        )
        for entry in shown.order_by("created_at", "pk"):
            entries[entry.request_id].append(entry)
    for request in requests:
        referral = by_id[request.referral_id]
        url = reverse("referrals:request", args=[request.pk])
        common = {"title": referral.reference, "url": url, "record": request, "agency": request.agency}
        # The request (and its answer, the record) is about every person the referral names.
        others = _others_named(referral)
        yield Event(
            at=request.sent_at,
            kind=f"Information requested from {request.agency.name}",
            summary=request.questions if policy.shows(audience, InformationRequest, "questions") else "",
            release_flags=others,
            category=INFORMATION_SHARING,
            **common,
        )
        if request.withdrawn_at and policy.shows(audience, InformationRequest, "withdrawn_at"):
            yield Event(
                at=request.withdrawn_at,
                kind=f"Request to {request.agency.name} withdrawn",
                summary=request.withdrawal_reason,
                release_flags=others,
                category=INFORMATION_SHARING,
                **common,
            )
        if request.answered_at is None:
            continue
        answer = [e for e in entries[request.pk] if not e.is_addendum]
        yield _answer_event(
            request, answer, others, at=request.answered_at, kind="Answer from", common=common
        )
        for addendum in (e for e in entries[request.pk] if e.is_addendum):
            yield _answer_event(
                request,
                [addendum],
                others,
                at=addendum.created_at,
                kind="Addendum to the answer from",
                common=common,
            )


def _answer_event(request, entries, others, *, at, kind, common) -> Event:
    flags = list(others)
    if request.agency.kind == AgencyKind.POLICE:
        flags.append(POLICE_INTELLIGENCE)
    if any(entry.handling_code == HandlingCode.C for entry in entries):
        flags.append(HANDLING_CODE_C)
    return Event(
        at=at,
        kind=f"{kind} {request.agency.name}",
        summary="\n".join(_entry_text(entry) for entry in entries) or "Nothing about this person.",
        release_flags=tuple(flags),
        category=INFORMATION_SHARING,
        **common,
    )


def consultation_chronology(viewer, person):
    """Chronology source: the consultation line's calls that name ``person``."""
    calls = _visible(viewer, Consultation.objects.filter(person=person)).order_by("called_at", "pk")
    for call in calls:
        summary = f"Call from {call.caller_organisation}. "
        summary += "A referral was advised." if call.referral_advised else "No referral advised."
        yield Event(
            at=call.called_at,
            kind="Consultation call",
            title=str(call),
            summary=summary,
            url=reverse("referrals:consultation", args=[call.pk]),
            record=call,
            category=CONSULTATION,
        )
