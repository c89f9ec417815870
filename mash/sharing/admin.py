from django.contrib import admin

from mash.common.admin import ReadOnlyAdmin
from mash.sharing.models import AccessLog, BreakGlassAccess, Dissemination


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "agency", "action", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "content_type", "agency"]
    search_fields = ["user__username", "object_repr"]
    date_hierarchy = "at"
    list_select_related = ["user", "agency", "content_type"]


@admin.register(BreakGlassAccess)
class BreakGlassAccessAdmin(ReadOnlyAdmin):
    list_display = ["opened_at", "user", "object_repr", "review_status", "reviewed_by"]
    list_filter = ["review_status"]
    list_select_related = ["user", "reviewed_by"]


@admin.register(Dissemination)
class DisseminationAdmin(ReadOnlyAdmin):
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
