from django.contrib import admin

from mash.common.admin import CaseAudienceMixin, GrantAdmin, ReadOnlyAdmin
from missing_persons.models import (
    Episode,
    EpisodeGroupObjectPermission,
    ImportBatch,
    RepeatTrigger,
    RiskGrading,
)


class GradingInline(admin.TabularInline):
    model = RiskGrading
    fields = readonly_fields = ["at", "by", "previous", "risk", "rationale"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Episode)
class EpisodeAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    """Episodes change only through their services; the policy decides what is read here."""

    list_display = ["police_reference", "person", "risk", "status", "reported_at"]
    list_filter = ["status", "risk"]
    search_fields = ["police_reference"]
    list_select_related = ["person"]
    inlines = [GradingInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ImportBatch)
class ImportBatchAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    """The files police exports came in: the police's and the lead agency's, as the policy says."""

    list_display = ["created_at", "filename", "imported_by", "rows", "created", "updated", "unchanged"]


@admin.register(RepeatTrigger)
class RepeatTriggerAdmin(admin.ModelAdmin):
    """Reference data: how many episodes in how many days make a repeat-missing pattern."""

    list_display = ["episodes", "days"]


@admin.register(EpisodeGroupObjectPermission)
class EpisodeGrantAdmin(GrantAdmin):
    list_display = ["group", "permission", "content_object_id"]
