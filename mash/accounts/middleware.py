"""Two gates every request passes once signed in: the idle timeout, and the second factor."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware

from mash.accounts.models import SignInEventKind
from mash.accounts.signals import IDLE_KEY, SIGN_OUT_EVENT

# How often the device that verified a session is read again (seconds).
DEVICE_RECHECK_KEY = "mash_otp_checked_at"
DEVICE_RECHECK_EVERY = 60

# Pages a signed-in user reaches before their second factor is verified.
UNVERIFIED_VIEWS = {"login", "logout", "health", "accounts:verify", "accounts:enrol"}


def is_verified(user) -> bool:
    """True when django-otp's middleware found the device that verified this session."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def describe_seconds(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def mark_device_checked(session) -> None:
    session[DEVICE_RECHECK_KEY] = int(timezone.now().timestamp())


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware, reading the verifying device at most once a minute, not on every request.

    django-otp reads the device on every request so that a deleted or unconfirmed device stops
    verifying its sessions; here every deletion of a user's second factor (the reset) ends their
    sessions, so the read is a second guard and runs once a minute: that keeps every page within its
    query budget (README: performance). Between reads, ``user.otp_device`` is the device read lazily.
    """

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not persistent_id:
            return user
        now = int(timezone.now().timestamp())
        checked = request.session.get(DEVICE_RECHECK_KEY)
        if checked is not None and 0 <= now - checked < DEVICE_RECHECK_EVERY:
            user.otp_device = SimpleLazyObject(
                functools.partial(self._device_from_persistent_id, persistent_id)
            )
            return user
        device = self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
        user.otp_device = device
        if device is not None:
            mark_device_checked(request.session)
        elif DEVICE_RECHECK_KEY in request.session:
            del request.session[DEVICE_RECHECK_KEY]
        return user


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT seconds without a request.

    The last request's time is kept in the session; it is rewritten at most every minute (or every
    tenth of a short timeout), so most requests write nothing. After the timeout the request goes on
    signed out: a page is sent to the sign-in page with a message, an API call is unauthenticated.
    The page script's status request neither counts as activity nor signs out (it only asks).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path_info == reverse("accounts:session_status"):
            return self.get_response(request)
        if user is not None and user.is_authenticated:
            timeout = settings.SESSION_IDLE_TIMEOUT
            now = int(timezone.now().timestamp())
            last = request.session.get(IDLE_KEY)
            if last is not None and now - last >= timeout:
                setattr(request, SIGN_OUT_EVENT, SignInEventKind.SESSION_TIMED_OUT)
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {describe_seconds(timeout)} without activity. "
                    "Sign in again to carry on.",
                )
            elif last is None or now - last >= min(60, max(1, timeout // 10)):
                request.session[IDLE_KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A user signed in by password only reaches nothing but the second-factor pages.

    Pages redirect to the verify page (which sends a user with no authenticator yet to enrol); the API
    is left to its authentication classes (a session that is not verified does not authenticate)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        match = request.resolver_match
        if (match and match.view_name in UNVERIFIED_VIEWS) or request.path_info.startswith("/api/"):
            return None
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
