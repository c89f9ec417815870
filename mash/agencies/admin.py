from django.contrib import admin

from mash.agencies import services
from mash.agencies.models import Agency, Membership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_lead", "is_active"]
    list_filter = ["kind", "is_lead", "is_active"]
    search_fields = ["name"]
    fields = ["name", "kind", "is_lead", "email", "is_active"]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in ["name", "kind", "is_lead", "email"]}
        if change:
            services.agency_update(agency=obj, is_active=form.cleaned_data["is_active"], **data)
        else:
            created = services.agency_create(**data)
            obj.pk, obj.group_id = created.pk, created.group_id


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role_names", "job_title"]
    list_filter = ["agency", "roles"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["roles"]

    @admin.display(description="roles")
    def role_names(self, obj):
        return ", ".join(sorted(group.name for group in obj.roles.all()))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "agency").prefetch_related("roles")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Keep user.groups (agency group + role groups) in step, as membership_set does.
        services.sync_user_groups(form.instance)
