"""Information governance's pages for subject access requests (``GovernanceMixin``: nobody else)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.clocks.calendar import Calendar, describe_clock
from mash.common.actions import RecordActionView, service_input
from mash.common.dates import format_date
from mash.common.forms import apply_validation_error
from mash.common.pdf import pdf_response
from mash.common.views import FilteredListView, page_of
from mash.people.models import Person
from mash.sharing.views import GovernanceMixin
from mash.subject_access import bundle, forms, selectors, services
from mash.subject_access.models import Decision, State, SubjectAccessRequest

ACTION_FORMS = {
    "verify": forms.VerifyForm,
    "extend": forms.ExtendForm,
    "compile": forms.CompileForm,
    "respond": forms.RespondForm,
    "close": forms.CloseForm,
}


def clock_text(sar, *, now=None, calendar=None) -> str:
    if sar.state in (State.REFUSED, State.WITHDRAWN):
        return sar.get_state_display().lower()
    return describe_clock(
        sar.current_clock, now=now, calendar=calendar, met="answered in time", missed="answered late"
    )


class RequestListView(GovernanceMixin, FilteredListView):
    template_name = "subject_access/list.html"
    context_object_name = "requests"
    filter_form_class, selector = forms.RequestFilterForm, selectors.request_list

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now, calendar = timezone.now(), Calendar()
        context["rows"] = [(sar, clock_text(sar, now=now, calendar=calendar)) for sar in context["requests"]]
        return context


class RequestCreateView(GovernanceMixin, View):
    template_name = "subject_access/create.html"

    def context(self, request, form=None):
        find = forms.FindPersonForm(request.GET or None)
        details = find.cleaned_data if find.is_valid() else {}
        candidates = selectors.person_candidates(**details) if details else []
        form = form or forms.RequestForm(candidates=candidates)
        return {
            "find_form": find,
            "form": form,
            "candidates": candidates,
            "searched": bool(details),
            "nav": "governance",
        }

    def get(self, request):
        return TemplateResponse(request, self.template_name, self.context(request))

    def post(self, request):
        candidates = self.context(request)["candidates"]
        form = forms.RequestForm(request.POST, candidates=candidates)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["person"] = Person.objects.get(pk=data["person"])
            try:
                sar = services.request_create(by=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{sar.reference} logged: due {format_date(sar.due_on)}.")
                return redirect("subject_access:detail", pk=sar.pk)
        return TemplateResponse(request, self.template_name, self.context(request, form), status=400)


class RequestDetailView(GovernanceMixin, View):
    template_name = "subject_access/detail.html"

    @staticmethod
    def context(request, sar, **bound) -> dict:
        forms_ = {
            f"{name}_form": bound.get(name)
            or form_class(initial={"version": sar.version}, auto_id=f"{name}_%s")
            for name, form_class in ACTION_FORMS.items()
        }
        return {
            "sar": sar,
            "clock": clock_text(sar),
            "may": {action: services.may(action, sar) for action in services.TRANSITIONS},
            "counts": selectors.decision_counts(sar),
            "items": page_of(request, selectors.items_of(sar), "items"),
            "failed_form": bound.get(bound.get("failed", "")),
            "nav": "governance",
            "content_type": ContentType.objects.get_for_model(SubjectAccessRequest),
            **forms_,
        }

    def get(self, request, pk: int):
        sar = selectors.request_get(pk)
        return TemplateResponse(request, self.template_name, self.context(request, sar))


class RequestAction(GovernanceMixin, RecordActionView):
    record_name = "sar"

    def get_record(self, request, pk):
        return selectors.request_get(pk)

    def success_url(self, sar):
        return reverse("subject_access:detail", args=[sar.pk])

    def render_failure(self, request, sar, form):
        name = self.get_form_name().removesuffix("_form")
        sar = selectors.request_get(sar.pk)
        context = RequestDetailView.context(request, sar, **{name: form, "failed": name})
        return TemplateResponse(request, RequestDetailView.template_name, context, status=400)


class VerifyView(RequestAction):
    form_class, service, success = forms.VerifyForm, services.identity_verify, "Identity verified."


class ExtendView(RequestAction):
    form_class, service = forms.ExtendForm, services.request_extend
    success = "Extended. Tell the person asking, with the reason, within the first month."


class CompileView(RequestAction):
    form_class, service = forms.CompileForm, services.request_compile
    success = "Compiled: everything held about the person is listed below."

    def service_kwargs(self, request, record, form):
        return {**super().service_kwargs(request, record, form), "request": request}


class RespondView(RequestAction):
    form_class, service, success = (
        forms.RespondForm,
        services.request_respond,
        "Response recorded: the request is closed.",
    )


class CloseView(RequestAction):
    form_class, service, success = forms.CloseForm, services.request_close, "Request closed."


class ItemView(GovernanceMixin, View):
    """One item of the compilation: what it says, why it is flagged, and the decision on it."""

    template_name = "subject_access/item.html"

    def render(self, request, sar, item, form, status=200):
        context = {
            "sar": sar,
            "item": item,
            "form": form,
            "may_decide": services.may("decide", sar),
            "nav": "governance",
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request, pk: int, item_pk: int):
        sar = selectors.request_get(pk)
        item = selectors.item_get(sar, item_pk)
        initial = {
            "version": item.version,
            "decision": "" if item.decision == Decision.PENDING else item.decision,
            "exemption": item.exemption,
            "reason": item.reason,
            "redacted_text": item.redacted_text or (item.text if item.decision != Decision.REDACT else ""),
        }
        return self.render(request, sar, item, forms.DecideForm(initial=initial))

    def post(self, request, pk: int, item_pk: int):
        sar = selectors.request_get(pk)
        item = selectors.item_get(sar, item_pk)
        form = forms.DecideForm(request.POST)
        if form.is_valid():
            try:
                services.item_decide(item=item, by=request.user, **service_input(form.cleaned_data))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Decision recorded on item {item.position}.")
                return redirect(f"{reverse('subject_access:detail', args=[sar.pk])}#item-{item.pk}")
        item.refresh_from_db()
        return self.render(request, sar, item, form, status=400)


class BundleView(GovernanceMixin, View):
    """The response bundle as a PDF; its download is an export of the person, logged."""

    def get(self, request, pk: int):
        sar = selectors.request_get(pk)
        if not services.may("bundle", sar):
            messages.error(request, "Decide every flagged item before producing the response.")
            return redirect("subject_access:detail", pk=sar.pk)
        pdf = bundle.render(sar)
        services.bundle_export_log(sar=sar, by=request.user, request=request)
        return pdf_response(pdf, f"{sar.reference}.pdf")
