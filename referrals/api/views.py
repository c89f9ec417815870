"""The referrals and consultations endpoints (referrals/api_urls.py)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from mash.sharing.serializers import AudienceListMixin
from referrals import selectors, services
from referrals.api.inputs import (
    AssignSerializer,
    CloseSerializer,
    ConsultationCreateSerializer,
    ConsultationFilterSerializer,
    ConvertSerializer,
    OutcomeSerializer,
    RateSerializer,
    ReferralCreateSerializer,
    ReferralFilterSerializer,
    ReopenSerializer,
    TransitionSerializer,
)
from referrals.api.output import (
    STALE,
    ConsultationSerializer,
    ReferralDetailSerializer,
    ReferralRowSerializer,
)
from referrals.models import Consultation, Referral

DUPLICATE = (
    "This may be a duplicate: open referrals received in the last 30 days are about the same people. "
    "Add what is new to one of them, or confirm with not_a_duplicate that this is a new referral."
)


class OpenReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    state = serializers.CharField()
    received_at = serializers.DateTimeField()


class DuplicateReferralSerializer(serializers.Serializer):
    detail = serializers.CharField()
    open_referrals = OpenReferralSerializer(many=True)


def _detail(request, referral: Referral, *, status: int = 200) -> Response:
    context = {"request": request, **selectors.referral_detail_parts(referral)}
    return Response(ReferralDetailSerializer(referral, context=context).data, status=status)


class ReferralListCreateAPI(AudienceListMixin, SelectorListAPI):
    serializer_class = ReferralRowSerializer

    model, selector = Referral, selectors.referral_list_for
    filter_class = ReferralFilterSerializer

    def select(self, user, **filters):
        # A row's columns only (ReferralRowSerializer): not the long texts of 50 referrals.
        return super().select(user, **filters).only(*selectors.ROW)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={
            201: ReferralDetailSerializer,
            409: OpenApiResponse(
                DuplicateReferralSerializer,
                description="Open referrals of the same people, received in the last 30 days: send "
                "not_a_duplicate to record this one all the same (as the intake page asks).",
            ),
        },
    )
    def post(self, request):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if not fields.pop("not_a_duplicate"):
            # As the intake page: the open referrals this user may see of the known people named.
            known = [getattr(s.person, "pk", s.person) for s in fields["subjects"] if s.person is not None]
            duplicates = list(selectors.possible_duplicates(request.user, known))
            if duplicates:
                body = {"detail": DUPLICATE, "open_referrals": duplicates}
                return Response(DuplicateReferralSerializer(body).data, status=409)
        referral = services.referral_create(by=request.user, **fields)
        return _detail(request, referral, status=201)


class ReferralDetailAPI(APIView):
    @extend_schema(responses=ReferralDetailSerializer)
    def get(self, request, pk: int):
        return _detail(request, selectors.referral_get_for(request.user, pk, request=request))


class ReferralActionAPI(RecordActionAPI):
    """One action on a referral through the API (mash/common/actions.py): a serializer, one service."""

    record_name, output, conflict = "referral", ReferralDetailSerializer, STALE

    def get_record(self, request, pk):
        return selectors.referral_get_for(request.user, pk, request=request)

    def respond(self, request, referral, result):
        return _detail(request, result)


class ReferralTransitionAPI(ReferralActionAPI):
    summary, serializer_class = "Move the referral to the next state", TransitionSerializer
    service = services.referral_transition


class ReferralRateAPI(ReferralActionAPI):
    summary, serializer_class = "RAG-rate (or re-rate) the referral", RateSerializer
    service = services.referral_rate


class ReferralOutcomeAPI(ReferralActionAPI):
    summary, serializer_class = "Record the MASH decision", OutcomeSerializer
    service = services.referral_record_outcome


class ReferralCloseAPI(ReferralActionAPI):
    summary, serializer_class = "Close a decided referral and tell the referrer", CloseSerializer
    service = services.referral_close


class ReferralReopenAPI(ReferralActionAPI):
    summary, serializer_class = "Reopen a closed referral", ReopenSerializer
    service = services.referral_reopen


class ReferralAssignAPI(ReferralActionAPI):
    summary = "Assign the referral to a triage practitioner, or unassign it"
    serializer_class = AssignSerializer
    service = services.referral_assign


# A call in the API's list (ConsultationSerializer): its own columns, and of the person, the referral
# and who logged it, what the references show (not the referral's long texts, 50 times).
CONSULTATION_ROW = (
    "called_at",
    "caller_name",
    "caller_organisation",
    "caller_role",
    "caller_phone",
    "caller_email",
    "kind",
    "anonymous_description",
    "question",
    "advice",
    "referral_advised",
    "created_at",
    "person",
    "person__given_name",
    "person__family_name",
    "referral",
    "referral__reference",
    "logged_by",
    "logged_by__first_name",
    "logged_by__last_name",
    "logged_by__username",
)


class ConsultationListCreateAPI(SelectorListAPI):
    serializer_class = ConsultationSerializer

    model, selector = Consultation, selectors.consultation_list_for
    filter_class = ConsultationFilterSerializer

    def select(self, user, **filters):
        return super().select(user, **filters).only(*CONSULTATION_ROW)

    @extend_schema(request=ConsultationCreateSerializer, responses={201: ConsultationSerializer})
    def post(self, request):
        data = ConsultationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = services.consultation_create(by=request.user, **data.validated_data)
        return Response(ConsultationSerializer(consultation).data, status=201)


class ConsultationDetailAPI(APIView):
    @extend_schema(responses=ConsultationSerializer)
    def get(self, request, pk: int):
        consultation = selectors.consultation_get_for(request.user, pk, request=request)
        return Response(ConsultationSerializer(consultation).data)


class ConsultationConvertAPI(APIView):
    @extend_schema(
        summary="Turn the call into a referral (once only)",
        request=ConvertSerializer,
        responses={201: ReferralDetailSerializer},
    )
    def post(self, request, pk: int):
        consultation = selectors.consultation_get_for(request.user, pk, request=request)
        data = ConvertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.consultation_convert(
            consultation=consultation, by=request.user, **data.validated_data
        )
        return _detail(request, referral, status=201)
