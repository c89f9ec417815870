from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionView
from mash.common.forms import apply_validation_error
from mash.common.permissions import ActorRequiredMixin
from mash.common.views import query_without_page
from mash.people.history import people_history_for
from mash.people.selectors import person_candidates_for, person_choosable_for
from mash.sharing import policy as sharing_policy
from referrals import forms, selectors, services
from referrals import policy as referral_policy
from referrals.extensions import referral_panels
from referrals.models import Referral, State
from referrals.requests.selectors import requests_on_referral_page
from referrals.rows import queue_rows
from referrals.services import SubjectInput


class QueueView(ActorRequiredMixin, ListView):
    """The triage queue: the lead agency's open referrals, what is due first at the top."""

    allowed = staticmethod(referral_policy.may_list_referrals)

    template_name = "referrals/queue.html"
    context_object_name = "referrals"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = forms.QueueFilterForm(self.request.GET or None)
        self.filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.counts = selectors.queue_counts_for(self.request.user)
        queue = selectors.referral_queue_for(self.request.user, subjects=False, **self.filters)
        return queue.only(*selectors.QUEUE_ROW)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not any(self.filters.values()):
            # Unfiltered, the queue is exactly what the per-state counts' total counted: not twice.
            paginator.count = self.counts["total"]
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["referrals"]
        context.update(
            nav="referrals",
            filter_form=self.filter_form,
            counts=self.counts,
            rows=queue_rows(page, selectors.due_descriptions(page), selectors.subject_names_for(page)),
            query=query_without_page(self.request),
            may_record=referral_policy.may_record_referrals(actor_for(self.request.user)),
            open_states=[s for s in State if s != State.CLOSED],
        )
        return context


def _subject_inputs(user, formset) -> tuple[list[SubjectInput], list[int]]:
    """The subjects of the rows filled in without error, and the row of each; a known person the user
    may not choose is refused on its row (checked here as well as by the service: the duplicate check
    comes first)."""
    subjects, rows = [], []
    for index, form in enumerate(formset.forms):
        if not form.is_valid() or not form.has_changed():
            continue
        person = None
        if form.chosen() is not None:
            person = person_choosable_for(user, form.chosen())
            if person is None:
                form.add_error(None, "Choose a person from the matches.")
                continue
        subjects.append(form.choice(SubjectInput, person=person, role=form.cleaned_data["role"]))
        rows.append(index)
    return subjects, rows


def _apply_to_formset(form, formset, exc: ValidationError | dict, rows: list[int] | None = None) -> None:
    """Show a service's errors: 'subjects-<i>-<field>' on that subject's form, the rest on the form
    (each worded there: mash/common/form_errors.py names the person).

    ``rows`` maps the service's subject index to the formset row (the service never sees empty rows).
    """
    errors = exc if isinstance(exc, dict) else getattr(exc, "error_dict", None)
    if errors is None:
        apply_validation_error(form, exc)
        return
    rest = {}
    for key, messages_ in errors.items():
        parts = key.split("-", 2)
        index = int(parts[1]) if len(parts) == 3 and parts[0] == "subjects" and parts[1].isdigit() else None
        if index is not None and rows is not None:
            index = rows[index] if index < len(rows) else None
        if index is not None and index < len(formset.forms):
            subject_form = formset.forms[index]
            field = subject_form.fields.get(parts[2])
            # An error on the hidden 'person' choice is shown against the person as a whole.
            name = parts[2] if field is not None and not field.widget.is_hidden else None
            if name is None or name not in subject_form.errors:
                subject_form.add_error(name, ValidationError(messages_))
        elif key not in form.errors:
            rest[key] = messages_
    if rest:
        apply_validation_error(form, ValidationError(rest))


INTAKE_FIRST = (NON_FIELD_ERRORS, "kind", "received_at", "channel", "referrer_name", "referrer_organisation")
INTAKE_FIRST += ("referrer_role", "referrer_email", "referrer_phone", "referrer_relationship")
INTAKE_LAST = ("concerns", "account", "consent", "consent_reason", "consent_decided_by", "adult_wishes")
INTAKE_LAST += ("not_a_duplicate",)


