from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from mash.common.admin import ReadOnlyAdmin
from mash.notifications import services
from mash.notifications.models import Channel, Notification, Status
from mash.notifications.policy import may_retry


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: rows change only through the services. Failed e-mails can be put back for sending
    (the same service as the failed list, ``/inbox/failed/``): by superusers, and by the lead
    agency's MASH managers who are staff, who see here what that list shows them."""

    list_display = [
        "created_at",
        "recipient",
        "channel",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient__username", "idempotency_key"]
    list_select_related = ["recipient"]
    exclude = ["body", "attachments"]  # message bodies can carry case detail
    readonly_fields = ["next_attempt_at", "retry_until", "last_error"]
    actions = ["retry_failed"]

    def _manager_only(self, request) -> bool:
        """A lead MASH manager without the model's view permission: sees the failed e-mails only."""
        return not super().has_view_permission(request) and request.user.is_staff and may_retry(request.user)

    def has_view_permission(self, request, obj=None):
        if self._manager_only(request):
            return obj is None or (obj.status == Status.FAILED and obj.channel == Channel.EMAIL)
        return super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._manager_only(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._manager_only(request):
            return queryset.filter(status=Status.FAILED, channel=Channel.EMAIL)
        return queryset

    def has_retry_permission(self, request) -> bool:
        return may_retry(request.user)

    @admin.action(description="Retry the selected failed e-mails", permissions=["retry"])
    def retry_failed(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        try:
            count = services.retry_failed(by=request.user, ids=selected)
        except ValidationError as exc:  # RoleRefused
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        message = f"{count} e-mail{'s' if count != 1 else ''} put back for sending"
        if len(selected) > count:
            message += f" ({len(selected) - count} selected had not failed and were left as they were)"
        self.message_user(request, f"{message}.", messages.SUCCESS)
