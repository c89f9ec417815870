"""The information requests API: the agency inbox, one request with its answer, the researchers' and
the triage practitioners' actions on it, asking partner agencies about a referral, and the collation.

Thin views: an input serializer checks the shape of the request, one service call does the work (a
refusal is a django ValidationError, which the project's handler answers as a 400 naming the field),
an output serializer answers. Every action first loads the request through ``request_get_for``, so a
user who may not see it gets a logged 404 whatever they asked to do; a user who may see it but not
do this gets the service's refusal.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.selectors import actor_for
from mash.common.api import STALE
from referrals import policy as referral_policy
from referrals import selectors as referral_selectors
from referrals.models import InformationRequest
from referrals.requests import selectors, services
from referrals.requests.api.inputs import (
    AddendumSerializer,
    EntryCreateSerializer,
    InboxQuerySerializer,
    SendSerializer,
    SubmitSerializer,
    WithdrawSerializer,
)
from referrals.requests.api.output import (
    CollationSerializer,
    InformationRequestRowSerializer,
    InformationRequestSerializer,
    ResponseEntrySerializer,
)


def _detail(request, information_request: InformationRequest, *, status: int = 200) -> Response:
    referral = information_request.referral
    context = {
        "request": request,
        "subjects": [link.person for link in referral.subjects.select_related("person").order_by("pk")],
        "entries": list(selectors.request_entries(request.user, information_request)),
    }
    return Response(InformationRequestSerializer(information_request, context=context).data, status=status)


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
        return selectors.agency_inbox_for(
            self.request.user, include_answered=query.validated_data["answered"]
        )


class RequestDetailAPI(APIView):
    @extend_schema(
        summary="One request, with the referral's summary and the answer",
        responses=InformationRequestSerializer,
    )
    def get(self, request, pk: int):
        return _detail(request, selectors.request_get_for(request.user, pk, request=request))


class RequestClaimAPI(APIView):
    @extend_schema(
        summary="Assign the request to yourself", request=None, responses=InformationRequestSerializer
    )
    def post(self, request, pk: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        information_request = services.information_request_claim(request=information_request, by=request.user)
        return _detail(request, information_request)


class EntryCreateAPI(APIView):
    @extend_schema(
        summary="Add an entry to the draft answer",
        request=EntryCreateSerializer,
        responses={201: ResponseEntrySerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        data = EntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.response_entry_add(
            request=information_request,
            by=request.user,
            data=data.entry(),
            expected_version=data.validated_data["expected_version"],
        )
        return Response(ResponseEntrySerializer(entry).data, status=201)


class EntryDeleteAPI(APIView):
    @extend_schema(summary="Remove an entry from the draft answer", responses={204: None})
    def delete(self, request, pk: int, entry_id: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        entry = generics.get_object_or_404(
            selectors.request_entries(request.user, information_request), pk=entry_id
        )
        services.response_entry_remove(entry=entry, by=request.user)
        return Response(status=204)


class RequestSubmitAPI(APIView):
    @extend_schema(
        summary="Submit the answer (an entry, or 'nothing known', for every subject)",
        request=SubmitSerializer,
        responses={200: InformationRequestSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        information_request = services.information_request_submit(
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
        information_request = selectors.request_get_for(request.user, pk, request=request)
        data = AddendumSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.response_addendum_add(
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
        information_request = selectors.request_get_for(request.user, pk, request=request)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        information_request = services.information_request_withdraw(
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
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = services.information_requests_send(referral=referral, by=request.user, **data.validated_data)
        return Response(InformationRequestRowSerializer(sent, many=True).data, status=201)


class ReferralCollationAPI(APIView):
    @extend_schema(
        summary="Every agency's answer side by side, per subject (the lead agency's case workers)",
        responses=CollationSerializer,
    )
    def get(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        if not referral_policy.is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied("Only the lead agency's case workers see the collation.")
        collation = selectors.collation_for(request.user, referral)
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
