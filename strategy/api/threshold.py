"""The decision makers' queue and the Strategy Threshold Decisions."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.policy import is_lead_case_worker
from mash.common.api import STALE
from mash.common.lists import SelectorListAPI
from referrals import selectors as referral_selectors
from referrals.api.output import ReferralRowSerializer
from referrals.models import Referral
from strategy import selectors, services
from strategy.api.inputs import ThresholdCreateSerializer, ThresholdFilterSerializer
from strategy.api.output import ThresholdDecisionSerializer
from strategy.models import ThresholdDecision


class ThresholdQueueAPI(SelectorListAPI):
    """Referrals awaiting a threshold decision, most urgent first (the lead agency's case workers)."""

    serializer_class = ReferralRowSerializer

    model, selector = Referral, selectors.threshold_queue
    summary = "Referrals awaiting a threshold decision, most urgent first"
    allowed, refusal = is_lead_case_worker, "Only the lead agency's case workers see the threshold queue."


class ThresholdListCreateAPI(SelectorListAPI):
    serializer_class = ThresholdDecisionSerializer

    model, selector = ThresholdDecision, selectors.threshold_decisions_for
    summary, filter_class = "Threshold decisions, latest first", ThresholdFilterSerializer

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
