from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts import services
from mash.accounts.models import SignInEvent
from mash.common.admin import GovernanceOnlyAdmin


@admin.register(SignInEvent)
class SignInEventAdmin(GovernanceOnlyAdmin):
    """Read by information governance only, like the other logs."""

    list_display = ["at", "event", "username", "user", "by", "ip_address", "detail"]
    list_filter = ["event"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user", "by"]


# Devices hold the secrets of the second factor: no page shows or makes them for someone else (an
# administrator who knew a user's key could act as them). The reset below is the one admin action.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


User = get_user_model()


@admin.action(
    description="Reset the second factor of the selected users (they enrol again)", permissions=["change"]
)
def reset_second_factor(modeladmin, request, queryset):
    ended = 0
    for user in queryset:
        ended += services.second_factor_reset(user=user, by=request.user, request=request)
    count = queryset.count()
    modeladmin.message_user(
        request,
        f"Second factor reset for {count} user{'s' if count != 1 else ''}; "
        f"{ended} session{'s' if ended != 1 else ''} ended. They enrol again at their next sign-in.",
        messages.SUCCESS,
    )


# Django's user admin (or whichever is registered), with the reset among its actions.
if admin.site.is_registered(User):
    UserAdminBase = type(admin.site.get_model_admin(User))
    admin.site.unregister(User)
else:  # pragma: no cover
    UserAdminBase = DjangoUserAdmin


@admin.register(User)
class UserAdmin(UserAdminBase):
    actions = [*(UserAdminBase.actions or []), reset_second_factor]
