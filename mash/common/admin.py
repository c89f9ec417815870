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
