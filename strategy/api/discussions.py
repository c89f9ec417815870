"""Strategy discussions: convening, the list, one discussion with its record, and every change to it.

Every change first loads the discussion through ``discussion_get_for``, so a user who may not see it
gets a logged 404 whatever they asked to do; one who may see it but not do this gets the service's
refusal (a 400). Each change answers with the discussion as it now is.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.views import APIView

from mash.common.api import STALE
from mash.sharing.serializers import AudienceListMixin
from referrals import selectors as referral_selectors
from strategy import selectors, services
from strategy.api import inputs
from strategy.api.output import (
    StrategyDiscussionRowSerializer,
    StrategyDiscussionSerializer,
    discussion_response,
)
from strategy.models import Invitation, StrategyDiscussion, SubjectDecision


def _change(summary: str, request_serializer, *, status: int = 200, versioned: bool = True):
    responses = {status: StrategyDiscussionSerializer}
    if versioned:
        responses[409] = STALE
    return extend_schema(summary=summary, request=request_serializer, responses=responses)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class DiscussionListCreateAPI(AudienceListMixin, generics.ListAPIView):
    serializer_class = StrategyDiscussionRowSerializer

    @extend_schema(
        summary="The discussions you may see, latest first", parameters=[inputs.DiscussionFilterSerializer]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return StrategyDiscussion.objects.none()
        query = inputs.DiscussionFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        discussions = selectors.discussions_for(self.request.user, status=query.validated_data["status"])
        if query.validated_data["referral_id"] is not None:
            discussions = discussions.filter(referral_id=query.validated_data["referral_id"])
        return discussions.select_related("threshold_decision__strategy_clock")

    @_change(
        "Convene a discussion of a referral sent to strategy, and invite",
        inputs.DiscussionConveneSerializer,
        status=201,
        versioned=False,
    )
    def post(self, request):
        fields = _valid(inputs.DiscussionConveneSerializer, request)
        referral = referral_selectors.referral_get_for(request.user, fields.pop("referral"), request=request)
        discussion = services.discussion_convene(referral=referral, by=request.user, **fields)
        return discussion_response(request, discussion, status=201)


class DiscussionDetailAPI(APIView):
    @extend_schema(summary="One discussion and its record", responses=StrategyDiscussionSerializer)
    def get(self, request, pk: int):
        return discussion_response(request, selectors.discussion_get_for(request.user, pk, request=request))


class RescheduleAPI(APIView):
    @_change("Re-schedule the discussion (everyone invited is told)", inputs.DiscussionRescheduleSerializer)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionRescheduleSerializer, request)
        discussion = services.discussion_reschedule(discussion=discussion, by=request.user, **fields)
        return discussion_response(request, discussion)


class CancelAPI(APIView):
    @_change("Cancel the discussion (everyone invited is told)", inputs.DiscussionCancelSerializer)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionCancelSerializer, request)
        discussion = services.discussion_cancel(discussion=discussion, by=request.user, **fields)
        return discussion_response(request, discussion)


class InvitationsAddAPI(APIView):
    @_change(
        "Invite more agencies or people (only they are sent the invitation)",
        inputs.DiscussionInviteSerializer,
        status=201,
    )
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionInviteSerializer, request)
        services.invitations_add(discussion=discussion, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion, status=201)


class InvitationRemoveAPI(APIView):
    @_change("Withdraw an invitation (before attendance is recorded)", inputs.DiscussionVersionSerializer)
    def post(self, request, pk: int, invitation_id: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        invitation = get_object_or_404(Invitation, pk=invitation_id, discussion=discussion)
        fields = _valid(inputs.DiscussionVersionSerializer, request)
        services.invitation_remove(invitation=invitation, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion)


class ConsideredAPI(APIView):
    @_change("Choose the answers the discussion considers", inputs.DiscussionConsideredSerializer)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionConsideredSerializer, request)
        discussion = services.considered_set(
            discussion=discussion,
            by=request.user,
            requests=fields["considered"],
            expected_version=fields["expected_version"],
        )
        return discussion_response(request, discussion)


class AttendanceAPI(APIView):
    @_change("Record who attended, sent apologies or was absent", inputs.DiscussionAttendanceSerializer)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionAttendanceSerializer, request)
        discussion = services.attendance_record(discussion=discussion, by=request.user, **fields)
        return discussion_response(request, discussion)


class RecordAPI(APIView):
    @_change("Save the discussion notes and the rationale", inputs.DiscussionRecordSerializer)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionRecordSerializer, request)
        discussion = services.record_update(discussion=discussion, by=request.user, **fields)
        return discussion_response(request, discussion)


class DecisionsAPI(APIView):
    @_change(
        "Record the decision for each subject (replacing any before)", inputs.DiscussionDecisionsSerializer
    )
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionDecisionsSerializer, request)
        services.decisions_record(discussion=discussion, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion)


class ActionAddAPI(APIView):
    @_change("Add an action (its owner is told)", inputs.DiscussionActionCreateSerializer, status=201)
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionActionCreateSerializer, request)
        services.action_add(discussion=discussion, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion, status=201)


class SignOffAPI(APIView):
    @_change(
        "Sign off the record: it is locked, the referral takes its outcome",
        inputs.DiscussionVersionSerializer,
    )
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionVersionSerializer, request)
        discussion = services.discussion_sign_off(discussion=discussion, by=request.user, **fields)
        return discussion_response(request, discussion)


class AddendumAddAPI(APIView):
    @_change(
        "Add an addendum to a signed-off record",
        inputs.DiscussionAddendumSerializer,
        status=201,
        versioned=False,
    )
    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        fields = _valid(inputs.DiscussionAddendumSerializer, request)
        services.addendum_add(discussion=discussion, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion, status=201)


class FindingAPI(APIView):
    @_change("Record a section 47 enquiry's finding", inputs.DecisionFindingSerializer, versioned=False)
    def post(self, request, pk: int, decision_id: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        decision = get_object_or_404(SubjectDecision, pk=decision_id, discussion=discussion)
        fields = _valid(inputs.DecisionFindingSerializer, request)
        services.finding_record(decision=decision, by=request.user, **fields)
        discussion.refresh_from_db()
        return discussion_response(request, discussion)
