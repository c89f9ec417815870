"""The disclosures API's research packages: one version, its summary, submission and return, its
sections and their graded entries (the police disclosure team only: ``package_get_for``)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures import selectors, services
from disclosures.api import inputs
from disclosures.api.output import (
    EntryConflictSerializer,
    PackageEntrySerializer,
    PackageSectionSerializer,
    ResearchPackageSerializer,
    SectionConflictSerializer,
    SummaryConflictSerializer,
    package_response,
)
from disclosures.models import PackageEntry, PackageSection
from mash.common.actions import RecordActionAPI


class PackageDetailAPI(APIView):
    @extend_schema(
        summary="One version of a research package (the police disclosure team only)",
        responses=ResearchPackageSerializer,
    )
    def get(self, request, pk: int):
        return package_response(request, selectors.package_get_for(request.user, pk, request=request))


class PackageActionAPI(RecordActionAPI):
    """One action on a research package (mash/common/actions.py): a serializer, one service; the answer
    is the package (its next version, once returned)."""

    record_name, output = "package", ResearchPackageSerializer

    def get_record(self, request, pk):
        return selectors.package_get_for(request.user, pk, request=request)

    def respond(self, request, package, result):
        return package_response(request, result, status=self.status_code)


class PackageSummaryAPI(PackageActionAPI):
    summary = "Save the researcher's summary of a draft"
    serializer_class, service = inputs.PackageSummarySerializer, services.package_summary_update
    conflict = OpenApiResponse(
        SummaryConflictSerializer,
        description="Someone else saved the summary since this version: `current` is theirs.",
    )


class PackageSubmitAPI(PackageActionAPI):
    summary = "Submit the draft: its completeness is checked and this version locked"
    serializer_class, service = inputs.PackageSubmitSerializer, services.package_submit


class PackageReturnAPI(PackageActionAPI):
    summary = "Return a submitted version with comments: the next version opens as a copy"
    serializer_class, service = inputs.PackageReturnSerializer, services.package_return
    status_code, conflict = 201, None
    output = OpenApiResponse(ResearchPackageSerializer, description="The next version.")


class SectionActionAPI(RecordActionAPI):
    """One action on a section of a research package: the package is found first (the team only)."""

    record_name = "section"

    def get_record(self, request, pk, section_id):
        package = selectors.package_get_for(request.user, pk, request=request)
        return get_object_or_404(PackageSection, pk=section_id, package=package)


class SectionAPI(SectionActionAPI):
    summary = "Record what was checked in a section, and whether nothing was found"
    serializer_class, service = inputs.SectionCheckSerializer, services.section_update
    output = PackageSectionSerializer
    conflict = OpenApiResponse(
        SectionConflictSerializer,
        description="Someone else changed the section since this version: `current` is theirs.",
    )

    def respond(self, request, section, result):
        return Response(PackageSectionSerializer(result).data)


class EntryCreateAPI(SectionActionAPI):
    summary = "Add a graded entry to a section of the draft"
    serializer_class, service = inputs.PackageEntryCreateSerializer, services.entry_add
    output, status_code, conflict = PackageEntrySerializer, 201, None

    def service_kwargs(self, request, section, data):
        return {"section": section, "by": request.user, "data": inputs.grading(data)}

    def respond(self, request, section, entry):
        return Response(PackageEntrySerializer(entry).data, status=201)


ENTRY_CONFLICT = OpenApiResponse(
    EntryConflictSerializer,
    description="Someone else changed the entry since this version: `current` is the entry as saved now.",
)


class EntryAPI(RecordActionAPI):
    summary = "Change an entry of the draft"
    serializer_class, service = inputs.PackageEntryUpdateSerializer, services.entry_update
    record_name, output, conflict = "entry", PackageEntrySerializer, ENTRY_CONFLICT

    def get_record(self, request, pk, entry_id):
        package = selectors.package_get_for(request.user, pk, request=request)
        return get_object_or_404(
            PackageEntry.objects.select_related("section__package"), pk=entry_id, section__package=package
        )

    def service_kwargs(self, request, entry, data):
        version = data["expected_version"]
        return {"entry": entry, "by": request.user, "data": inputs.grading(data), "expected_version": version}

    def respond(self, request, entry, result):
        return Response(PackageEntrySerializer(result).data)

    @extend_schema(
        summary="Remove an entry from the draft",
        parameters=[inputs.PackageEntryRemoveQuerySerializer],
        responses={204: None, 409: ENTRY_CONFLICT},
    )
    def delete(self, request, pk: int, entry_id: int):
        entry = self.get_record(request, pk, entry_id)
        query = inputs.PackageEntryRemoveQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.entry_remove(entry=entry, by=request.user, **query.validated_data)
        return Response(status=204)
