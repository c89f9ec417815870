"""The disclosures API's applications: the queue, intake, one application and its workflow actions.

Every action first loads the application through ``application_get_for``, so a user who may not see
it gets a logged 404 whatever they asked to do. A forum participant may read an application's summary
but change nothing: a write is refused as if the application were not there (a 404, logged as
denied), as on the pages. A team member who may see it but not do this (a researcher recording a
decision) gets the service's refusal, a 400.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures import policy, selectors, services
from disclosures.api import inputs
from disclosures.api.output import (
    ApplicationDetailSerializer,
    ApplicationRowSerializer,
    application_response,
    scheme_field,
    stage_field,
)
from disclosures.models import Application, PersonRole
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from mash.people.selectors import person_choosable_for
from mash.sharing.models import AccessAction
from mash.sharing.serializers import AudienceListMixin
from mash.sharing.services import access_log_write

DUPLICATE = (
    "An application not yet decided is already about the same subject: add what is new to it, or "
    "confirm with not_a_duplicate that this is a new application."
)


class OpenApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    scheme = scheme_field()
    stage = stage_field()
    received_at = serializers.DateTimeField()


class DuplicateSerializer(serializers.Serializer):
    detail = serializers.CharField()
    open_applications = OpenApplicationSerializer(many=True)


class ApplicationListCreateAPI(AudienceListMixin, SelectorListAPI):
    """The data administrator's queue, most urgent first (open applications unless asked otherwise).
    A forum participant's list holds only the applications their agency's forum considers."""

    serializer_class = ApplicationRowSerializer

    model, selector = Application, selectors.application_queue
    summary, filter_class = "The queue of disclosure applications", inputs.ApplicationFilterSerializer

    def select(self, user, **filters):
        # A row's columns only (selectors.APPLICATION_ROW): not the circumstances and the notes.
        return super().select(user, **filters).only(*selectors.APPLICATION_ROW)

    @extend_schema(
        summary="Record an application (the police data administrators)",
        request=inputs.ApplicationCreateSerializer,
        responses={
            201: ApplicationDetailSerializer,
            409: OpenApiResponse(
                DuplicateSerializer,
                description="An application not yet decided is already about the same subject: send "
                "not_a_duplicate to record this one all the same.",
            ),
        },
    )
    def post(self, request):
        data = inputs.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if not fields.pop("not_a_duplicate"):
            # As the intake page: the known subjects this user may name, and the open applications
            # about them this user may see.
            subjects = [
                p.person
                for p in fields["people"]
                if p.person is not None and PersonRole.SUBJECT in (p.role, *p.also_roles)
            ]
            chosen = [pk for pk in subjects if person_choosable_for(request.user, pk) is not None]
            duplicates = list(selectors.open_applications_about(request.user, chosen))
            if duplicates and policy.may_administer(actor_for(request.user)):
                return Response(
                    DuplicateSerializer({"detail": DUPLICATE, "open_applications": duplicates}).data,
                    status=409,
                )
        application = services.application_create(by=request.user, **fields)
        return application_response(request, application, status=201)


class ApplicationDetailAPI(APIView):
    @extend_schema(
        summary="One application: all of it for the disclosure team, the summary for a forum participant",
        responses=ApplicationDetailSerializer,
    )
    def get(self, request, pk: int):
        return application_response(request, selectors.application_get_for(request.user, pk, request=request))


class ApplicationActionAPI(RecordActionAPI):
    """One action on an application (mash/common/actions.py): a serializer, one service; the answer is
    the application as this user sees it."""

    record_name, output = "application", ApplicationDetailSerializer

    def get_record(self, request, pk):
        """The application to change: seen by the user (a logged read) and theirs to change."""
        application = selectors.application_get_for(request.user, pk, request=request)
        if not policy.is_disclosure_team(actor_for(request.user)):
            # A forum participant may read the summary but change nothing: as if it were not there.
            access_log_write(user=request.user, obj=application, action=AccessAction.DENIED, request=request)
            raise Http404("No such record, or you may not see it.")
        return application

    def respond(self, request, application, result):
        return application_response(request, result)


class InitialCheckAPI(ApplicationActionAPI):
    summary = "Record the initial risk checks (within 24 hours)"
    serializer_class, service = inputs.InitialCheckSerializer, services.initial_check_record


class VerificationAPI(ApplicationActionAPI):
    summary = "Record the identity verification and the face-to-face meeting"
    serializer_class, service = inputs.VerificationSerializer, services.verification_record


class ResearcherAPI(ApplicationActionAPI):
    summary = "Assign (or re-assign) the researcher: the first assignment opens the package"
    serializer_class, service = inputs.ResearcherSerializer, services.researcher_assign


class WithdrawAPI(ApplicationActionAPI):
    summary = "Withdraw and close the application before a decision"
    serializer_class, service = inputs.ApplicationWithdrawSerializer, services.application_withdraw


class ForumAPI(ApplicationActionAPI):
    summary = "Open the multi-agency forum: the agencies taking part see the summary"
    serializer_class, service = inputs.ForumSerializer, services.forum_open


class DecisionAPI(ApplicationActionAPI):
    summary = "Decide on the submitted research package (the police decision makers)"
    serializer_class, service = inputs.DecideSerializer, services.decision_record

    def respond(self, request, application, decision):
        return application_response(request, decision.application)


class DisclosureAPI(ApplicationActionAPI):
    summary = "Record the disclosure as made (it writes the dissemination log)"
    serializer_class, service = inputs.DiscloseSerializer, services.disclosure_record

    def respond(self, request, application, record):
        return application_response(request, record.application)
