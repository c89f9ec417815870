"""The information requests API: the agency inbox, one request with its answer, the researchers' and
the triage practitioners' actions on it, asking partner agencies about a referral, and the collation.

Thin views: an input serializer checks the shape of the request, one service call does the work (a
refusal is a django ValidationError, which the project's handler answers as a 400 naming the field),
an output serializer answers. Every action first loads the request through ``request_get_for``, so a
user who may not see it gets a logged 404 whatever they asked to do; a user who may see it but not
do this gets the service's refusal.

An asked agency sees the referral's summary only (reference, kind, RAG rating, concerns, subjects):
never the account of the concern, nor who made the referral.
"""

import dataclasses

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.api import AgencySerializer
from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for
from mash.common.api import STALE, QuerySerializer, version_input
from referrals import policy as referral_policy
from referrals import request_selectors, request_services, selectors
from referrals.api import (
    MAX_ID,
    EnumField,
    PersonRefSerializer,
    ReferralRefSerializer,
    UserRefSerializer,
)
from referrals.models import (
    Concern,
    HandlingCode,
    InformationRequest,
    IntelligenceAssessment,
    Rag,
    ReferralKind,
    RequestStatus,
    SecurityMarking,
    SourceEvaluation,
)

MAX_AGENCIES = 50


# --- Output ----------------------------------------------------------------------------------------


class RequestSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)


class InformationRequestRowSerializer(serializers.Serializer):
    """A row of the inbox: only what the inbox's selector loads."""

    id = serializers.IntegerField()
    referral = ReferralRefSerializer()
    rag = EnumField(Rag, allow_blank=True, source="referral.rag")
    status = EnumField(RequestStatus)
    agency = AgencySerializer()
    assigned_to = UserRefSerializer(allow_null=True)
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")


