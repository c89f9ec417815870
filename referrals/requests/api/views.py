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
from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from referrals import policy as referral_policy
from referrals import selectors as referral_selectors
from referrals.models import InformationRequest
from referrals.requests import selectors, services
from referrals.requests.api import inputs
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


class InboxAPI(SelectorListAPI):
    """The agency's requests, most urgent first (open only, unless ``answered=true``)."""

    serializer_class = InformationRequestRowSerializer

    model, selector = InformationRequest, selectors.agency_inbox_for
    summary, filter_class = "The agency inbox", inputs.InboxQuerySerializer

    def select(self, user, *, answered):
        return selectors.agency_inbox_for(user, include_answered=answered)


class RequestDetailAPI(APIView):
    @extend_schema(
        summary="One request, with the referral's summary and the answer",
        responses=InformationRequestSerializer,
    )
    def get(self, request, pk: int):
        return _detail(request, selectors.request_get_for(request.user, pk, request=request))


class RequestActionAPI(RecordActionAPI):
    """One action on a request through the API (mash/common/actions.py): a serializer, one service. The
    request is read through ``request_get_for`` first, so one the user may not see is a logged 404."""

    record_name, output = "request", InformationRequestSerializer

    def get_record(self, request, pk):
        return selectors.request_get_for(request.user, pk, request=request)

    def respond(self, request, information_request, result):
        return _detail(request, result)


class EntryActionAPI(RequestActionAPI):
    """An action that writes an entry of the answer, and answers with it (201)."""

    output, status_code = ResponseEntrySerializer, 201

    def respond(self, request, information_request, entry):
        return Response(ResponseEntrySerializer(entry).data, status=201)


class RequestClaimAPI(RequestActionAPI):
    summary, serializer_class, takes_body = "Assign the request to yourself", inputs.ClaimSerializer, False
    service, conflict = services.information_request_claim, None  # claiming checks no version


class EntryCreateAPI(EntryActionAPI):
    summary, serializer_class = "Add an entry to the draft answer", inputs.EntryCreateSerializer
    service = services.response_entry_add

    def service_kwargs(self, request, information_request, data):
        return {
            "request": information_request,
            "by": request.user,
            "data": inputs.entry_input(data),
            "expected_version": data["expected_version"],
        }


class EntryDeleteAPI(APIView):
    @extend_schema(summary="Remove an entry from the draft answer", responses={204: None})
    def delete(self, request, pk: int, entry_id: int):
        information_request = selectors.request_get_for(request.user, pk, request=request)
        entry = generics.get_object_or_404(
            selectors.request_entries(request.user, information_request), pk=entry_id
        )
        services.response_entry_remove(entry=entry, by=request.user)
        return Response(status=204)


class RequestSubmitAPI(RequestActionAPI):
    summary = "Submit the answer (an entry, or 'nothing known', for every subject)"
    serializer_class, service = inputs.SubmitSerializer, services.information_request_submit


class AddendumAPI(EntryActionAPI):
    summary, serializer_class = "Add to, or correct, a submitted answer", inputs.AddendumSerializer
    service, conflict = services.response_addendum_add, None

    def service_kwargs(self, request, information_request, data):
        return {
            "request": information_request,
            "by": request.user,
            "data": inputs.entry_input(data),
            "reason": data["reason"],
        }


class RequestWithdrawAPI(RequestActionAPI):
    summary = "Withdraw the request (the agency no longer sees it)"
    serializer_class, service = inputs.WithdrawSerializer, services.information_request_withdraw
    conflict = None


class ReferralRequestsSendAPI(RecordActionAPI):
    # Asking partner agencies is an action on the referral (no docstring: it would be the schema's
    # description of the endpoint, which has none).

    summary = "Ask partner agencies about the referral (one request per agency)"
    serializer_class, service = inputs.SendSerializer, services.information_requests_send
    record_name, output, status_code = "referral", InformationRequestRowSerializer(many=True), 201

    def get_record(self, request, pk):
        return referral_selectors.referral_get_for(request.user, pk, request=request)

    def respond(self, request, referral, sent):
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
