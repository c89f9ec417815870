"""Project-wide API plumbing: pagination and the one handler that turns domain errors into 400s."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def validation_error_detail(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Someone else changed this record since you read it."
    default_code = "stale"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) == "stale":
        # An out-of-date version (optimistic locking) is a conflict with another change, not bad input.
        exc = Conflict(detail=exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
