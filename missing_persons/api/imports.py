"""The import of police missing-person reports: preview (nothing written), import (all or nothing),
and the batches imported."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.lists import SelectorListAPI
from missing_persons import policy, selectors, services
from missing_persons.api.inputs import ImportFileSerializer
from missing_persons.api.output import (
    ImportBatchSerializer,
    ImportRefusedSerializer,
    PreviewSerializer,
    ProblemSerializer,
)
from missing_persons.models import ImportBatch


def _preview(request, data: ImportFileSerializer):
    return services.preview(by=request.user, content=data.content())


def _answer(result) -> dict:
    return {
        "rows": len(result.rows),
        "new": result.new,
        "updates": result.updates,
        "problems": ProblemSerializer(result.problems, many=True).data,
        "warnings": ProblemSerializer(result.warnings, many=True).data,
    }


class ImportPreviewAPI(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Check a file: every row's problems, and what importing it would do (nothing written)",
        request={"multipart/form-data": ImportFileSerializer},
        responses=PreviewSerializer,
    )
    def post(self, request):
        data = ImportFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_answer(_preview(request, data)))


class ImportListCreateAPI(SelectorListAPI):
    """The batches imported, the latest first (the police data administrators)."""

    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser]

    model, summary = ImportBatch, "Import batches, latest first"
    allowed, refusal = policy.may_administer, "Only the police data administrators import reports."

    def select(self, user):
        return selectors.import_batches()  # every batch: the list is for those ``allowed`` lets in

    @extend_schema(
        summary="Import a file, all or nothing: a known police reference updates its episode",
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            201: ImportBatchSerializer,
            400: OpenApiResponse(
                ImportRefusedSerializer,
                description="The file has problems (`problems`, by row and field): nothing was imported.",
            ),
        },
    )
    def post(self, request):
        data = ImportFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = data.content()
        # The preview first, so a refusal lists the problems by row and field, as the preview does.
        result = services.preview(by=request.user, content=content)
        if result.problems:
            answer = _answer(result)
            return Response(
                {"file": ["The file has problems: nothing was imported."], "problems": answer["problems"]},
                status=400,
            )
        batch = services.import_reports(by=request.user, content=content, filename=data.filename())
        return Response(ImportBatchSerializer(batch).data, status=201)
