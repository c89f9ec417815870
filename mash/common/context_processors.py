from django.conf import settings


def service(request):
    """The service name, the acting user's agency and roles, and the header's unread count."""
    context = {"service_name": "MASH case management", "site_url": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from mash.agencies.roles import Role
        from mash.agencies.selectors import actor_for
        from mash.notifications.selectors import unread_count_for

        actor = actor_for(user)
        context["actor"] = actor
        context["is_governance"] = actor.has(Role.INFORMATION_GOVERNANCE)
        context["unread_count"] = unread_count_for(user)
    return context
