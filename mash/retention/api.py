"""The retention API (information governance only, as the pages): the review queue of one kind, and a
decision on one record (keep until a review date, or erase)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.common.api import MAX_ID, EnumField, Pagination, QuerySerializer
from mash.retention import registry, selectors, services
from mash.retention.models import Decision

REFUSAL = "Only information governance may review retention."


def _kind_choices():
    return [(k.key, k.label) for k in registry.kinds()]


class QueueQuery(QuerySerializer):
    kind = serializers.ChoiceField(choices=(), help_text="The kind of record.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()


class QueueRowSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    id = serializers.IntegerField(source="pk")
    description = serializers.CharField(help_text="The record's reference and state (no personal data).")
    counted_from = serializers.DateField(source="counted_on", allow_null=True)
    due_on = serializers.DateField(allow_null=True, help_text="When the retention period ran out.")


class DecisionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=())
    record_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    decision = EnumField(Decision, name="RetentionDecision")
    reason = serializers.CharField(max_length=2000)
    next_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Keep: the next review date (future)."
    )
    confirm = serializers.BooleanField(default=False, help_text="Erase: confirm the erasure.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()

    def validate(self, data):
        if data["decision"] == Decision.KEEP:
            review = data.get("next_review_on")
            if review is None:
                raise serializers.ValidationError({"next_review_on": "Enter the next review date."})
            if review <= timezone.localdate():
                raise serializers.ValidationError(
                    {"next_review_on": "The next review date must be in the future."}
                )
        elif not data["confirm"]:
            raise serializers.ValidationError({"confirm": "Confirm that the erasure cannot be undone."})
        return data


class DecisionOutput(serializers.Serializer):
    kind = serializers.CharField()
    record_id = serializers.IntegerField()
    decision = EnumField(Decision, name="RetentionDecision")
    next_review_on = serializers.DateField(allow_null=True)


def _require_governance(request) -> None:
    if not is_information_governance(actor_for(request.user)):
        raise PermissionDenied(REFUSAL)


class RetentionQueueAPI(generics.ListAPIView):
    serializer_class = QueueRowSerializer
    pagination_class = Pagination

    @extend_schema(
        summary="Records of one kind past their retention period, oldest first", parameters=[QueueQuery]
    )
    def get(self, request, *args, **kwargs):
        _require_governance(request)
        query = QueueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = registry.kind(query.validated_data["kind"])
        rule = selectors.rules_by_kind().get(kind.key)
        records = self.paginate_queryset(selectors.due_for_review(kind, rule, timezone.localdate()))
        rows = selectors.rows(kind, rule, records, request.user)
        return self.get_paginated_response(QueueRowSerializer(rows, many=True).data)


class RetentionDecisionAPI(APIView):
    @extend_schema(
        summary="Keep a record past its period until a review date, or erase it",
        request=DecisionInput,
        responses={201: DecisionOutput, 400: OpenApiResponse(description="Bad input, a legal hold, ...")},
    )
    def post(self, request):
        _require_governance(request)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kind = registry.kind(values["kind"])
        record = get_object_or_404(kind.records(), pk=values["record_id"])
        if values["decision"] == Decision.KEEP:
            services.decision_keep(
                record=record,
                kind=kind,
                by=request.user,
                reason=values["reason"],
                next_review_on=values["next_review_on"],
            )
        else:
            services.erase_record(record=record, kind=kind, by=request.user, reason=values["reason"])
        out = {
            "kind": kind.key,
            "record_id": record.pk,
            "decision": values["decision"],
            "next_review_on": values["next_review_on"] if values["decision"] == Decision.KEEP else None,
        }
        return Response(DecisionOutput(out).data, status=201)
