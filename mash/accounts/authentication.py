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
