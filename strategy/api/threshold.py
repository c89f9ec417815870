"""The decision makers' queue and the Strategy Threshold Decisions."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.common.api import STALE
from referrals import selectors as referral_selectors
from referrals.api.output import ReferralRowSerializer
from referrals.models import Referral
from strategy import selectors, services
from strategy.api.inputs import ThresholdCreateSerializer, ThresholdFilterSerializer
from strategy.api.output import ThresholdDecisionSerializer
from strategy.models import ThresholdDecision


class ThresholdQueueAPI(generics.ListAPIView):
    """Referrals awaiting a threshold decision, most urgent first (the lead agency's case workers)."""

    serializer_class = ReferralRowSerializer

    @extend_schema(summary="Referrals awaiting a threshold decision, most urgent first")
    def get(self, request, *args, **kwargs):
        if not is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied("Only the lead agency's case workers see the threshold queue.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Referral.objects.none()
        return selectors.threshold_queue(self.request.user)


class ThresholdListCreateAPI(generics.ListAPIView):
    serializer_class = ThresholdDecisionSerializer

    @extend_schema(summary="Threshold decisions, latest first", parameters=[ThresholdFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return ThresholdDecision.objects.none()
        query = ThresholdFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.threshold_decisions_for(self.request.user, **query.validated_data)

    @extend_schema(
        summary="Decide whether a strategy discussion is required (not required: the outcome too)",
        request=ThresholdCreateSerializer,
        responses={201: ThresholdDecisionSerializer, 409: STALE},
    )
    def post(self, request):
        data = ThresholdCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        referral = referral_selectors.referral_get_for(request.user, fields.pop("referral"), request=request)
        decision = services.threshold_decide(referral=referral, by=request.user, **fields)
        return Response(ThresholdDecisionSerializer(decision).data, status=201)


class ThresholdDetailAPI(APIView):
    @extend_schema(summary="One threshold decision", responses=ThresholdDecisionSerializer)
    def get(self, request, pk: int):
        decision = selectors.threshold_get_for(request.user, pk, request=request)
        return Response(ThresholdDecisionSerializer(decision).data)
