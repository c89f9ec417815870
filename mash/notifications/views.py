from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from mash.common.forms import apply_validation_error
from mash.notifications import services
from mash.notifications.forms import RetryFailedForm
from mash.notifications.policy import may_retry
from mash.notifications.selectors import failed_for, inbox_for


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 25
    extra_context = {"nav": "inbox"}

    def get_queryset(self):
        return inbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Managers look at their inbox: it points them at e-mails that could not be sent.
        if may_retry(self.request.user):
            context["failed_count"] = failed_for(self.request.user).count()
        return context


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
    """E-mails that failed for good, for the lead agency's MASH managers and superusers, with 'retry'.

    Anyone else gets a 404 for the page and its POST, as for a page that is not there (the selector
    would list nothing for them anyway). The list never shows a message's body or attachments: they
    carry case detail, and the recipient, event and title are enough to decide on a retry."""

    template_name = "notifications/failed.html"
    context_object_name = "notifications"
    paginate_by = 50
    extra_context = {"nav": "inbox"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_retry(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return failed_for(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RetryFailedForm())
        kwargs["retry_hours"] = settings.NOTIFICATION_RETRY_HOURS
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = RetryFailedForm(request.POST)
        if form.is_valid():
            try:
                count = services.retry_failed(by=request.user, ids=form.ids_to_retry())
            except ValidationError as exc:  # RoleRefused: shown like every page shows a refusal
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{count} e-mail{'s' if count != 1 else ''} put back for sending")
                return redirect("notifications:failed")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)
