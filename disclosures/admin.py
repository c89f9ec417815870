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
from mash.common.admin import CaseAdminMixin, GrantAdmin, ReadOnlyAdmin


class PeopleInline(admin.TabularInline):
    model = ApplicationPerson
    fields = readonly_fields = ["person", "role"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(CaseAdminMixin, ReadOnlyAdmin):
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
class ResearchPackageAdmin(CaseAdminMixin, ReadOnlyAdmin):
    """Research packages: the police disclosure team only, as everywhere."""

    list_display = ["application", "number", "status", "researcher", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["application", "researcher"]
    inlines = [SectionInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(PackageEntry)
class PackageEntryAdmin(ReadOnlyAdmin):
    list_display = ["section", "summary", "handling_code", "created_at"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def get_queryset(self, request):
        from mash.sharing import policy

        visible = policy.visible(request.user, ResearchPackage.objects.all())
        return super().get_queryset(request).filter(section__package__in=visible)

    def get_object(self, request, object_id, from_field=None):
        # An entry is read as part of its package: the package's read (or refusal) is what is logged.
        from django.http import Http404

        from mash.sharing.services import record_read

        entry = (
            PackageEntry.objects.select_related("section__package").filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if entry is None:
            return None
        try:
            record_read(user=request.user, obj=entry.section.package, request=request)
        except Http404:
            return None
        return entry


class ReadWithApplication:
    """A record read as part of its application: the application's read (or refusal) is logged."""

    def get_queryset(self, request):
        from mash.sharing import policy

        visible = policy.visible(request.user, Application.objects.all())
        return super().get_queryset(request).filter(application__in=visible)

    def get_object(self, request, object_id, from_field=None):
        from django.http import Http404

        from mash.sharing.services import record_read

        record = (
            self.model.objects.select_related("application").filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if record is None:
            return None
        try:
            record_read(user=request.user, obj=record.application, request=request)
        except Http404:  # the refusal is logged; the admin shows its own 'not found'
            return None
        return record


@admin.register(Decision)
class DecisionAdmin(ReadWithApplication, ReadOnlyAdmin):
    list_display = ["application", "disclose", "decided_by", "decided_at", "marac_referral"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(DisclosureRecord)
class DisclosureRecordAdmin(ReadWithApplication, ReadOnlyAdmin):
    list_display = ["application", "disclosed_at", "recipient_name", "disclosed_by"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ApplicationGroupObjectPermission)
class ApplicationGrantAdmin(GrantAdmin):
    """Forum grants: made and removed by the work (the forum), never by hand."""

    list_display = ["group", "permission", "content_object_id"]
