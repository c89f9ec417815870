from django.conf import settings

from mash.accounts.middleware import describe_seconds, is_verified
from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.common import navigation
from mash.notifications.selectors import unread_count_for


def service(request):
    """The service name, the acting user's agency and roles, the links of the menu they see
    (mash/common/navigation.py), and the header's unread count.

    Worked out once a request: a page that renders a part with the request (the referral page's panels,
    ``render_to_string(..., request=request)``) runs every context processor again, and would count the
    unread notifications twice."""
    user = getattr(request, "user", None)
    # Kept for the same user in the same state: not for one signed in or out since, nor once their
    # second factor is verified (django_otp.login changes the user in place).
    key = (user, user is not None and is_verified(user))
    found = getattr(request, "_mash_service_context", None)
    if found is not None and found[0][0] is key[0] and found[0][1] == key[1]:
        return found[1]
    context = _service(request)
    request._mash_service_context = (key, context)
    return context


def _service(request) -> dict:
    context = {"service_name": "MASH case management", "site_url": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if not is_verified(user):
            return context  # signed in by password only: the second-factor pages show no menu
        context["signed_in"] = True
        context["idle_timeout"] = settings.SESSION_IDLE_TIMEOUT
        context["idle_warning"] = settings.SESSION_IDLE_WARNING
        context["idle_warning_text"] = describe_seconds(settings.SESSION_IDLE_WARNING)
        actor = actor_for(user)
        context["actor"] = actor
        context["navigation"] = navigation.items_for(actor)
        context["is_governance"] = is_information_governance(actor)
        context["unread_count"] = unread_count_for(user)
    return context
