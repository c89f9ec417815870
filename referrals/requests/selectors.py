"""Reads of information requests and answers, for an acting user (the sharing policy applies)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from mash.agencies.selectors import actor_for
from mash.sharing import policy
from mash.sharing.services import record_get
from referrals.models import InformationRequest, Referral, RequestStatus, ResponseEntry


def agency_inbox_for(user, *, include_answered: bool = False):
    """The user's agency's requests, most urgent first (researchers' inbox). Ordered by the request's own
    copy of its clock's due time, so that a page of open requests is read from one index
    (``referrals_request_inbox_due``) instead of joining and sorting every open request of the agency."""
    actor = actor_for(user)
    if actor.agency is None:
        return InformationRequest.objects.none()
    # Through the agency's related manager: each request's ``agency`` is the actor's agency, set by
    # Django without a join (every join is a millisecond more of the planner's time on every page).
    requests = actor.agency.information_requests.exclude(status=RequestStatus.WITHDRAWN)
    if not include_answered:
        requests = requests.filter(status=RequestStatus.OPEN)
    requests = policy.visible(user, requests).select_related("referral", "clock", "assigned_to")
    return requests.order_by("due_at", "pk")


def requests_for(user):
    """Every information request this user may see, withdrawn ones included (the lead agency's case
    workers and managers: all; another agency's staff: their agency's own): the lists behind the
    measures' figures."""
    return policy.visible(user, InformationRequest.objects.all()).select_related(
        "referral", "agency", "clock"
    )


def request_get_for(user, pk: int, *, request=None) -> InformationRequest:
    """One request with its entries; the read is logged, a refusal is a logged 404."""
    information_request = record_get(
        user=user,
        queryset=InformationRequest.objects.select_related(
            "referral", "agency", "clock", "assigned_to", "answered_by"
        ),
        pk=pk,
        request=request,
    )
    return information_request


def request_entries(user, information_request: InformationRequest):
    """The entries of a request's answer that this user may see: an answer is its agency's until
    submitted (the sharing policy's part rule), so another agency, the lead included, sees none of a
    draft."""
    entries = information_request.entries.select_related("person", "author")
    return policy.parts_shown(user, entries.order_by("person_id", "created_at", "pk"))


def requests_of_referral(user, referral: Referral):
    """The requests of a referral this user may see (the lead agency: all; an agency: its own)."""
    return (
        policy.visible(user, referral.information_requests.all())
        .select_related("agency", "clock", "assigned_to")
        .order_by("agency__name")
    )


def requests_on_referral_page(user, referral: Referral):
    """``requests_of_referral`` as the referral page lists them, and only what it shows of each: the
    agency's name, the status, the due time. Reads ``referral``, which the related manager sets on each
    row by that column."""
    return (
        policy.visible(user, referral.information_requests.all())
        .select_related("agency", "clock")
        .only("referral", "status", "agency__name", "clock__due_at", "clock__stopped_at")
        .order_by("agency__name")
    )


@dataclass
class CollationRow:
    person: object
    cells: list = field(default_factory=list)  # one list of entries per agency, in agency order


def collation_for(user, referral: Referral) -> dict:
    """All answers side by side, per subject and agency (the lead agency only: others see their own)."""
    requests = list(
        requests_of_referral(user, referral)
        .exclude(status=RequestStatus.WITHDRAWN)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=policy.parts_shown(
                    user, ResponseEntry.objects.select_related("author").order_by("created_at", "pk")
                ),
            )
        )
    )
    subjects = [link.person for link in referral.subjects.select_related("person").order_by("pk")]
    rows = []
    for person in subjects:
        row = CollationRow(person=person)
        for information_request in requests:
            row.cells.append([e for e in information_request.entries.all() if e.person_id == person.pk])
        rows.append(row)
    return {
        "requests": requests,
        "rows": rows,
        "all_answered": bool(requests) and all(r.status == RequestStatus.ANSWERED for r in requests),
    }


def open_requests_for(user):
    """Every open request this user may see, the longest open first (the workload dashboard's lists:
    the lead agency's managers see all; an agency's manager their own agency's, through its grants)."""
    requests = InformationRequest.objects.filter(status=RequestStatus.OPEN)
    return (
        policy.visible(user, requests)
        .select_related("referral", "agency", "clock", "assigned_to")
        .order_by("sent_at", "pk")
    )
