from django.contrib import admin

from mash.clocks.models import Clock, WorkingPattern
from mash.common.admin import ReadOnlyAdmin


@admin.register(WorkingPattern)
class WorkingPatternAdmin(admin.ModelAdmin):
    list_display = ["name", "is_current", "opens_at", "closes_at"]


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["kind", "started_at", "due_at", "stopped_at", "breached_at"]
    list_filter = ["kind", "basis"]
    date_hierarchy = "due_at"