class IntakeView(LoginRequiredMixin, View):
    """Record a referral: referrer, concern and several subjects, matched against people already known."""

    template_name = "referrals/intake.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not referral_policy.may_record_referrals(
            actor_for(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, form, formset, *, duplicates=None, status=200):
        rows = []
        for subject_form in formset.forms:
            data = (
                subject_form.cleaned_data
                if subject_form.is_bound and hasattr(subject_form, "cleaned_data")
                else {}
            )
            rows.append(
                {
                    "form": subject_form,
                    "matches": _candidates(request.user, subject_form) if data else [],
                    "chosen": (data or {}).get("person"),
                }
            )
        return TemplateResponse(
            request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "rows": rows,
                "duplicates": duplicates,
                "nav": "referrals",
                # The summary in the page's order: the referral and referrer, the people, the concern.
                "errors_in_order": [(form, INTAKE_FIRST), formset, (form, INTAKE_LAST)],
            },
            status=status,
        )

    def get(self, request):
        return self.render(request, forms.ReferralForm(), forms.SubjectFormSet(prefix="subjects"))

    def post(self, request):
        form = forms.ReferralForm(request.POST)
        formset = forms.SubjectFormSet(request.POST, prefix="subjects")
        # Every section checked on one submit: the form (with the service's rules on the referral),
        # each person's row (with the rules on a person's details), then what the service checks of
        # the people as a whole; none of it writes.
        valid = [form.is_valid(), formset.is_valid()]
        subjects, rows = _subject_inputs(request.user, formset)
        if all(valid) and not formset.total_error_count():
            _apply_to_formset(form, formset, services.referral_errors(subjects=subjects), rows=rows)
        if form.errors or formset.total_error_count():
            return self.render(request, form, formset, status=400)
        chosen_ids = [s.person.pk for s in subjects if s.person is not None]
        duplicates = list(selectors.possible_duplicates(request.user, chosen_ids))
        if duplicates and not form.cleaned_data["not_a_duplicate"]:
            return self.render(request, form, formset, duplicates=duplicates, status=409)
        data = {k: v for k, v in form.cleaned_data.items() if k != "not_a_duplicate"}
        try:
            referral = services.referral_create(by=request.user, subjects=subjects, **data)
        except ValidationError as exc:
            _apply_to_formset(form, formset, exc, rows=rows)
            return self.render(request, form, formset, status=400)
        messages.success(
            request,
            f"Referral {referral.reference} recorded. Decision "
            f"{selectors.due_descriptions([referral])[referral.pk]}.",
        )
        return redirect("referrals:detail", pk=referral.pk)


def _candidates(user, form) -> list:
    """Who the subject being typed may be, with why and the start of their history."""
    return person_candidates_for(user, history=3, **form.match_details())


class SubjectRowView(LoginRequiredMixin, View):
    """One more subject row for the intake form (htmx), and the formset's new total."""

    def get(self, request):
        try:
            index = int(request.GET.get("subjects-TOTAL_FORMS", ""))
        except ValueError:
            index = -1
        if not 0 <= index < forms.SubjectFormSet.max_num:
            return TemplateResponse(request, "referrals/_subject_row.html", {}, status=400)
        form = forms.SubjectFormSet(prefix="subjects").empty_form
        form.prefix = f"subjects-{index}"
        return TemplateResponse(
            request,
            "referrals/_subject_row.html",
            {
                "row": {"form": form, "matches": [], "chosen": None},
                "index": index,
                "total": index + 1,
                "oob": True,
            },
        )


class SubjectMatchView(LoginRequiredMixin, View):
    """The people who may be the subject being typed, with why and their history (an htmx partial)."""

    def get(self, request):
        prefix = request.GET.get("prefix", "")
        if not prefix.startswith("subjects-") or not prefix.removeprefix("subjects-").isdigit():
            return TemplateResponse(request, "referrals/_subject_matches.html", {"rows": []}, status=400)
        form = forms.SubjectForm(request.GET, prefix=prefix)
        form.is_valid()
        return TemplateResponse(
            request,
            "referrals/_subject_matches.html",
            {
                "matches": _candidates(request.user, form),
                "prefix": prefix,
                "chosen": form.cleaned_data.get("person"),
                "searched": any(form.match_details().values()),
            },
        )


