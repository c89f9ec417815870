from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from mash.accounts.middleware import is_verified


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication for a session whose second factor is verified (django-otp);
    a session signed in by password only does not authenticate an API call."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not is_verified(result[0]):
            return None
        return result


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI schema's description of it: Django's session cookie, as for SessionAuthentication."""

    target_class = "mash.accounts.authentication.VerifiedSessionAuthentication"
