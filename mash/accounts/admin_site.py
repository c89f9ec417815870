from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.decorators import method_decorator

from mash.accounts.middleware import is_verified


class VerifiedAdminSite(admin.AdminSite):
    """The admin opens only to staff whose session passed the second factor.

    Its own sign-in page is not used: there is one way in (the service's sign-in, then the second
    factor), watched by django-axes and the sign-in event log."""

    def has_permission(self, request):
        return super().has_permission(request) and is_verified(request.user)

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated and is_verified(request.user):
            raise PermissionDenied  # signed in, but not staff: nothing to sign in again for
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, reverse("login"))
