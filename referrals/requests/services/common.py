"""Helpers the information request services share: the timeline note, who is told, the request's page,
who may answer, and locking a request for a change."""

from django.urls import reverse
from django.utils import timezone

from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for, members_with_role
from mash.common.versioning import StaleVersion, lock_for_change
from referrals.models import EventKind, InformationRequest, Referral, RequestStatus, TimelineEvent


def event(referral, *, by, note, kind=EventKind.NOTE):
    TimelineEvent.objects.create(referral=referral, at=timezone.now(), by=by, kind=kind, note=note)


def researchers(agency_id: int):
    return list(members_with_role(agency_id, Role.AGENCY_RESEARCHER))


def lead_practitioners(referral: Referral):
    if referral.assigned_to_id:
        return [referral.assigned_to]
    lead = Agency.objects.filter(is_lead=True).first()
    return list(members_with_role(lead.pk, Role.TRIAGE_PRACTITIONER)) if lead else []


def request_url(request: InformationRequest) -> str:
    return reverse("referrals:request", args=[request.pk])


def may_answer(by, request: InformationRequest) -> bool:
    actor = actor_for(by)
    return actor.agency_id == request.agency_id and actor.has(Role.AGENCY_RESEARCHER)


def _request_changed(current: InformationRequest) -> StaleVersion:
    who = (
        (current.answered_by.get_full_name() or current.answered_by.get_username())
        if current.answered_by_id
        else "Someone else"
    )
    return StaleVersion(
        f"{who} changed this request since you opened it"
        + (" and submitted the answer" if current.status == RequestStatus.ANSWERED else "")
        + ". Your work has not been saved over theirs: reload the page to see it."
    )


def locked_request(request: InformationRequest, expected_version: int | None = None) -> InformationRequest:
    return lock_for_change(
        request,
        expected_version,
        queryset=InformationRequest.objects.select_related("referral", "agency", "clock"),
        stale=_request_changed,
    )
