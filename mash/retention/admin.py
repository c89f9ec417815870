from django.contrib import admin

from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.common.admin import GovernanceOnlyAdmin
from mash.retention.models import Erasure, LegalHold, RetentionDecision, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """Reference data: the periods, set by the MASH's data administrators (and superusers)."""

    list_display = ["kind", "period_months", "counted_from", "local_policy", "set_by", "updated_at"]
    readonly_fields = ["set_by"]

    def _may_set(self, request) -> bool:
        return request.user.is_superuser or (
            request.user.is_staff and actor_for(request.user).has(Role.DATA_ADMINISTRATOR)
        )

    def has_module_permission(self, request):
        return self._may_set(request)

    def has_view_permission(self, request, obj=None):
        return self._may_set(request)

    def has_change_permission(self, request, obj=None):
        return self._may_set(request)

    def has_add_permission(self, request):
        return self._may_set(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        obj.full_clean()
        super().save_model(request, obj, form, change)


@admin.register(RetentionDecision)
class RetentionDecisionAdmin(GovernanceOnlyAdmin):
    list_display = ["decided_at", "kind", "object_id", "decision", "next_review_on", "decided_by"]
    list_filter = ["decision", "kind"]


@admin.register(LegalHold)
class LegalHoldAdmin(GovernanceOnlyAdmin):
    list_display = ["placed_at", "kind", "object_id", "placed_by", "lifted_at"]


@admin.register(Erasure)
class ErasureAdmin(GovernanceOnlyAdmin):
    list_display = ["at", "kind", "description", "decided_by"]
