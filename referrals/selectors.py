"""Reads of referrals and consultations, always for an acting user (the sharing policy applies)."""

from datetime import timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from mash.clocks.calendar import Calendar, clock_columns, describe_clock
from mash.clocks.models import Clock
from mash.people.history import HistoryItem, newest_of_each
from mash.people.models import full_name
from mash.sharing import policy
from mash.sharing.services import record_get, record_get_with_audience
from referrals.models import (
    OPEN_STATES,
    Consultation,
    Referral,
    ReferralKind,
    ReferralSubject,
    State,
    SubjectRole,
)
from referrals.services import DUPLICATE_WINDOW_DAYS

# What a list shows of a referral's subjects: their names and roles (a person's other columns, the
# address among them, would be decoded and built for every row and never shown).
SUBJECT_NAMES = ("referral_id", "person_id", "role", "person__given_name", "person__family_name")


def _with_subjects(referrals):
    """Each referral's subjects, prefetched into ``referral.subjects.all()``."""
    subjects = ReferralSubject.objects.select_related("person").only(*SUBJECT_NAMES).order_by("pk")
    return referrals.prefetch_related(Prefetch("subjects", queryset=subjects))


def subject_names_for(referrals) -> dict[int, list[tuple[str, str]]]:
    """Each referral's subjects as (name, role) pairs, in the order they were added, for a list
    page that shows their names and nothing else (the triage queue). ``referrals`` were read through a
    selector that applies the sharing policy: their subjects are part of what the user may see.

    Plain values, not model instances: prefetched as models, the subjects of a page of 50 cost 6 ms of
    the queue's 10 ms of reading (two models per subject, a related manager per referral), as values
    2 ms (issue 19, 2026-12-06)."""
    names = {referral.pk: [] for referral in referrals}
    rows = (
        ReferralSubject.objects.filter(referral_id__in=list(names))
        .order_by("pk")
        .values_list("referral_id", "role", "person__given_name", "person__family_name")
    )
    for referral_id, role, given_name, family_name in rows:
        names[referral_id].append((full_name(given_name, family_name), role))
    return names


def _decision_late(now) -> Subquery:
    """Is the referral's decision clock late (running past due, or stopped late)? Asked of the clock
    row by its primary key, one open referral at a time: a join lets PostgreSQL walk every clock to
    merge them with the open referrals (92 ms at 200,000 referrals, against 11 ms this way). Unordered:
    the clock's default ordering made PostgreSQL sort the one row, each time (27 ms against 20 for the
    count of the breached queue at 7,000 open referrals)."""
    late = (
        Clock.objects.filter(pk=OuterRef("decision_clock_id"))
        .order_by()
        .annotate(
            late=ExpressionWrapper(
                Q(stopped_at__isnull=True, due_at__lt=now) | Q(breached_at__isnull=False),
                output_field=BooleanField(),
            )
        )
    )
    return Subquery(late.values("late")[:1], output_field=BooleanField())


QUEUE_UNSHOWN = (
    "account",
    "adult_wishes",
    "concerns",
    "consent_reason",
    "rag_rationale",
    "outcome_rationale",
    "referrer_relationship",
    "assigned_to__password",
)


# What a row of the triage queue shows (referrals/queue.html, due_descriptions): the queue page reads
# these columns only, half the referral's and its assignee's.
QUEUE_ROW = (
    "reference",
    "kind",
    "received_at",
    "state",
    "rag",
    "decision_due_at",
    "assigned_to",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    *clock_columns("decision_clock"),
)
# A referral's row in the API's lists (referrals/api/output.py, ReferralRowSerializer): the queue's and
# who referred it, how.
ROW = (*QUEUE_ROW, "channel", "referrer_name", "referrer_organisation")


def referral_queue_for(
    user,
    *,
    state: str = "",
    rag: str = "",
    assigned_to_me: bool = False,
    breached: bool = False,
    now=None,
    subjects: bool = True,
):
    """Open referrals the user may see, what is due first at the top, with their subjects prefetched
    (``referral.subjects.all()``) unless ``subjects`` is false (the queue page reads their names alone:
    ``subject_names_for``)."""
    now = now or timezone.now()
    referrals = policy.visible(user, Referral.objects.filter(state__in=OPEN_STATES))
    if state:
        referrals = referrals.filter(state=state)
    if rag:
        referrals = referrals.filter(rag=rag)
    if assigned_to_me:
        referrals = referrals.filter(assigned_to=user)
    if breached:
        referrals = referrals.filter(_decision_late(now))
    referrals = (
        referrals.select_related("decision_clock", "assigned_to")
        # The queue shows none of the long texts: not reading them halves the page's rows to decode.
        .defer(*QUEUE_UNSHOWN)
        .order_by("decision_due_at", "pk")
    )
    return _with_subjects(referrals) if subjects else referrals


