"""The pages of a request to share outside the MASH: ask (from a record's 'Share outside the MASH'
button), the request with each item's decision and the approver's forms, the list, and the document
that leaves (a PDF made from the released items' snapshots)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import ListView

from mash.agencies.selectors import actor_for
from mash.common.forms import apply_validation_error
from mash.common.pdf import pdf_response, render_pdf
from mash.common.permissions import ActorRequiredMixin
from mash.sharing import dissemination
from mash.sharing import dissemination_selectors as selectors
from mash.sharing import dissemination_services as services
from mash.sharing.dissemination_forms import DisseminationRequestForm, ItemDecisionForm
from mash.sharing.models import AccessAction, DisseminationRequest, ItemDecision, RequestState
from mash.sharing.services import record_get

NOTICE = "Do not share this information further without the consent of the originator."


class DisseminationRequestCreateView(LoginRequiredMixin, View):
    template_name = "sharing/dissemination_request_form.html"

    def get_record(self, request, content_type_id, object_id):
        model = selectors.record_of(content_type_id, object_id)
        return record_get(
            user=request.user, queryset=model._default_manager.all(), pk=object_id, request=request
        )

    def render(self, request, record, form, status=200):
        source = dissemination.source_for(record)
        context = {"record": record, "record_label": source.label(record), "record_url": source.url(record)}
        return TemplateResponse(request, self.template_name, {**context, "form": form}, status=status)

    def get(self, request, content_type_id, object_id):
        record = self.get_record(request, content_type_id, object_id)
        choices = dissemination.items_for(request.user, record)
        return self.render(request, record, DisseminationRequestForm(choices=choices))

    def post(self, request, content_type_id, object_id):
        record = self.get_record(request, content_type_id, object_id)
        choices = dissemination.items_for(request.user, record)
        form = DisseminationRequestForm(request.POST, choices=choices)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                created = services.dissemination_request_create(
                    by=request.user, record=record, item_keys=data.pop("items"), **data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Request {created.reference} sent for approval.")
                return redirect("sharing:dissemination_request", created.pk)
        return self.render(request, record, form, status=400)


class DisseminationRequestListView(ActorRequiredMixin, ListView):
    template_name = "sharing/dissemination_requests.html"
    context_object_name = "requests"
    paginate_by = 50
    allowed = staticmethod(dissemination.may_use_requests)

    def get_queryset(self):
        self.waiting = self.request.GET.get("waiting") == "1"
        state = self.request.GET.get("state", "")
        self.state = state if state in RequestState.values else ""
        return selectors.requests_for(self.request.user, state=self.state, waiting=self.waiting)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        states = [("", "All"), *RequestState.choices]
        return {
            **context,
            "waiting": self.waiting,
            "state": self.state,
            "states": states,
            "query": query.urlencode(),
        }


def item_rows(user, dreq: DisseminationRequest, bound: dict | None = None) -> list[dict]:
    """Each item as this user may see it, with the decision form where they may decide it now."""
    actor = actor_for(user)
    rows = []
    for item in dreq.items.all():
        item.request = dreq
        form = None
        if (
            dreq.state == RequestState.AWAITING_APPROVAL
            and item.decision == ItemDecision.PENDING
            and dissemination.may_decide(actor, item)
        ):
            form = (bound or {}).get(item.pk) or ItemDecisionForm(prefix=f"item-{item.pk}", item=item)
        rows.append(
            {"item": item, "text_shown": dissemination.shows_item_text(user, dreq, item), "form": form}
        )
    return rows


class DisseminationRequestView(LoginRequiredMixin, View):
    template_name = "sharing/dissemination_request.html"

    def render(self, request, dreq, *, bound=None, status=200):
        rows = item_rows(request.user, dreq, bound)
        forms = [row["form"] for row in rows if row["form"] is not None and row["form"].is_bound]
        context = {
            "dreq": dreq,
            "rows": rows,
            "forms": forms,
            "is_requester": request.user.pk == dreq.requested_by_id,
            "may_download": dissemination.may_download(request.user, dreq),
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self.render(request, selectors.request_get_for(request.user, pk, http_request=request))

    def post(self, request, pk: int):
        """An approver's decision on one item (``item`` names it)."""
        dreq = selectors.request_get_for(request.user, pk, http_request=request)
        item = next((i for i in dreq.items.all() if str(i.pk) == request.POST.get("item")), None)
        if item is None:
            raise Http404
        form = ItemDecisionForm(request.POST, prefix=f"item-{item.pk}", item=item)
        if form.is_valid():
            try:
                services.dissemination_item_decide(item=item, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                decided = "released" if form.cleaned_data["decision"] == ItemDecision.RELEASE else "withheld"
                messages.success(request, f"{item.kind}: {decided}.")
                return redirect("sharing:dissemination_request", dreq.pk)
        if (
            not dissemination.may_decide(actor_for(request.user), item)
            or item.decision != ItemDecision.PENDING
        ):
            # No form of theirs on the page to show the refusal beside: say it at the top.
            for message in form.non_field_errors():
                messages.error(request, message)
            return redirect("sharing:dissemination_request", dreq.pk)
        return self.render(request, dreq, bound={item.pk: form}, status=400)


class DisseminationCancelView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        dreq = selectors.request_get_for(request.user, pk, http_request=request)
        try:
            services.dissemination_request_cancel(request=dreq, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Request {dreq.reference} cancelled.")
        return redirect("sharing:dissemination_request", dreq.pk)


def pdf_context(dreq: DisseminationRequest) -> dict:
    released = [item for item in dreq.items.all() if item.decision == ItemDecision.RELEASE]
    return {
        "reference": dreq.reference,
        "title": "Information shared by the MASH",
        "dreq": dreq,
        "items": released,
        "conditions": [item for item in released if item.is_code_c],
        "notice": NOTICE,
        "shared_at": dreq.completed_at,
    }


def dissemination_pdf(dreq: DisseminationRequest) -> bytes:
    """The document that leaves: made again each time from the released items' snapshots, which never
    change once decided, so every copy says the same."""
    return render_pdf("sharing/dissemination.pdf.html", pdf_context(dreq))


class DisseminationPdfView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        dreq = selectors.request_get_for(
            request.user,
            pk,
            http_request=request,
            action=AccessAction.EXPORT,
            allowed=dissemination.may_download,
        )
        return pdf_response(dissemination_pdf(dreq), f"{dreq.reference}.pdf")
