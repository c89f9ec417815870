from django.contrib import admin

from mash.common.admin import GovernanceOnlyAdmin
from mash.sharing.models import AccessLog, BreakGlassAccess, Dissemination


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


# The audit trail holds the values of every change, case content included: admin rights alone must not
# show it (docs/design.md). Information governance reads it; nobody else, superusers included.
from auditlog.admin import LogEntryAdmin as _AuditlogLogEntryAdmin  # noqa: E402
from auditlog.models import LogEntry  # noqa: E402

from mash.agencies.roles import Role  # noqa: E402
from mash.agencies.selectors import actor_for  # noqa: E402

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(_AuditlogLogEntryAdmin):
    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and actor_for(request.user).has(Role.INFORMATION_GOVERNANCE)
