"""Token authentication: django-rest-knox's hashed tokens, with failures counted per address."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from rest_framework import exceptions

from mash.common.throttles import FailedAuthenticationThrottle


class TokenAuthentication(knox_auth.TokenAuthentication):
    """``Authorization: Token <token>``. A token that is unknown, expired, malformed or of an
    inactive user is a 401 and counts against the client's address; past the limit the address
    gets 429 before any token it sends is looked up."""

    def authenticate(self, request):
        auth = knox_auth.get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.authenticate_header(request).lower().encode():
            return None  # no token: another authentication (the session) may apply
        throttle = FailedAuthenticationThrottle()
        throttle.check(request)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        # knox also deletes the holder's other expired tokens on every call (a query per request);
        # an expired token is refused all the same, and making a token clears its holder's.
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106
