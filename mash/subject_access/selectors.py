"""The reads of subject access. Information governance's only (the views and the API let no one else
in: ``GovernanceMixin``, ``is_information_governance``): they are not filtered by the sharing policy,
as a request is about everything held, whoever's it is."""

from collections import Counter

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from mash.people.matching import Match, match_people
from mash.people.models import Person
from mash.subject_access.models import OPEN_STATES, Decision, SubjectAccessItem, SubjectAccessRequest


def request_list(*, state: str = "", reference: str = ""):
    """Open requests first, the soonest due first; then the closed ones, the latest closed first."""
    rows = SubjectAccessRequest.objects.select_related("person", "clock", "extension_clock")
    if state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    if reference:
        rows = rows.filter(reference__istartswith=reference.strip())
    return rows.annotate(
        closed=Case(
            When(Q(state__in=OPEN_STATES), then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        final_due=Coalesce("extended_due_on", "due_on"),
    ).order_by("closed", F("final_due").asc(), F("closed_at").desc(nulls_last=True), "pk")


def open_requests():
    return request_list(state="open")


def request_get(pk) -> SubjectAccessRequest:
    return get_object_or_404(
        SubjectAccessRequest.objects.select_related(
            "person", "clock", "extension_clock", "logged_by", "identity_verified_by", "extended_by"
        ),
        pk=pk,
    )


def items_of(sar: SubjectAccessRequest):
    return sar.items.select_related("agency", "decided_by").order_by("position")


def item_get(sar: SubjectAccessRequest, item_pk) -> SubjectAccessItem:
    return get_object_or_404(items_of(sar), pk=item_pk)


def decision_counts(sar: SubjectAccessRequest) -> dict:
    """How many items of each decision, and how many flagged items still wait (one query)."""
    counts = Counter()
    for decision, flags, decided_by in sar.items.values_list("decision", "release_flags", "decided_by"):
        counts[decision] += 1
        counts["flagged"] += bool(flags)
        counts["decided"] += decided_by is not None
    return {
        "total": sum(counts[d] for d in Decision.values),
        "pending": counts[Decision.PENDING],
        "flagged": counts["flagged"],
        "release": counts[Decision.RELEASE],
        "redact": counts[Decision.REDACT],
        "withhold": counts[Decision.WITHHOLD],
        # Decisions made by someone (not the release by default): compiling again is refused.
        "decided": counts["decided"],
    }


def person_candidates(**details) -> list[Match]:
    """The people who may be the one a request is about: every person held, since the request is about
    what is held (not what the officer may otherwise see); matched as everywhere else."""
    if not any(details.values()):
        return []
    return match_people(Person.objects.all(), **details)
