from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from mash.agencies.policy import is_information_governance
from mash.common.forms import apply_validation_error
from mash.common.permissions import ActorRequiredMixin
from mash.common.views import FilteredListView
from mash.sharing import policy, selectors, services
from mash.sharing.forms import AccessLogFilterForm, BreakGlassForm, BreakGlassReviewForm
from mash.sharing.middleware import break_glass_page
from mash.sharing.models import AccessAction, BreakGlassAccess, ReviewStatus


class BreakGlassView(LoginRequiredMixin, View):
    """Open one record by break-glass (the form is offered where the record was refused).

    An id with no record answers exactly like a record the user may not see: the same refusal to a
    user the rule does not let break glass, the same form errors, and the same redirect with the same
    message after a good reason. Nothing is written or logged about an id with no record.
    """

    def post(self, request, content_type_id: int, object_id: str):
        content_type = get_object_or_404(ContentType, pk=content_type_id)
        model = content_type.model_class()
        if model is None or not policy.is_case_model(model):
            raise Http404
        try:
            obj = model._default_manager.filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None  # not an id at all: no record could have it
        if obj is None and not policy.offers_break_glass(request.user, model):
            raise Http404(services.NOT_FOUND)
        if not policy.may_break_glass(request.user, model):
            if obj is not None:
                services.access_log_write(
                    user=request.user, obj=obj, action=AccessAction.DENIED, request=request
                )
            raise Http404(services.NOT_FOUND)
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if obj is None:
                    services.break_glass_on_missing(user=request.user, model=model, reason=reason)
                else:
                    services.break_glass_open(user=request.user, obj=obj, reason=reason, request=request)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.warning(
                    request, "You opened this record by break-glass. Information governance will review it."
                )
                target = form.cleaned_data.get("next") or "/"
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = "/"
                return redirect(target)
        return break_glass_page(request, model, object_id, form, status=400)


class GovernanceMixin(ActorRequiredMixin):
    allowed = staticmethod(is_information_governance)
    extra_context = {"nav": "governance"}


class AccessLogView(GovernanceMixin, FilteredListView):
    template_name = "sharing/access_log.html"
    context_object_name = "entries"
    filter_form_class, selector = AccessLogFilterForm, selectors.access_log_list


class BreakGlassReviewListView(GovernanceMixin, ListView):
    template_name = "sharing/break_glass_reviews.html"
    context_object_name = "accesses"
    paginate_by = 50

    def get_queryset(self):
        return selectors.break_glass_review_queue()


class BreakGlassReviewView(GovernanceMixin, View):
    template_name = "sharing/break_glass_review.html"

    def get_access(self, pk):
        return get_object_or_404(BreakGlassAccess.objects.select_related("user"), pk=pk)

    def get(self, request, pk: int):
        access = self.get_access(pk)
        return TemplateResponse(
            request,
            self.template_name,
            {"access": access, "form": BreakGlassReviewForm(), "nav": "governance"},
        )

    def post(self, request, pk: int):
        access = self.get_access(pk)
        form = BreakGlassReviewForm(request.POST)
        if form.is_valid():
            try:
                services.break_glass_review(access=access, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Review recorded.")
                return redirect("sharing:break_glass_reviews")
        return TemplateResponse(
            request, self.template_name, {"access": access, "form": form, "nav": "governance"}, status=400
        )


class DisseminationListView(GovernanceMixin, ListView):
    template_name = "sharing/disseminations.html"
    context_object_name = "disseminations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.dissemination_list()


__all__ = ["ReviewStatus"]