def queue_counts_for(user) -> dict[str, int]:
    """How many open referrals the user may see, in each state (one query). Grouped by state and
    counting rows, not keys: PostgreSQL answers from the (state, received_at) index alone, where a
    count per state of the keys read every open referral's row (1.3 ms against 4.9 at 7,000 open)."""
    referrals = policy.visible(user, Referral.objects.filter(state__in=OPEN_STATES))
    by_state = dict(referrals.order_by().values("state").annotate(n=Count("*")).values_list("state", "n"))
    counts = {state.value: by_state.get(state.value, 0) for state in OPEN_STATES}
    return {"total": sum(counts.values()), **counts}


def referral_list_for(
    user,
    *,
    state: str = "",
    rag: str = "",
    assigned_to_me: bool = False,
    breached: bool = False,
    include_closed: bool = True,
):
    referrals = policy.visible(user, Referral.objects.all())
    if not include_closed:
        referrals = referrals.exclude(state=State.CLOSED)
    if state:
        referrals = referrals.filter(state=state)
    if rag:
        referrals = referrals.filter(rag=rag)
    if assigned_to_me:
        referrals = referrals.filter(assigned_to=user)
    if breached:
        # Over every referral, closed ones included, a join to the clocks is the cheaper plan (100 ms
        # against 430 ms for a clock lookup per referral at 200,000); the open queue is the other way.
        referrals = referrals.filter(
            Q(decision_clock__stopped_at__isnull=True, decision_clock__due_at__lt=timezone.now())
            | Q(decision_clock__breached_at__isnull=False)
        )
    return _with_subjects(
        referrals.select_related("decision_clock", "assigned_to").order_by("-received_at", "-pk")
    )


def referral_get_for(user, pk: int, *, request=None) -> Referral:
    """One referral for this user; the read is logged, a refusal is a logged 404."""
    referral = record_get(
        user=user,
        queryset=Referral.objects.select_related(
            "decision_clock", "assigned_to", "recorded_by", "outcome_by"
        ),
        pk=pk,
        request=request,
    )
    return referral


def referral_detail_parts(referral: Referral) -> dict:
    """What the referral page shows beside the referral: subjects, timeline, ratings."""
    return {
        "subjects": list(referral.subjects.select_related("person").order_by("pk")),
        "timeline": list(referral.timeline.select_related("by").order_by("at", "pk")),
        "ratings": list(referral.rag_history.select_related("by").order_by("at", "pk")),
    }


def referral_page_for(user, pk: int, *, request=None) -> tuple[Referral, policy.Audience]:
    """The referral of its page, and the audience the user is for it (the lead's whole page or a
    partner's summary: the grants asked once); the read is logged, a refusal is a logged 404. Joins
    what the page shows beside the referral's own fields: the decision clock, the assignee and who
    recorded the outcome (whole: deferring their unshown columns cost the ORM more than it saved)."""
    return record_get_with_audience(
        user=user,
        queryset=Referral.objects.select_related("decision_clock", "assigned_to", "outcome_by"),
        pk=pk,
        request=request,
    )


SUMMARY_PERSON = ("person__given_name", "person__family_name", "person__date_of_birth")
PAGE_PERSON = (*SUMMARY_PERSON, "person__approximate_age", "person__nhs_number")
BY_NAME = ("by__first_name", "by__last_name", "by__username")


def referral_page_parts(referral: Referral, *, full: bool = True) -> dict:
    """What the referral page shows beside the referral, and only the columns it shows: the subjects
    (all a partner's summary shows), and on the full page the timeline and the RAG ratings with who
    made them. Each query reads ``referral``: the related manager puts the page's referral on every
    row by that column, which deferred would be a query per row."""
    subjects = referral.subjects.select_related("person").order_by("pk")
    if not full:
        return {"subjects": list(subjects.only("referral", "role", *SUMMARY_PERSON))}
    timeline = referral.timeline.select_related("by").only("referral", "at", "kind", "note", *BY_NAME)
    ratings = referral.rag_history.select_related("by").only(
        "referral", "at", "rating", "previous", "rationale", *BY_NAME
    )
    return {
        "subjects": list(subjects.only("referral", "role", *PAGE_PERSON)),
        "timeline": list(timeline.order_by("at", "pk")),
        # Never rated, a referral has no RAG history, and is not asked for one: referral_rate writes
        # each rating with the referral's RAG (referrals/services/triage.py), and nothing clears a RAG.
        "ratings": list(ratings.order_by("at", "pk")) if referral.rag else [],
    }


