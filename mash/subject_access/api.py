"""The subject access API: information governance's only (403 for anyone else), as the pages."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionAPI
from mash.common.api import (
    MAX_ID,
    ClockSerializer,
    ConflictSerializer,
    EnumField,
    QuerySerializer,
    UserRefSerializer,
    version_input,
)
from mash.common.lists import SelectorListAPI
from mash.common.pdf import pdf_response
from mash.people.models import Person
from mash.subject_access import bundle, selectors, services
from mash.subject_access.forms import STATE_FILTERS
from mash.subject_access.models import (
    Decision,
    Exemption,
    IdentityMethod,
    Relationship,
    Source,
    State,
    SubjectAccessRequest,
)

REFUSAL = services.ROLE_REFUSAL


def _governance_only(request) -> None:
    if not is_information_governance(actor_for(request.user)):
        raise PermissionDenied(REFUSAL)


class SubjectAccessRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = EnumField(State, name="SubjectAccessState")
    received_on = serializers.DateField()
    due_on = serializers.DateField(source="final_due_on", help_text="The due date, extended or not.")
    extended = serializers.SerializerMethodField()
    clock = ClockSerializer(source="current_clock")

    def get_extended(self, sar) -> bool:
        return sar.extended_due_on is not None


class SubjectAccessItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    version = serializers.IntegerField()
    source = EnumField(Source, name="SubjectAccessSource")
    at = serializers.DateTimeField(allow_null=True)
    kind = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    release_flags = serializers.ListField(child=serializers.CharField())
    decision = EnumField(Decision, name="SubjectAccessDecision")
    exemption = EnumField(Exemption, name="SubjectAccessExemption", allow_blank=True)
    reason = serializers.CharField()
    redacted_text = serializers.CharField()
    decided_by = UserRefSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class SubjectAccessDetailSerializer(SubjectAccessRowSerializer):
    version = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    requester_name = serializers.CharField()
    relationship = EnumField(Relationship, name="SubjectAccessRelationship")
    requester_contact = serializers.CharField()
    identity_method = EnumField(IdentityMethod, name="SubjectAccessIdentityMethod", allow_blank=True)
    identity_verified_at = serializers.DateTimeField(allow_null=True)
    extension_reason = serializers.CharField()
    closed_reason = serializers.CharField()
    items = serializers.SerializerMethodField()

    @extend_schema_field(SubjectAccessItemSerializer(many=True))
    def get_items(self, sar) -> list[dict]:
        return SubjectAccessItemSerializer(selectors.items_of(sar), many=True).data


class SubjectAccessFilterSerializer(QuerySerializer):
    state = serializers.ChoiceField(choices=[c for c, _ in STATE_FILTERS if c], required=False)
    reference = serializers.CharField(required=False, max_length=20)


class SubjectAccessCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The person it is about.")
    requester_name = serializers.CharField(max_length=200)
    relationship = EnumField(Relationship, name="SubjectAccessRelationship")
    requester_contact = serializers.CharField()
    received_on = serializers.DateField(help_text="The day it reached the MASH; today or earlier.")

    def validate_person(self, value):
        person = Person.objects.filter(pk=value).first()
        if person is None:
            raise serializers.ValidationError("Choose a known person.")
        return person


class SubjectAccessVerifySerializer(serializers.Serializer):
    version = version_input("The request's version, as read.")
    method = EnumField(IdentityMethod, name="SubjectAccessIdentityMethod")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SubjectAccessCompileSerializer(serializers.Serializer):
    version = version_input("The request's version, as read.")


class SubjectAccessDecideSerializer(serializers.Serializer):
    version = version_input("The item's version, as read.")
    decision = serializers.ChoiceField(choices=[Decision.RELEASE, Decision.REDACT, Decision.WITHHOLD])
    exemption = EnumField(
        Exemption, name="SubjectAccessExemption", required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    redacted_text = serializers.CharField(required=False, allow_blank=True, default="")


def _detail(request, sar, status=200):
    return Response(SubjectAccessDetailSerializer(sar, context={"request": request}).data, status=status)


class RequestListCreateAPI(SelectorListAPI):
    """Subject access requests, the open ones first by due date (information governance only)."""

    serializer_class = SubjectAccessRowSerializer
    model = SubjectAccessRequest
    summary, filter_class = "Subject access requests, open first by due date", SubjectAccessFilterSerializer
    allowed, refusal = staticmethod(is_information_governance), REFUSAL

    def select(self, user, **filters):
        return selectors.request_list(**filters)

    @extend_schema(
        summary="Log a subject access request (its one-month clock starts on the day received)",
        request=SubjectAccessCreateSerializer,
        responses={201: SubjectAccessDetailSerializer},
    )
    def post(self, request):
        _governance_only(request)
        data = SubjectAccessCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sar = services.request_create(by=request.user, **data.validated_data)
        return _detail(request, selectors.request_get(sar.pk), status=201)


class RequestDetailAPI(APIView):
    @extend_schema(
        summary="One subject access request, with its compiled items", responses=SubjectAccessDetailSerializer
    )
    def get(self, request, pk: int):
        _governance_only(request)
        return _detail(request, selectors.request_get(pk))


class RequestActionAPI(RecordActionAPI):
    record_name, output = "sar", SubjectAccessDetailSerializer

    def get_record(self, request, pk, **kwargs):
        _governance_only(request)
        return selectors.request_get(pk)

    def respond(self, request, sar, result):
        return _detail(request, selectors.request_get(sar.pk))


class VerifyAPI(RequestActionAPI):
    summary, serializer_class, service = (
        "Record how the identity was verified",
        SubjectAccessVerifySerializer,
        services.identity_verify,
    )


class CompileAPI(RequestActionAPI):
    summary, serializer_class = "Compile everything held about the person", SubjectAccessCompileSerializer
    service = services.request_compile

    def service_kwargs(self, request, record, data):
        return {**super().service_kwargs(request, record, data), "request": request}


class DecideAPI(RecordActionAPI):
    summary, serializer_class, service = (
        "Decide one item: release, redact or withhold",
        SubjectAccessDecideSerializer,
        services.item_decide,
    )
    record_name, output = "item", SubjectAccessDetailSerializer

    def get_record(self, request, pk, item_id=None):
        _governance_only(request)
        return selectors.item_get(selectors.request_get(pk), item_id)

    def respond(self, request, item, result):
        return _detail(request, selectors.request_get(item.request_id))


class NotReady(APIException):
    status_code = 409
    default_detail = "Decide every flagged item before producing the response."
    default_code = "not_ready"


class BundleAPI(APIView):
    @extend_schema(
        summary="The response bundle (PDF), once every flagged item is decided",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            409: OpenApiResponse(
                ConflictSerializer, description="A flagged item still waits for a decision."
            ),
        },
    )
    def get(self, request, pk: int):
        _governance_only(request)
        sar = selectors.request_get(pk)
        if not services.may("bundle", sar):
            raise NotReady
        services.bundle_export_log(sar=sar, by=request.user, request=request)
        return pdf_response(bundle.render(sar), f"{sar.reference}.pdf")
