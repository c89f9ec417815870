"""Who holds grants on a discussion and on the answers it considers, recomputed from the record.

While a discussion is open every invited agency sees it and the answers it considers; once it is
signed off the agencies that attended keep both, an agency that owns an action keeps the discussion,
and the others lose what they were given. A cancelled discussion leaves no grant. An agency never loses
sight of its own answer here: that grant belongs to its information request.
"""

from django.db.models import Q

from mash.agencies.models import Agency
from mash.sharing.services import grant_view, revoke_view
from referrals.models import InformationRequest
from strategy.models import Attendance, DiscussionStatus, StrategyDiscussion


def _attended_agency_ids(discussion: StrategyDiscussion) -> set[int]:
    return set(
        discussion.invitations.filter(attendance=Attendance.ATTENDED).values_list("agency_id", flat=True)
    )


def _still_needed(agency: Agency, request: InformationRequest, *, besides: StrategyDiscussion) -> bool:
    """Does another discussion still give ``agency`` sight of ``request``?"""
    return (
        StrategyDiscussion.objects.exclude(pk=besides.pk)
        .filter(considered=request)
        .filter(
            Q(status=DiscussionStatus.SCHEDULED, invitations__agency=agency)
            | Q(
                status=DiscussionStatus.SIGNED_OFF,
                invitations__agency=agency,
                invitations__attendance=Attendance.ATTENDED,
            )
        )
        .exists()
    )


def sync_access(
    discussion: StrategyDiscussion,
    *,
    also_agencies: list[Agency] = (),
    also_requests: list[InformationRequest] = (),
) -> None:
    """Make the grants match the record. ``also_*`` name agencies uninvited and answers no longer
    considered, whose grants may have to go."""
    invited = set(discussion.invitations.values_list("agency_id", flat=True))
    owners = set(discussion.actions.values_list("owner_agency_id", flat=True))
    attended = _attended_agency_ids(discussion)
    agency_ids = invited | owners | {a.pk for a in also_agencies}
    agencies = Agency.objects.filter(pk__in=agency_ids, is_lead=False).select_related("group")
    considered = list(discussion.considered.all())
    dropped = [r for r in also_requests if r not in considered]
    for agency in agencies:
        if discussion.status == DiscussionStatus.SCHEDULED:
            sees_answers = agency.pk in invited
            sees_record = sees_answers or agency.pk in owners  # action_add: owners see it from now on
        elif discussion.status == DiscussionStatus.SIGNED_OFF:
            sees_answers = agency.pk in attended
            sees_record = sees_answers or agency.pk in owners
        else:
            sees_record = sees_answers = False
        (grant_view if sees_record else revoke_view)(obj=discussion, agency=agency)
        for request in considered:
            if request.agency_id == agency.pk:
                continue
            if sees_answers:
                grant_view(obj=request, agency=agency)
            elif not _still_needed(agency, request, besides=discussion):
                revoke_view(obj=request, agency=agency)
        for request in dropped:
            if request.agency_id != agency.pk and not _still_needed(agency, request, besides=discussion):
                revoke_view(obj=request, agency=agency)
