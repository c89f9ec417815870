"""The refusals every service raises: a role that may not do something to a record it can see
(``require_role``), and a precondition that does not hold (``require``)."""

from django.core.exceptions import PermissionDenied, ValidationError


class RoleRefused(PermissionDenied, ValidationError):
    """Refused for the acting user's role (or agency), with a message saying who may.

    A ``PermissionDenied``: the API answers 403 with the message (mash/common/api.py). Also a
    ``ValidationError``: a page that shows a service's refusals beside its form shows this one the
    same way. A record the user may not see at all is a 404, never this."""

    def __init__(self, message: str):
        ValidationError.__init__(self, message, code="role")


def require_role(condition: bool, message: str) -> None:
    if not condition:
        raise RoleRefused(message)


def require(condition: bool, message) -> None:
    """A service's precondition: refuse with ``message`` (a text, or ``{field: text}`` to show it beside
    the field) unless ``condition`` holds."""
    if not condition:
        raise ValidationError(message)
