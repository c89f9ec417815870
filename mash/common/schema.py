"""drf-spectacular hooks: the parts of the OpenAPI document that hold for every endpoint."""

from drf_spectacular.plumbing import get_lib_doc_excludes

from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# DRF's validation errors: field name (or "non_field_errors") to messages, nested for nested
# fields; a request that cannot be parsed at all answers with a "detail" message.
VALIDATION_ERROR = {
    "type": "object",
    "description": 'Messages by field name ("non_field_errors" for the request as a whole), or "detail".',
    "additionalProperties": {},
}

# Why any endpoint may answer each of these, whatever its own responses say.
STANDARD_ERRORS = {
    "400": ("The request is invalid.", "ValidationError"),
    "401": ("No valid credentials were given.", "Error"),
    "403": ("Signed in, but this role or agency may not do this.", "Error"),
    # A record the user may not see is "not found", as is a page past the end of a list.
    "404": ("Not found, or not visible to this user.", "Error"),
    "415": ("The request body is not in a media type this endpoint reads.", "Error"),
    "429": ("Too many requests from this user, or too many bad tokens from this address.", "Error"),
}
# A 429 says when to try again.
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def add_error_responses(result, generator, request, public):
    """Document the standard error answers (400, 401, 403, 404, 415, 429) on every operation that does
    not document them itself: 400 only where the operation takes input, 415 where it reads a body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            reads_body = "requestBody" in operation
            takes_input = reads_body or bool(operation.get("parameters"))
            responses = operation.setdefault("responses", {})
            for status, (description, component) in STANDARD_ERRORS.items():
                if (status == "400" and not takes_input) or (status == "415" and not reads_body):
                    continue
                response = responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                        },
                    },
                )
                if status == "429":
                    response.setdefault("headers", RETRY_AFTER)
    return result


def describe_integer_path_parameters(result, generator, request, public):
    """An integer in a path is matched by Django's ``<int:...>`` converter, which takes digits only:
    a negative number never reaches the view, so the schema says ``minimum: 0``."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 0)
    return result


NO_NUL = "^[^\\x00]*$"


def _forbid_nul(schema) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema.setdefault("pattern", NO_NUL)
    for key in ("properties",):
        for child in schema.get(key, {}).values():
            _forbid_nul(child)
    for key in ("items", "additionalProperties"):
        _forbid_nul(schema.get(key))
    for key in ("oneOf", "anyOf", "allOf"):
        for child in schema.get(key, []):
            _forbid_nul(child)


def forbid_nul_characters(result, generator, request, public):
    """Text the API reads never holds a NUL character (DRF's CharField refuses it, and PostgreSQL
    cannot store it): the request schemas and parameters say so with a pattern."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _forbid_nul(schema)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                for parameter in operation.get("parameters", []):
                    _forbid_nul(parameter.get("schema"))
    return result


def doc_excludes() -> list:
    """The classes whose docstrings never describe an endpoint (GET_LIB_DOC_EXCLUDES): the libraries'
    and the action kernel's (its docstring is for whoever writes an action), so an action with no
    docstring of its own has no description rather than ``RecordActionAPI``'s."""
    return [*get_lib_doc_excludes(), *_action_bases(RecordActionAPI), SelectorListAPI]


def _action_bases(cls) -> list:
    """The kernel and every app's base of actions (a class that names no action's ``summary``)."""
    bases = [cls] if not cls.summary else []
    for subclass in cls.__subclasses__():
        bases.extend(_action_bases(subclass))
    return bases
