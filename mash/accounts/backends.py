"""The authentication backend: Django's ModelBackend, whose load of the signed-in user on every request
also reads the user's agency and roles."""

from django.contrib.auth.backends import ModelBackend

from mash.agencies.selectors import user_with_actor


class UserBackend(ModelBackend):
    """Passwords, permissions and ``is_active`` exactly as Django's ModelBackend.

    Every request loads its signed-in user through ``get_user``; loading them with their membership,
    agency and group names (``user_with_actor``) saves ``actor_for`` a query of its own on every page
    and API call. A session records the path of the backend that signed it in: a session made while
    AUTHENTICATION_BACKENDS named Django's ModelBackend instead is signed out at its next request."""

    def get_user(self, user_id):
        user = user_with_actor(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
