"""Project-wide API plumbing: pagination, the one handler that turns domain errors into 400s (role
refusals into 403s, out-of-date versions into 409s), and the serializer pieces every app's API shares."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from mash.common.versioning import StaleVersion

MAX_ID = 2**63 - 1  # BigAutoField: a larger id would reach PostgreSQL as an out-of-range error (a 500)
MAX_VERSION = 2**31 - 1  # PositiveIntegerField


class Pagination(PageNumberPagination):
    """``page`` (from 1; past the end is a 404) and ``page_size`` (1 to 200, default 50). A value
    that is not such a number (empty included) is refused (400), as the schema says, rather than
    quietly replaced by the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # the schema says a number: "last" is not one

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: ["A whole number from 1."]})
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


def validation_error_detail(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


class _Conflict(exceptions.APIException):
    """How the API answers a ``StaleVersion``: 409, with the service's message."""

    status_code = 409
    default_detail = "Someone else changed this record since you read it."
    default_code = "stale"


def exception_handler(exc, context):
    if isinstance(exc, PermissionDenied):
        # A refusal for the user's role on a record they can see (mash.common.errors.RoleRefused,
        # which is also a ValidationError for the pages): 403 with the service's message.
        messages = getattr(exc, "messages", None) or ([str(exc)] if str(exc) else [])
        exc = exceptions.PermissionDenied(*messages[:1])
        return drf_exception_handler(exc, context)
    if isinstance(exc, StaleVersion):
        # An out-of-date version (optimistic locking) is a conflict with another change, not bad input.
        # A refusal that carries the values saved now (``theirs``) answers with them, so the client
        # can show the difference and nothing typed is lost.
        response = drf_exception_handler(_Conflict(detail=exc.messages[0]), context)
        if exc.theirs is not None:
            response.data["current"] = exc.theirs
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


# --- Serializer pieces -----------------------------------------------------------------------------


class QuerySerializer(serializers.Serializer):
    """Query parameters. An empty value (``?date_of_birth=``) is refused unless the field takes
    blank text: DRF would read it as null (or the default), which the schema's types do not allow."""

    def to_internal_value(self, data):
        empty = {
            name: ["Give a value, or leave the parameter out."]
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        }
        if empty:
            raise serializers.ValidationError(empty)
        return super().to_internal_value(data)


class EnumField(serializers.ChoiceField):
    """A choice of one of our TextChoices, documented once as a named schema component."""

    def __init__(self, enum, *, name: str = "", **kwargs):
        self.enum = enum
        self.component_name = f"{name or enum.__name__}Enum"
        super().__init__(choices=enum.choices, **kwargs)


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    # Named here rather than by drf-spectacular's enum hook: "kind" and "state" name different
    # choice sets in different components, which the hook can only resolve with a warning.
    target_class = EnumField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(
            name=field.component_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum,
            schema={
                "type": "string",
                "enum": list(field.enum.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in field.enum.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref


def version_input(help_text: str) -> serializers.IntegerField:
    """The ``version`` a change sends back, as read (optimistic locking): the service's
    ``expected_version``; a change made since is refused with a 409."""
    return serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, source="expected_version", help_text=help_text
    )


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class BreachedField(serializers.BooleanField):
    """Whether the clock its source names (``"*"``: the object itself) is breached: its
    ``is_breached()``, called here, as a method source is called by DRF only after inspecting its
    signature (``inspect.signature``, each time), several times the call itself, for every clock of
    every row of a list."""

    def get_attribute(self, instance):
        return super().get_attribute(instance).is_breached()


class ClockSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    stopped_at = serializers.DateTimeField(allow_null=True)
    breached_at = serializers.DateTimeField(allow_null=True)
    breached = BreachedField(source="*", help_text="Stopped late, or overdue.")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()


def stale_response(what: str = "the record", serializer=ConflictSerializer) -> OpenApiResponse:
    """The schema's 409: a change sent with an out-of-date version (optimistic locking)."""
    return OpenApiResponse(
        serializer, description=f"Someone else changed {what} since this version: reload it and try again."
    )


STALE = stale_response()