def due_descriptions(referrals, *, now=None, calendar=None) -> dict[int, str]:
    """'due in 3h 10m of working time' for each referral's decision clock, one calendar for the whole page."""
    calendar = calendar or Calendar()
    now = now or timezone.now()
    return {
        r.pk: describe_clock(r.decision_clock, now=now, calendar=calendar, missed="decided late")
        for r in referrals
    }


def possible_duplicates(user, person_ids, *, exclude_pk=None, now=None):
    """Open referrals of these people received in the last 30 days: pointed out before saving."""
    if not person_ids:
        return Referral.objects.none()
    since = (now or timezone.now()) - timedelta(days=DUPLICATE_WINDOW_DAYS)
    referrals = policy.visible(
        user,
        Referral.objects.filter(
            state__in=OPEN_STATES, received_at__gte=since, subjects__person_id__in=list(person_ids)
        ),
    ).distinct()
    if exclude_pk:
        referrals = referrals.exclude(pk=exclude_pk)
    return _with_subjects(referrals.order_by("-received_at"))


def people_referral_history(user, people) -> dict[int, list[HistoryItem]]:
    """History source for people: the referrals each was in that this user may see, newest first."""
    ids = [person.pk for person in people]
    referrals = policy.visible(user, Referral.objects.filter(subjects__person__in=ids))
    referrals = referrals.only("reference", "kind", "received_at", "state", "outcome")
    return {
        person_id: [
            HistoryItem(
                kind="Referral",
                at=referral.received_at,
                title=referral.reference,
                summary=f"{referral.get_kind_display()} referral; {_outcome_or_state(referral)}",
                url=reverse("referrals:detail", args=[referral.pk]),
            )
            for referral in found
        ]
        for person_id, found in newest_of_each(
            referrals, "subjects__person_id", ids, "-received_at", "pk"
        ).items()
    }


def _outcome_or_state(referral: Referral) -> str:
    return referral.get_outcome_display() if referral.outcome else referral.get_state_display()


def consultation_list_for(
    user, *, search: str = "", referral_advised: bool | None = None, converted: bool | None = None
):
    consultations = policy.visible(user, Consultation.objects.all())
    if search:
        consultations = consultations.filter(
            Q(caller_name__icontains=search) | Q(caller_organisation__icontains=search)
        )
    if referral_advised is not None:
        consultations = consultations.filter(referral_advised=referral_advised)
    if converted is not None:
        consultations = consultations.filter(referral__isnull=not converted)
    return consultations.select_related("person", "referral", "logged_by").order_by("-called_at", "-pk")


def consultation_get_for(user, pk: int, *, request=None) -> Consultation:
    consultation = record_get(
        user=user,
        queryset=Consultation.objects.select_related("person", "referral", "logged_by"),
        pk=pk,
        request=request,
    )
    return consultation


def child_contacts_for(user, *, start, end, outcomes=None):
    """Each child of each child referral received in ``[start, end)`` that the user may see: one
    ``ReferralSubject`` (role 'subject') per child per contact, oldest first (the inspection lists:
    a contact about two children is two rows). ``outcomes``: only referrals with one of these outcomes.
    The period filters the joined referral itself, so PostgreSQL reads the period's range of the
    received-at index: through the visible referrals alone it walked the index from the first referral
    ever (a year's first page at bench scale: 950 ms, against 1 ms)."""
    period = {"kind": ReferralKind.CHILD, "received_at__gte": start, "received_at__lt": end}
    if outcomes is not None:
        period["outcome__in"] = list(outcomes)
    referrals = Referral.objects.filter(**period)
    visible = policy.visible(user, referrals)
    subjects = ReferralSubject.objects.filter(
        role=SubjectRole.SUBJECT, **{f"referral__{k}": v for k, v in period.items()}
    )
    if visible is not referrals:  # not one who sees every referral: only the ones they may see
        subjects = subjects.filter(referral__in=visible)
    return subjects.select_related("referral__assigned_to", "person").order_by(
        "referral__received_at", "referral_id", "pk"
    )


def child_referral_times(user, person_ids, *, since, until, outcomes) -> dict[int, list]:
    """For each person, when the child referrals about them (as a subject) with one of ``outcomes`` that
    the user may see were received in ``[since, until)``: one query for a whole batch of rows."""
    referrals = policy.visible(
        user,
        Referral.objects.filter(
            kind=ReferralKind.CHILD, received_at__gte=since, received_at__lt=until, outcome__in=list(outcomes)
        ),
    )
    times: dict[int, list] = {}
    rows = ReferralSubject.objects.filter(
        referral__in=referrals, role=SubjectRole.SUBJECT, person_id__in=list(person_ids)
    ).values_list("person_id", "referral__received_at")
    for person_id, received_at in rows:
        times.setdefault(person_id, []).append(received_at)
    return times
