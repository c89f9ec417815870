"""Information governance's retention pages: the review queue, a record's decision, the rules and the
legal holds (GovernanceMixin: information governance only)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from mash.common.forms import apply_validation_error
from mash.common.views import query_without_page
from mash.retention import registry, selectors, services
from mash.retention.forms import DecisionForm, HoldForm, LiftForm, PlaceForm
from mash.retention.models import Decision
from mash.sharing.views import GovernanceMixin


def kind_or_404(key: str) -> registry.RetentionKind:
    kind = registry.kind(key)
    if kind is None:
        raise Http404
    return kind


def record_or_404(content_type_id: int, object_id: int):
    """The record a page names by its type and id, and its kind; 404 for a record of no kind."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    record = model._default_manager.filter(pk=object_id).first() if model is not None else None
    kind = registry.kind_of(record) if record is not None else None
    if kind is None:
        raise Http404
    return record, kind


class QueueView(GovernanceMixin, View):
    template_name = "retention/queue.html"

    def get(self, request):
        today = timezone.localdate()
        summaries = selectors.queue_summary(today)
        if not summaries:
            raise Http404
        key = request.GET.get("kind") or next((s.kind.key for s in summaries if s.due), summaries[0].kind.key)
        current = next((s for s in summaries if s.kind.key == key), None)
        if current is None:
            raise Http404
        page = Paginator(selectors.due_for_review(current.kind, current.rule, today), 50).get_page(
            request.GET.get("page")
        )
        held = selectors.on_hold(current.kind, current.rule, today)[:50]
        context = {
            "nav": "governance",
            "summaries": summaries,
            "current": current,
            "page_obj": page,
            "rows": selectors.rows(current.kind, current.rule, page.object_list, request.user),
            "held": selectors.rows(current.kind, current.rule, held, request.user),
            "query": query_without_page(request),
        }
        return TemplateResponse(request, self.template_name, context)


class RecordView(GovernanceMixin, View):
    template_name = "retention/record.html"

    def context(self, kind, record, form):
        rule = selectors.rules_by_kind().get(kind.key)
        [row] = selectors.rows(kind, rule, [record], self.request.user)
        history = selectors.record_history(record)
        return {"nav": "governance", "kind": kind, "row": row, "form": form, **history}

    def get(self, request, content_type_id: int, object_id: int):
        record, kind = record_or_404(content_type_id, object_id)
        return TemplateResponse(request, self.template_name, self.context(kind, record, DecisionForm()))

    def post(self, request, content_type_id: int, object_id: int):
        record, kind = record_or_404(content_type_id, object_id)
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == Decision.KEEP:
                    services.decision_keep(
                        record=record,
                        kind=kind,
                        by=request.user,
                        reason=data["reason"],
                        next_review_on=data["next_review_on"],
                    )
                    messages.success(request, "The record is kept until its next review.")
                else:
                    services.erase_record(record=record, kind=kind, by=request.user, reason=data["reason"])
                    messages.success(request, "The record's personal data has been erased.")
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect(f"{reverse('retention:queue')}?kind={kind.key}")
        return TemplateResponse(request, self.template_name, self.context(kind, record, form), status=400)


class RulesView(GovernanceMixin, View):
    template_name = "retention/rules.html"

    def get(self, request):
        rules = selectors.rules_by_kind()
        rows = [(k, rules.get(k.key)) for k in registry.kinds()]
        return TemplateResponse(request, self.template_name, {"nav": "governance", "rows": rows})


class HoldsView(GovernanceMixin, ListView):
    template_name = "retention/holds.html"
    context_object_name = "holds"
    paginate_by = 50

    def get_queryset(self):
        return selectors.live_holds()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", HoldForm())
        selectors.describe_holds(context["holds"], self.request.user)
        return context

    def post(self, request):
        form = HoldForm(request.POST)
        if form.is_valid():
            kind = kind_or_404(form.cleaned_data["kind"])
            record = kind.lookup(form.cleaned_data["reference"].strip())
            if record is None:
                form.add_error("reference", "There is no record of this kind with this reference.")
            else:
                try:
                    services.hold_place(
                        record=record, kind=kind, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, "The legal hold is placed: the record will not be erased.")
                    return redirect("retention:holds")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RecordHoldView(GovernanceMixin, View):
    """Place a legal hold on one record, or lift the one it is under."""

    template_name = "retention/record_hold.html"

    def render(self, request, record, kind, form, status=200):
        hold = services.live_hold(record)
        rule = selectors.rules_by_kind().get(kind.key)
        [row] = selectors.rows(kind, rule, [record], self.request.user)
        context = {"nav": "governance", "kind": kind, "row": row, "hold": hold, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request, content_type_id: int, object_id: int):
        record, kind = record_or_404(content_type_id, object_id)
        form = LiftForm() if services.live_hold(record) else PlaceForm()
        return self.render(request, record, kind, form)

    def post(self, request, content_type_id: int, object_id: int):
        record, kind = record_or_404(content_type_id, object_id)
        hold = services.live_hold(record)
        form = LiftForm(request.POST) if hold else PlaceForm(request.POST)
        if form.is_valid():
            try:
                if hold:
                    services.hold_lift(hold=hold, by=request.user, reason=form.cleaned_data["reason"])
                else:
                    services.hold_place(
                        record=record, kind=kind, by=request.user, reason=form.cleaned_data["reason"]
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, "The legal hold is lifted." if hold else "The legal hold is placed."
                )
                return redirect("retention:holds")
        return self.render(request, record, kind, form, status=400)
