"""The API of the requests to share outside the MASH: the items a user may choose from a record, list and
create requests, decide an item, fetch the document that leaves. The same selectors, services and rules
as the pages (mash/sharing/dissemination.py); a request one may not see is a 404, as on the pages."""

from django.apps import apps
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.api import MAX_ID, QuerySerializer
from mash.common.pdf import pdf_response
from mash.sharing import dissemination
from mash.sharing import dissemination_selectors as selectors
from mash.sharing import dissemination_services as services
from mash.sharing.models import (
    SHARING_BASIS_CHOICES,
    AccessAction,
    DisseminationMethod,
    ItemDecision,
    RequestState,
)
from mash.sharing.services import NOT_FOUND, record_get
from mash.sharing.views_dissemination import dissemination_pdf


class ItemChoiceSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    owner_agency = serializers.CharField(source="owner_agency.name")
    text = serializers.CharField()
    grading = serializers.CharField()
    handling_code = serializers.CharField()
    handling_conditions = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.CharField()
    owner_agency = serializers.CharField(source="owner_agency.name")
    text = serializers.SerializerMethodField(
        help_text="The item as asked; empty unless you asked, approve for its agency or are IG."
    )
    grading = serializers.CharField()
    handling_code = serializers.CharField()
    handling_conditions = serializers.CharField()
    decision = serializers.ChoiceField(choices=ItemDecision.choices)
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    conditions_met = serializers.BooleanField()
    reason = serializers.CharField()

    def get_text(self, item) -> str:
        dreq = self.context["dreq"]
        return item.text if dissemination.shows_item_text(self.context["request"].user, dreq, item) else ""

    def get_decided_by(self, item) -> str | None:
        return item.decided_by.get_username() if item.decided_by_id else None


class RequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    record = serializers.CharField(source="object_repr")
    requested_by = serializers.CharField(source="requested_by.get_username")
    requested_at = serializers.DateTimeField()
    recipient_organisation = serializers.CharField()
    recipient_role = serializers.CharField()
    recipient_name = serializers.CharField()
    recipient_contact = serializers.CharField()
    method = serializers.ChoiceField(choices=DisseminationMethod.choices)
    need = serializers.CharField()
    lawful_basis = serializers.ChoiceField(choices=SHARING_BASIS_CHOICES)
    state = serializers.ChoiceField(choices=RequestState.choices)
    completed_at = serializers.DateTimeField(allow_null=True)


class RequestDetailSerializer(RequestSerializer):
    items = ItemSerializer(many=True)


def _detail(request, dreq, status: int = 200) -> Response:
    data = RequestDetailSerializer(dreq, context={"request": request, "dreq": dreq}).data
    return Response(data, status=status)


class RecordQuerySerializer(QuerySerializer):
    record_type = serializers.CharField(
        max_length=100,
        help_text="The record's model: 'referrals.referral', 'strategy.strategydiscussion', ...",
    )
    record_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


def _record(request, data):
    """The record named by ``record_type`` and ``record_id``, its read logged; a 404 as the pages."""
    try:
        model = apps.get_model(data["record_type"])
    except (LookupError, ValueError):
        raise Http404(NOT_FOUND) from None
    if dissemination.source_for(model) is None:
        raise Http404(NOT_FOUND)
    return record_get(
        user=request.user, queryset=model._default_manager.all(), pk=data["record_id"], request=request
    )


class ItemChoicesAPI(APIView):
    @extend_schema(
        summary="The items of a record you may ask to share outside the MASH",
        parameters=[RecordQuerySerializer],
        responses=ItemChoiceSerializer(many=True),
    )
    def get(self, request):
        query = RecordQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        record = _record(request, query.validated_data)
        return Response(ItemChoiceSerializer(dissemination.items_for(request.user, record), many=True).data)


class RequestCreateSerializer(serializers.Serializer):
    record_type = serializers.CharField(max_length=100)
    record_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    items = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=200, help_text="Keys from the items endpoint."
    )
    recipient_organisation = serializers.CharField(max_length=200)
    recipient_role = serializers.CharField(max_length=200, allow_blank=True, default="")
    recipient_name = serializers.CharField(max_length=200)
    recipient_contact = serializers.CharField(max_length=200, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=DisseminationMethod.choices)
    need = serializers.CharField(max_length=5000)
    lawful_basis = serializers.ChoiceField(choices=SHARING_BASIS_CHOICES)


class StateQuerySerializer(QuerySerializer):
    state = serializers.ChoiceField(
        choices=RequestState.choices, required=False, allow_blank=True, default=""
    )
    waiting = serializers.BooleanField(default=False, help_text="Only those with items waiting for you.")


class RequestListCreateAPI(generics.ListAPIView):
    serializer_class = RequestSerializer

    @extend_schema(
        summary="Requests to share outside the MASH you may see", parameters=[StateQuerySerializer]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = StateQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.requests_for(self.request.user, **query.validated_data)

    @extend_schema(
        summary="Ask to share items of a record outside the MASH",
        request=RequestCreateSerializer,
        responses={201: RequestDetailSerializer},
    )
    def post(self, request):
        data = RequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        record = _record(
            request, {"record_type": values.pop("record_type"), "record_id": values.pop("record_id")}
        )
        created = services.dissemination_request_create(
            by=request.user, record=record, item_keys=values.pop("items"), **values
        )
        return _detail(
            request, selectors.request_get_for(request.user, created.pk, http_request=request), 201
        )


class RequestDetailAPI(APIView):
    @extend_schema(
        summary="A request to share outside the MASH, with its items", responses=RequestDetailSerializer
    )
    def get(self, request, pk: int):
        return _detail(request, selectors.request_get_for(request.user, pk, http_request=request))


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[ItemDecision.RELEASE, ItemDecision.WITHHOLD])
    conditions_met = serializers.BooleanField(
        default=False, help_text="Handling code C: the conditions of sharing are met."
    )
    reason = serializers.CharField(max_length=5000, allow_blank=True, default="")


class ItemDecisionAPI(APIView):
    @extend_schema(
        summary="Release or withhold one item (its owner agency's decision maker or MASH manager)",
        request=DecisionSerializer,
        responses=RequestDetailSerializer,
    )
    def post(self, request, pk: int, item_pk: int):
        dreq = selectors.request_get_for(request.user, pk, http_request=request)
        item = next((i for i in dreq.items.all() if i.pk == item_pk), None)
        if item is None:
            raise Http404(NOT_FOUND)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.dissemination_item_decide(item=item, by=request.user, **data.validated_data)
        return _detail(request, selectors.request_get_for(request.user, pk, http_request=request))


class RequestPdfAPI(APIView):
    @extend_schema(
        summary="The document that leaves (PDF): to the requester and information governance, once approved",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            404: OpenApiResponse(description="No such request, not approved, or not yours to download."),
        },
    )
    def get(self, request, pk: int):
        dreq = selectors.request_get_for(
            request.user,
            pk,
            http_request=request,
            action=AccessAction.EXPORT,
            allowed=dissemination.may_download,
        )
        return pdf_response(dissemination_pdf(dreq), f"{dreq.reference}.pdf")
