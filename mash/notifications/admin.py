from django.contrib import admin

from mash.common.admin import ReadOnlyAdmin
from mash.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "channel", "event", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient__username", "idempotency_key"]
    list_select_related = ["recipient"]
    exclude = ["body", "attachments"]  # message bodies can carry case detail
