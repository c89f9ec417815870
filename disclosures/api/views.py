"""The disclosures API views (see the package's docstring for the conventions).

Every action first loads its record through ``application_get_for`` or ``package_get_for``, so a user
who may not see it gets a logged 404 whatever they asked to do. A forum participant may read an
application's summary but change nothing: a write is refused as if the application were not there
(a 404, logged as denied), as on the pages. A team member who may see it but not do this (a researcher
recording a decision) gets the service's refusal, a 400.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures import policy, selectors, services
from disclosures.api import inputs, output
from disclosures.models import (
    Application,
    PackageEntry,
    PackageSection,
    PackageStatus,
    ResearchPackage,
)
from mash.agencies.selectors import actor_for
from mash.common.api import STALE
from mash.sharing.models import AccessAction
from mash.sharing.serializers import AudienceListMixin
from mash.sharing.services import access_log_write


def _is_team(user) -> bool:
    return policy.is_disclosure_team(actor_for(user))


def _team_only(request, record) -> None:
    """A forum participant may read the summary but change nothing: refuse as if it were not there."""
    if not _is_team(request.user):
        access_log_write(user=request.user, obj=record, action=AccessAction.DENIED, request=request)
        raise Http404("No such record, or you may not see it.")


def _application(request, pk: int) -> Application:
    """The application to change: seen by the user (a logged read) and theirs to change."""
    application = selectors.application_get_for(request.user, pk, request=request)
    _team_only(request, application)
    return application


def _detail(request, application: Application, *, status: int = 200) -> Response:
    # A forum participant is the application's partner audience: the serializer shows the summary.
    context = {"request": request, **selectors.application_detail_parts(request.user, application)}
    return Response(output.ApplicationDetailSerializer(application, context=context).data, status=status)


def _package_detail(request, package: ResearchPackage, *, status: int = 200) -> Response:
    context = {
        "sections": selectors.package_sections(package),
        "problems": services.completeness_problems(package) if package.status == PackageStatus.DRAFT else {},
    }
    return Response(output.ResearchPackageSerializer(package, context=context).data, status=status)


# --- Applications ----------------------------------------------------------------------------------


class ApplicationListCreateAPI(AudienceListMixin, generics.ListAPIView):
    """The data administrator's queue, most urgent first (open applications unless asked otherwise).
    A forum participant's list holds only the applications their agency's forum considers."""

    serializer_class = output.ApplicationRowSerializer

    @extend_schema(
        summary="The queue of disclosure applications", parameters=[inputs.ApplicationFilterSerializer]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Application.objects.none()
        query = inputs.ApplicationFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.application_queue(self.request.user, **query.validated_data)

    @extend_schema(
        summary="Record an application (the police data administrators)",
        request=inputs.ApplicationCreateSerializer,
        responses={201: output.ApplicationDetailSerializer},
    )
    def post(self, request):
        data = inputs.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create(by=request.user, **data.validated_data)
        return _detail(request, application, status=201)


class ApplicationDetailAPI(APIView):
    @extend_schema(
        summary="One application: all of it for the disclosure team, the summary for a forum participant",
        responses=output.ApplicationDetailSerializer,
    )
    def get(self, request, pk: int):
        return _detail(request, selectors.application_get_for(request.user, pk, request=request))


def _action(summary: str, request_serializer):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        responses={200: output.ApplicationDetailSerializer, 409: STALE},
    )


class InitialCheckAPI(APIView):
    @_action("Record the initial risk checks (within 24 hours)", inputs.InitialCheckSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.InitialCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.initial_check_record(
            application=application, by=request.user, **data.validated_data
        )
        return _detail(request, application)


class VerificationAPI(APIView):
    @_action("Record the identity verification and the face-to-face meeting", inputs.VerificationSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.VerificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.verification_record(
            application=application, by=request.user, **data.validated_data
        )
        return _detail(request, application)


class ResearcherAPI(APIView):
    @_action(
        "Assign (or re-assign) the researcher: the first assignment opens the package",
        inputs.ResearcherSerializer,
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.ResearcherSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.researcher_assign(
            application=application, by=request.user, **data.validated_data
        )
        return _detail(request, application)


class WithdrawAPI(APIView):
    @_action("Withdraw and close the application before a decision", inputs.ApplicationWithdrawSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.ApplicationWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_withdraw(
            application=application, by=request.user, **data.validated_data
        )
        return _detail(request, application)


class ForumAPI(APIView):
    @_action("Open the multi-agency forum: the agencies taking part see the summary", inputs.ForumSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.ForumSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.forum_open(application=application, by=request.user, **data.validated_data)
        return _detail(request, application)


class DecisionAPI(APIView):
    @_action("Decide on the submitted research package (the police decision makers)", inputs.DecideSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decision_record(application=application, by=request.user, **data.validated_data)
        return _detail(request, decision.application)


class DisclosureAPI(APIView):
    @_action("Record the disclosure as made (it writes the dissemination log)", inputs.DiscloseSerializer)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = inputs.DiscloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.disclosure_record(application=application, by=request.user, **data.validated_data)
        return _detail(request, record.application)


# --- Research packages -----------------------------------------------------------------------------


class PackageDetailAPI(APIView):
    @extend_schema(
        summary="One version of a research package (the police disclosure team only)",
        responses=output.ResearchPackageSerializer,
    )
    def get(self, request, pk: int):
        return _package_detail(request, selectors.package_get_for(request.user, pk, request=request))


class PackageSummaryAPI(APIView):
    @extend_schema(
        summary="Save the researcher's summary of a draft",
        request=inputs.PackageSummarySerializer,
        responses={
            200: output.ResearchPackageSerializer,
            409: OpenApiResponse(
                output.SummaryConflictSerializer,
                description="Someone else saved the summary since this version: `current` is theirs.",
            ),
        },
    )
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        data = inputs.PackageSummarySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        package = services.package_summary_update(package=package, by=request.user, **data.validated_data)
        return _package_detail(request, package)


class PackageSubmitAPI(APIView):
    @extend_schema(
        summary="Submit the draft: its completeness is checked and this version locked",
        request=inputs.PackageSubmitSerializer,
        responses={200: output.ResearchPackageSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        data = inputs.PackageSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        package = services.package_submit(package=package, by=request.user, **data.validated_data)
        return _package_detail(request, package)


class PackageReturnAPI(APIView):
    @extend_schema(
        summary="Return a submitted version with comments: the next version opens as a copy",
        request=inputs.PackageReturnSerializer,
        responses={201: OpenApiResponse(output.ResearchPackageSerializer, description="The next version.")},
    )
    def post(self, request, pk: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        data = inputs.PackageReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        following = services.package_return(package=package, by=request.user, **data.validated_data)
        return _package_detail(request, following, status=201)


class SectionAPI(APIView):
    @extend_schema(
        summary="Record what was checked in a section, and whether nothing was found",
        request=inputs.SectionCheckSerializer,
        responses={
            200: output.PackageSectionSerializer,
            409: OpenApiResponse(
                output.SectionConflictSerializer,
                description="Someone else changed the section since this version: `current` is theirs.",
            ),
        },
    )
    def post(self, request, pk: int, section_id: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        section = get_object_or_404(PackageSection, pk=section_id, package=package)
        data = inputs.SectionCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        section = services.section_update(section=section, by=request.user, **data.validated_data)
        return Response(output.PackageSectionSerializer(section).data)


class EntryCreateAPI(APIView):
    @extend_schema(
        summary="Add a graded entry to a section of the draft",
        request=inputs.PackageEntryCreateSerializer,
        responses={201: output.PackageEntrySerializer},
    )
    def post(self, request, pk: int, section_id: int):
        package = selectors.package_get_for(request.user, pk, request=request)
        section = get_object_or_404(PackageSection, pk=section_id, package=package)
        data = inputs.PackageEntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_add(section=section, by=request.user, data=data.grading())
        return Response(output.PackageEntrySerializer(entry).data, status=201)


ENTRY_CONFLICT = OpenApiResponse(
    output.EntryConflictSerializer,
    description="Someone else changed the entry since this version: `current` is the entry as saved now.",
)


class EntryAPI(APIView):
    def entry(self, request, pk: int, entry_id: int) -> PackageEntry:
        package = selectors.package_get_for(request.user, pk, request=request)
        return get_object_or_404(
            PackageEntry.objects.select_related("section__package"), pk=entry_id, section__package=package
        )

    @extend_schema(
        summary="Change an entry of the draft",
        request=inputs.PackageEntryUpdateSerializer,
        responses={200: output.PackageEntrySerializer, 409: ENTRY_CONFLICT},
    )
    def post(self, request, pk: int, entry_id: int):
        entry = self.entry(request, pk, entry_id)
        data = inputs.PackageEntryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_update(
            entry=entry,
            by=request.user,
            data=data.grading(),
            expected_version=data.validated_data["expected_version"],
        )
        return Response(output.PackageEntrySerializer(entry).data)

    @extend_schema(
        summary="Remove an entry from the draft",
        parameters=[inputs.PackageEntryRemoveQuerySerializer],
        responses={204: None, 409: ENTRY_CONFLICT},
    )
    def delete(self, request, pk: int, entry_id: int):
        entry = self.entry(request, pk, entry_id)
        query = inputs.PackageEntryRemoveQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.entry_remove(entry=entry, by=request.user, **query.validated_data)
        return Response(status=204)
