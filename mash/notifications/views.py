from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from mash.notifications import services
from mash.notifications.selectors import failed_for, inbox_for


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 25
    extra_context = {"nav": "inbox"}

    def get_queryset(self):
        return inbox_for(self.request.user)


class OpenNotificationView(LoginRequiredMixin, View):
    """Mark a message read and go to what it is about."""

    def post(self, request, pk: int):
        notification = get_object_or_404(inbox_for(request.user), pk=pk)
        services.mark_read(user=request.user, ids=[notification.pk])
        target = notification.url
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:inbox")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.mark_read(user=request.user)
        messages.success(request, f"Marked {count} message{'s' if count != 1 else ''} as read.")
        return redirect("notifications:inbox")


class FailedNotificationsView(LoginRequiredMixin, ListView):
    """E-mails that could not be sent, for the lead agency's MASH managers, with 'retry'."""

    template_name = "notifications/failed.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        return failed_for(self.request.user)
