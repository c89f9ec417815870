from django.contrib import admin

from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.common.admin import GovernanceOnlyAdmin
from mash.sharing.models import (
    AccessLog,
    BreakGlassAccess,
    Dissemination,
    DisseminationItem,
    DisseminationRequest,
)


@admin.register(AccessLog)
class AccessLogAdmin(GovernanceOnlyAdmin):
    list_display = ["at", "user", "agency", "action", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "content_type", "agency"]
    search_fields = ["user__username", "object_repr"]
    date_hierarchy = "at"
    list_select_related = ["user", "agency", "content_type"]


@admin.register(BreakGlassAccess)
class BreakGlassAccessAdmin(GovernanceOnlyAdmin):
    list_display = ["opened_at", "user", "object_repr", "review_status", "reviewed_by"]
    list_filter = ["review_status"]
    list_select_related = ["user", "reviewed_by"]


@admin.register(Dissemination)
class DisseminationAdmin(GovernanceOnlyAdmin):
    list_display = [
        "disseminated_at",
        "recipient_name",
        "recipient_organisation",
        "method",
        "lawful_basis",
        "approved_by",
    ]
    list_filter = ["method", "lawful_basis"]
    list_select_related = ["approved_by"]


class DisseminationItemInline(admin.TabularInline):
    model = DisseminationItem
    fields = ["kind", "owner_agency", "handling_code", "decision", "decided_by", "decided_at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and actor_for(request.user).has(Role.INFORMATION_GOVERNANCE)


@admin.register(DisseminationRequest)
class DisseminationRequestAdmin(GovernanceOnlyAdmin):
    """The requests to share outside the MASH, read-only: they change only through their pages (each
    item decided by its owner), and their items copy case content."""

    list_display = ["reference", "requested_at", "object_repr", "recipient_organisation", "state"]
    list_filter = ["state", "lawful_basis"]
    search_fields = ["reference"]
    list_select_related = ["requested_by"]
    inlines = [DisseminationItemInline]


# The audit trail holds the values of every change, case content included: admin rights alone must not
# show it (docs/design.md). Information governance reads it; nobody else, superusers included.
from auditlog.admin import LogEntryAdmin as _AuditlogLogEntryAdmin  # noqa: E402
from auditlog.models import LogEntry  # noqa: E402

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(_AuditlogLogEntryAdmin):
    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and actor_for(request.user).has(Role.INFORMATION_GOVERNANCE)
