from django.contrib import admin

from mash.common.admin import GovernanceOnlyAdmin
from mash.subject_access.models import SubjectAccessItem, SubjectAccessRequest


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(GovernanceOnlyAdmin):
    list_display = ["reference", "received_on", "due_on", "extended_due_on", "state"]
    list_filter = ["state"]
    search_fields = ["reference"]


@admin.register(SubjectAccessItem)
class SubjectAccessItemAdmin(GovernanceOnlyAdmin):
    list_display = ["request", "position", "source", "kind", "decision", "exemption"]
    list_filter = ["source", "decision"]
    list_select_related = ["request"]