class ReferralDetailView(LoginRequiredMixin, View):
    template_name = "referrals/detail.html"

    def context(self, request, referral, **forms_):
        actor = actor_for(request.user)
        lead = referral_policy.is_lead_case_worker(actor)
        parts = selectors.referral_page_parts(referral)
        # Every subject's history in one read of each source (mash/people/history.py).
        histories = people_history_for(request.user, [s.person for s in parts["subjects"]])
        subjects = []
        for s in parts["subjects"]:
            history = [h for h in histories[s.person.pk] if h.title != referral.reference]
            # The 5 most recent; the person's page has the rest, and says how many.
            subjects.append({"link": s, "history": history[:5], "earlier": len(history)})
        version = {"version": referral.version}
        context = {
            "information_requests": list(requests_on_referral_page(request.user, referral)),
            "referral": referral,
            "subjects": subjects,
            "timeline": parts["timeline"],
            "ratings": parts["ratings"],
            "due": selectors.due_descriptions([referral])[referral.pk],
            "nav": "referrals",
            "is_lead": lead,
            "may_triage": referral_policy.may_triage(actor),
            "may_decide": referral_policy.may_decide_outcome(actor),
            "next_states": services.allowed_next_states(referral.state),
            "can_record_outcome": referral.state in services.MANUAL_OUTCOME_FROM,
            # Several action forms share a page: each gets its own ids (auto_id) so labels stay unique.
            "rate_form": forms_.get("rate_form") or forms.RateForm(initial=version, auto_id="rate_%s"),
            "transition_form": forms_.get("transition_form") or forms.TransitionForm(initial=version),
            "outcome_form": forms_.get("outcome_form")
            or forms.OutcomeForm(
                initial=version, outcomes=services.outcomes_for(referral.kind), auto_id="outcome_%s"
            ),
            "close_form": forms_.get("close_form") or forms.CloseForm(initial=version, auto_id="close_%s"),
            "reopen_form": forms_.get("reopen_form")
            or forms.ReopenForm(initial=version, auto_id="reopen_%s"),
            "states": State,
            "panels": referral_panels(request, referral),
        }
        return context

    def get(self, request, pk: int):
        referral, audience = selectors.referral_page_for(request.user, pk, request=request)
        if audience != sharing_policy.Audience.FULL:
            # A partner agency sees the summary its audience allows (referrals/policy.py: who, concern,
            # RAG, due) and its own requests.
            return TemplateResponse(
                request,
                "referrals/summary.html",
                {
                    "referral": referral,
                    "nav": "requests",
                    "subjects": selectors.referral_page_parts(referral, full=False)["subjects"],
                    "due": selectors.due_descriptions([referral])[referral.pk],
                    "requests": list(requests_on_referral_page(request.user, referral)),
                },
            )
        return TemplateResponse(request, self.template_name, self.context(request, referral))


class ReferralAction(RecordActionView):
    """One action on a referral from its page (mash/common/actions.py): a form, one service."""

    record_name = "referral"

    def get_record(self, request, pk):
        return selectors.referral_get_for(request.user, pk, request=request)

    def success_url(self, referral):
        return reverse("referrals:detail", args=[referral.pk])

    def render_failure(self, request, referral, form):
        view = ReferralDetailView()
        referral.refresh_from_db()
        context = view.context(request, referral, **{self.get_form_name(): form})
        context["failed_action"] = self.get_form_name()
        return TemplateResponse(request, view.template_name, context, status=400)


class RateView(ReferralAction):
    form_class, service, success = forms.RateForm, services.referral_rate, "RAG rating recorded."


class TransitionView(ReferralAction):
    form_class, service, success = forms.TransitionForm, services.referral_transition, "Referral moved on."

    def get_success_url(self, referral, result):
        # Information gathering starts with asking the partner agencies: the user lands on that step.
        if result.state == State.INFORMATION_GATHERING:
            return reverse("referrals:ask", args=[referral.pk])
        return super().get_success_url(referral, result)


class OutcomeView(ReferralAction):
    form_class, service = forms.OutcomeForm, services.referral_record_outcome
    success = "Outcome recorded; the decision clock has stopped."

    def form_kwargs(self, request, referral):
        return {"outcomes": services.outcomes_for(referral.kind)}


class CloseView(ReferralAction):
    form_class, service = forms.CloseForm, services.referral_close
    success = "Referral closed and the referrer told."


class ReopenView(ReferralAction):
    form_class, service, success = forms.ReopenForm, services.referral_reopen, "Referral reopened."


class AssignToMeView(ReferralAction):
    form_class, service, success = forms.AssignToMeForm, services.referral_assign, "Assigned to you."

    def service_kwargs(self, request, referral, form):
        return {**super().service_kwargs(request, referral, form), "assignee": request.user}


__all__ = ["Referral"]
