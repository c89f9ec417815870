from django.contrib import admin

from mash.common.admin import CaseAudienceMixin, GrantAdmin
from mash.people import services
from mash.people.models import Person, PersonGroupObjectPermission, PersonUserObjectPermission


@admin.register(Person)
class PersonAdmin(CaseAudienceMixin, admin.ModelAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "nhs_number", "postcode"]
    search_fields = ["family_name", "given_name", "nhs_number"]
    fields = list(services.PERSON_FIELDS)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in self.fields}
        if change:
            services.person_update(person=obj, **data)
        else:
            obj.pk = services.person_create(**data).pk


@admin.register(PersonGroupObjectPermission)
class PersonGroupGrantAdmin(GrantAdmin):
    """Grants are made by the work (a request sent, a discussion convened), never by hand here."""

    list_display = ["group", "permission", "content_object_id"]
    list_filter = ["group"]


@admin.register(PersonUserObjectPermission)
class PersonUserGrantAdmin(GrantAdmin):
    list_display = ["user", "permission", "content_object_id"]
