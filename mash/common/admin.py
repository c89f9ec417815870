from django.contrib import admin
from django.http import Http404

from mash.sharing import policy
from mash.sharing.services import record_read


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and records that only their services write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GrantAdmin(ReadOnlyAdmin):
    """A django-guardian grant table, read as a list naming the record by its id only. A grant's own
    page would be titled with the record's name (a person's, a referral's reference): case content,
    and admin rights alone show none."""

    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


class GovernanceOnlyAdmin(ReadOnlyAdmin):
    """Logs that copy case content (a record's name, a reason, what was shared): information
    governance reads them, nobody else, superusers included."""

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        from mash.agencies.roles import Role
        from mash.agencies.selectors import actor_for

        return request.user.is_staff and actor_for(request.user).has(Role.INFORMATION_GOVERNANCE)


class CaseAdminMixin:
    """Admin pages for case records ask the sharing policy, like every other view: admin rights
    alone show no case content, and every record opened is in the access log."""

    def get_queryset(self, request):
        return policy.visible(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not in the policy-filtered queryset: log the refusal if the record exists.
            model = self.model
            existing = (
                model._default_manager.filter(pk=object_id).first() if str(object_id).isdigit() else None
            )
            if existing is not None:
                try:
                    record_read(user=request.user, obj=existing, request=request)
                except Http404:  # the refusal is logged; the admin shows its own 'not found'
                    return None
            return None
        record_read(user=request.user, obj=obj, request=request)
        return obj
