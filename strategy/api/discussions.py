"""Strategy discussions: convening, the list, one discussion with its record, and every change to it.

Every change first loads the discussion through ``discussion_get_for``, so a user who may not see it
gets a logged 404 whatever they asked to do; one who may see it but not do this gets the service's
refusal (a 400). Each change answers with the discussion as it now is.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from mash.sharing.serializers import AudienceListMixin
from referrals import selectors as referral_selectors
from strategy import selectors, services
from strategy.api import inputs
from strategy.api.output import (
    StrategyDiscussionRowSerializer,
    StrategyDiscussionSerializer,
    discussion_response,
)
from strategy.models import StrategyDiscussion


class DiscussionListCreateAPI(AudienceListMixin, SelectorListAPI):
    serializer_class = StrategyDiscussionRowSerializer

    model, selector = StrategyDiscussion, selectors.discussions_for
    summary = "The discussions you may see, latest first"
    filter_class = inputs.DiscussionFilterSerializer

    def select(self, user, *, status, referral_id):
        discussions = selectors.discussions_for(user, status=status)
        if referral_id is not None:
            discussions = discussions.filter(referral_id=referral_id)
        # A row's columns only (StrategyDiscussionRowSerializer): not the notes and the referral's texts.
        return discussions.select_related("threshold_decision__strategy_clock").only(
            *selectors.DISCUSSION_API_ROW
        )

    @extend_schema(
        summary="Convene a discussion of a referral sent to strategy, and invite",
        request=inputs.DiscussionConveneSerializer,
        responses={201: StrategyDiscussionSerializer},
    )
    def post(self, request):
        data = inputs.DiscussionConveneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        referral = referral_selectors.referral_get_for(request.user, fields.pop("referral"), request=request)
        discussion = services.discussion_convene(referral=referral, by=request.user, **fields)
        return discussion_response(request, discussion, status=201)


class DiscussionDetailAPI(APIView):
    @extend_schema(summary="One discussion and its record", responses=StrategyDiscussionSerializer)
    def get(self, request, pk: int):
        return discussion_response(request, selectors.discussion_get_for(request.user, pk, request=request))


class DiscussionActionAPI(RecordActionAPI):
    """One change to a discussion (mash/common/actions.py): a serializer, one service; the answer is the
    discussion as it now is."""

    record_name, output = "discussion", StrategyDiscussionSerializer

    def get_record(self, request, pk):
        return selectors.discussion_get_for(request.user, pk, request=request)

    def discussion_of(self, record) -> StrategyDiscussion:
        return record

    def respond(self, request, record, result):
        if isinstance(result, StrategyDiscussion):
            discussion = result
        else:
            discussion = self.discussion_of(record)
            discussion.refresh_from_db()
        return discussion_response(request, discussion, status=self.status_code)


class RescheduleAPI(DiscussionActionAPI):
    summary = "Re-schedule the discussion (everyone invited is told)"
    serializer_class, service = inputs.DiscussionRescheduleSerializer, services.discussion_reschedule


class CancelAPI(DiscussionActionAPI):
    summary = "Cancel the discussion (everyone invited is told)"
    serializer_class, service = inputs.DiscussionCancelSerializer, services.discussion_cancel


class InvitationsAddAPI(DiscussionActionAPI):
    summary = "Invite more agencies or people (only they are sent the invitation)"
    serializer_class, service, status_code = inputs.DiscussionInviteSerializer, services.invitations_add, 201


class InvitationRemoveAPI(DiscussionActionAPI):
    summary = "Withdraw an invitation (before attendance is recorded)"
    serializer_class, service = inputs.DiscussionVersionSerializer, services.invitation_remove
    record_name = "invitation"

    def get_record(self, request, pk, invitation_id):
        discussion = super().get_record(request, pk)
        return get_object_or_404(discussion.invitations, pk=invitation_id)

    def discussion_of(self, invitation):
        return invitation.discussion


class ConsideredAPI(DiscussionActionAPI):
    summary = "Choose the answers the discussion considers"
    serializer_class, service = inputs.DiscussionConsideredSerializer, services.considered_set


class AttendanceAPI(DiscussionActionAPI):
    summary = "Record who attended, sent apologies or was absent"
    serializer_class, service = inputs.DiscussionAttendanceSerializer, services.attendance_record


class RecordAPI(DiscussionActionAPI):
    summary = "Save the discussion notes and the rationale"
    serializer_class, service = inputs.DiscussionRecordSerializer, services.record_update


class DecisionsAPI(DiscussionActionAPI):
    summary = "Record the decision for every child of the referral, all at once (replacing any before)"
    serializer_class, service = inputs.DiscussionDecisionsSerializer, services.decisions_record


class ActionAddAPI(DiscussionActionAPI):
    summary = "Add an action (its owner is told)"
    serializer_class, service, status_code = inputs.DiscussionActionCreateSerializer, services.action_add, 201


class SignOffAPI(DiscussionActionAPI):
    summary = "Sign off the record: it is locked, the referral takes its outcome"
    serializer_class, service = inputs.DiscussionVersionSerializer, services.discussion_sign_off


class AddendumAddAPI(DiscussionActionAPI):
    summary, conflict = "Add an addendum to a signed-off record", None
    serializer_class, service, status_code = inputs.DiscussionAddendumSerializer, services.addendum_add, 201


class FindingAPI(DiscussionActionAPI):
    summary, conflict = "Record a section 47 enquiry's finding", None
    serializer_class, service = inputs.DecisionFindingSerializer, services.finding_record
    record_name = "decision"

    def get_record(self, request, pk, decision_id):
        discussion = super().get_record(request, pk)
        return get_object_or_404(discussion.decisions, pk=decision_id)

    def discussion_of(self, decision):
        return decision.discussion