class RequestReferralSerializer(serializers.Serializer):
    """What an asked agency may know of the referral (the subjects come from the context)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = EnumField(ReferralKind)
    rag = EnumField(Rag, allow_blank=True)
    concerns = serializers.ListField(child=EnumField(Concern))
    subjects = serializers.SerializerMethodField()

    @extend_schema_field(RequestSubjectSerializer(many=True))
    def get_subjects(self, referral):
        return RequestSubjectSerializer(self.context["subjects"], many=True).data


class CollationEntrySerializer(serializers.Serializer):
    """An entry where its subject is already known (the collation's row): no person to load."""

    id = serializers.IntegerField()
    nothing_known = serializers.BooleanField()
    source_system = serializers.CharField()
    information_date = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    detail = serializers.CharField()
    source_evaluation = EnumField(SourceEvaluation, allow_blank=True)
    intelligence_assessment = EnumField(IntelligenceAssessment, allow_blank=True)
    handling_code = EnumField(HandlingCode, allow_blank=True)
    handling_conditions = serializers.CharField()
    security_marking = EnumField(SecurityMarking)
    is_addendum = serializers.BooleanField()
    addendum_reason = serializers.CharField()
    author = UserRefSerializer()
    created_at = serializers.DateTimeField()


class ResponseEntrySerializer(CollationEntrySerializer):
    person = PersonRefSerializer()


class InformationRequestSerializer(serializers.Serializer):
    """One request, with the referral's summary and the answer's entries (from the context)."""

    id = serializers.IntegerField()
    referral = RequestReferralSerializer()
    agency = AgencySerializer()
    questions = serializers.CharField()
    status = EnumField(RequestStatus)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")
    assigned_to = UserRefSerializer(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = UserRefSerializer(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()
    entries = serializers.SerializerMethodField()

    @extend_schema_field(ResponseEntrySerializer(many=True))
    def get_entries(self, information_request):
        return ResponseEntrySerializer(self.context["entries"], many=True).data


def _detail(request, information_request: InformationRequest, *, status: int = 200) -> Response:
    referral = information_request.referral
    context = {
        "request": request,
        "subjects": [link.person for link in referral.subjects.select_related("person").order_by("pk")],
        "entries": list(request_selectors.request_entries(request.user, information_request)),
    }
    return Response(InformationRequestSerializer(information_request, context=context).data, status=status)


class CollationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = AgencySerializer()
    status = EnumField(RequestStatus)
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")
    answered_at = serializers.DateTimeField(allow_null=True)


class CollationCellSerializer(serializers.Serializer):
    request_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    entries = CollationEntrySerializer(many=True)


class CollationRowSerializer(serializers.Serializer):
    person = RequestSubjectSerializer()
    cells = CollationCellSerializer(many=True, help_text="One per request, in the order of `requests`.")


class CollationSerializer(serializers.Serializer):
    referral = ReferralRefSerializer()
    requests = CollationRequestSerializer(many=True, help_text="The requests not withdrawn.")
    rows = CollationRowSerializer(many=True, help_text="One per subject of the referral.")
    all_answered = serializers.BooleanField()


# --- Input -----------------------------------------------------------------------------------------


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


class InboxQuerySerializer(QuerySerializer):
    answered = serializers.BooleanField(default=False, help_text="Include the answered requests.")


class RequestItemSerializer(serializers.Serializer):
    agency_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    questions = serializers.CharField(help_text="What the agency should answer.")


class SendSerializer(serializers.Serializer):
    version = version_input("The version of the referral as read; a change made since is refused.")
    requests = RequestItemSerializer(many=True, allow_empty=False, max_length=MAX_AGENCIES)

    def validate_requests(self, items):
        agencies = Agency.objects.in_bulk({item["agency_id"] for item in items})
        # Keyed by position, as DRF reports the errors of the items themselves.
        errors = {
            str(index): {"agency_id": ["No such agency."]}
            for index, item in enumerate(items)
            if item["agency_id"] not in agencies
        }
        if errors:
            raise serializers.ValidationError(errors)
        return [
            request_services.RequestInput(agency=agencies[item["agency_id"]], questions=item["questions"])
            for item in items
        ]


class EntryFieldsSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of the subjects.")
    nothing_known = serializers.BooleanField(default=False)
    source_system = _text(200, help_text="Required unless nothing is known.")
    information_date = serializers.DateField(allow_null=True, default=None)
    summary = _text(300, help_text="Required unless nothing is known.")
    detail = _text()
    source_evaluation = EnumField(
        SourceEvaluation, allow_blank=True, default="", help_text="Police: required unless nothing is known."
    )
    intelligence_assessment = EnumField(
        IntelligenceAssessment,
        allow_blank=True,
        default="",
        help_text="Police: required unless nothing is known.",
    )
    handling_code = EnumField(
        HandlingCode, allow_blank=True, default="", help_text="Police: required unless nothing is known."
    )
    handling_conditions = _text(help_text="Required with handling code C.")
    security_marking = EnumField(SecurityMarking, default=SecurityMarking.OFFICIAL_SENSITIVE)

    def entry(self) -> request_services.EntryInput:
        fields = {field.name for field in dataclasses.fields(request_services.EntryInput)}
        return request_services.EntryInput(
            **{name: value for name, value in self.validated_data.items() if name in fields}
        )


class EntryCreateSerializer(EntryFieldsSerializer):
    version = version_input("The version of the request as read; a change made since is refused.")


class AddendumSerializer(EntryFieldsSerializer):
    reason = serializers.CharField(help_text="Why the submitted answer is added to or corrected.")


class SubmitSerializer(serializers.Serializer):
    version = version_input("The version of the request as read; a change made since is refused.")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the request is withdrawn (the agency is told).")


# --- Views -----------------------------------------------------------------------------------------


class InboxAPI(generics.ListAPIView):
    """The agency's requests, most urgent first (open only, unless ``answered=true``)."""

    serializer_class = InformationRequestRowSerializer

    @extend_schema(summary="The agency inbox", parameters=[InboxQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return InformationRequest.objects.none()
        query = InboxQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return request_selectors.agency_inbox_for(
            self.request.user, include_answered=query.validated_data["answered"]
        )


class RequestDetailAPI(APIView):
    @extend_schema(
        summary="One request, with the referral's summary and the answer",
        responses=InformationRequestSerializer,
    )
    def get(self, request, pk: int):
        return _detail(request, request_selectors.request_get_for(request.user, pk, request=request))


class RequestClaimAPI(APIView):
    @extend_schema(
        summary="Assign the request to yourself", request=None, responses=InformationRequestSerializer
    )
    def post(self, request, pk: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        information_request = request_services.information_request_claim(
            request=information_request, by=request.user
        )
        return _detail(request, information_request)


class EntryCreateAPI(APIView):
    @extend_schema(
        summary="Add an entry to the draft answer",
        request=EntryCreateSerializer,
        responses={201: ResponseEntrySerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        data = EntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = request_services.response_entry_add(
            request=information_request,
            by=request.user,
            data=data.entry(),
            expected_version=data.validated_data["expected_version"],
        )
        return Response(ResponseEntrySerializer(entry).data, status=201)


class EntryDeleteAPI(APIView):
    @extend_schema(summary="Remove an entry from the draft answer", responses={204: None})
    def delete(self, request, pk: int, entry_id: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        entry = generics.get_object_or_404(
            request_selectors.request_entries(request.user, information_request), pk=entry_id
        )
        request_services.response_entry_remove(entry=entry, by=request.user)
        return Response(status=204)


class RequestSubmitAPI(APIView):
    @extend_schema(
        summary="Submit the answer (an entry, or 'nothing known', for every subject)",
        request=SubmitSerializer,
        responses={200: InformationRequestSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        information_request = request_services.information_request_submit(
            request=information_request, by=request.user, **data.validated_data
        )
        return _detail(request, information_request)


class AddendumAPI(APIView):
    @extend_schema(
        summary="Add to, or correct, a submitted answer",
        request=AddendumSerializer,
        responses={201: ResponseEntrySerializer},
    )
    def post(self, request, pk: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        data = AddendumSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = request_services.response_addendum_add(
            request=information_request,
            by=request.user,
            data=data.entry(),
            reason=data.validated_data["reason"],
        )
        return Response(ResponseEntrySerializer(entry).data, status=201)


class RequestWithdrawAPI(APIView):
    @extend_schema(
        summary="Withdraw the request (the agency no longer sees it)",
        request=WithdrawSerializer,
        responses=InformationRequestSerializer,
    )
    def post(self, request, pk: int):
        information_request = request_selectors.request_get_for(request.user, pk, request=request)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        information_request = request_services.information_request_withdraw(
            request=information_request, by=request.user, reason=data.validated_data["reason"]
        )
        return _detail(request, information_request)


class ReferralRequestsSendAPI(APIView):
    @extend_schema(
        summary="Ask partner agencies about the referral (one request per agency)",
        request=SendSerializer,
        responses={201: InformationRequestRowSerializer(many=True), 409: STALE},
    )
    def post(self, request, pk: int):
        referral = selectors.referral_get_for(request.user, pk, request=request)
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = request_services.information_requests_send(
            referral=referral, by=request.user, **data.validated_data
        )
        return Response(InformationRequestRowSerializer(sent, many=True).data, status=201)


class ReferralCollationAPI(APIView):
    @extend_schema(
        summary="Every agency's answer side by side, per subject (the lead agency's case workers)",
        responses=CollationSerializer,
    )
    def get(self, request, pk: int):
        referral = selectors.referral_get_for(request.user, pk, request=request)
        if not referral_policy.is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied("Only the lead agency's case workers see the collation.")
        collation = request_selectors.collation_for(request.user, referral)
        requests = collation["requests"]
        rows = [
            {
                "person": row.person,
                "cells": [
                    {"request_id": r.pk, "agency_id": r.agency_id, "entries": entries}
                    for r, entries in zip(requests, row.cells, strict=True)
                ],
            }
            for row in collation["rows"]
        ]
        return Response(
            CollationSerializer(
                {
                    "referral": referral,
                    "requests": requests,
                    "rows": rows,
                    "all_answered": collation["all_answered"],
                }
            ).data
        )
