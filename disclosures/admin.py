from django.contrib import admin

from disclosures.models import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationPerson,
    Decision,
    DisclosureRecord,
    PackageEntry,
    PackageSection,
    ResearchPackage,
)
from mash.common.admin import CaseAudienceMixin, GrantAdmin, PartAdminMixin, ReadOnlyAdmin


class PeopleInline(admin.TabularInline):
    model = ApplicationPerson
    fields = readonly_fields = ["person", "role"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    """Applications change only through their services; the policy decides what is read here."""

    list_display = ["reference", "scheme", "stage", "outcome", "received_at", "researcher"]
    list_filter = ["scheme", "stage", "outcome"]
    search_fields = ["reference"]
    list_select_related = ["researcher"]
    inlines = [PeopleInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


class SectionInline(admin.TabularInline):
    model = PackageSection
    fields = readonly_fields = ["kind", "nothing_found", "note", "checked_at", "checked_by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ResearchPackage)
class ResearchPackageAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    """Research packages: the police disclosure team only, as everywhere."""

    list_display = ["application", "number", "status", "researcher", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["application", "researcher"]
    inlines = [SectionInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(PackageEntry)
class PackageEntryAdmin(PartAdminMixin, ReadOnlyAdmin):
    """An entry is read as part of its package: the package's read (or refusal) is what is logged."""

    list_display = ["section", "summary", "handling_code", "created_at"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(Decision)
class DecisionAdmin(PartAdminMixin, ReadOnlyAdmin):
    list_display = ["application", "disclose", "decided_by", "decided_at", "marac_referral"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(DisclosureRecord)
class DisclosureRecordAdmin(PartAdminMixin, ReadOnlyAdmin):
    list_display = ["application", "disclosed_at", "recipient_name", "disclosed_by"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ApplicationGroupObjectPermission)
class ApplicationGrantAdmin(GrantAdmin):
    """Forum grants: made and removed by the work (the forum), never by hand."""

    list_display = ["group", "permission", "content_object_id"]
