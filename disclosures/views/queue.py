"""The police disclosure team's queue of applications, and intake (recording an application with its
people, matched against those already known)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View

from disclosures import forms, policy, selectors, services
from disclosures.models import PersonRole, Stage
from mash.agencies.selectors import actor_for
from mash.common.forms import apply_validation_error
from mash.common.views import FilteredListView
from mash.people.selectors import person_candidates_for, person_choosable_for


class TeamOnlyMixin(LoginRequiredMixin):
    """Pages of the police disclosure team (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.is_disclosure_team(actor_for(request.user)):
            raise PermissionDenied("Disclosure applications are for the police disclosure team.")
        return super().dispatch(request, *args, **kwargs)


class QueueView(TeamOnlyMixin, FilteredListView):
    """The open applications (or those at one stage), the most urgent first, 50 a page."""

    template_name = "disclosures/queue.html"
    filter_form_class, selector, for_user = forms.QueueFilterForm, selectors.application_queue, True
    extra_context = {"nav": "disclosures", "stages": [s for s in Stage if s != Stage.CLOSED]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(a, selectors.clock_texts(a)) for a in context["object_list"]]
        context["counts"] = selectors.stage_counts(self.request.user)
        context["may_record"] = policy.may_administer(actor_for(self.request.user))
        return context


def _person_inputs(user, formset, chosen: dict[int, str]) -> tuple[list, dict]:
    """The people typed in, and for each new one the existing people who may be the same (to choose
    from before saving: identity matching through the core)."""
    inputs, candidates = [], {}
    for index, form in enumerate(formset.forms):
        if not form.cleaned_data or not form.has_changed():
            continue
        role, also = forms.split_role(form.cleaned_data["role"])
        match = form.cleaned_data.get("match") or chosen.get(index, "")
        person = None
        if match.isdigit():
            # An id that names nobody and a person this user may not see are answered alike.
            person = person_choosable_for(user, int(match))
            if person is None:
                raise Http404
        elif match != "new":
            found = person_candidates_for(user, **form.match_details())
            if found:
                candidates[index] = found
        inputs.append(form.choice(services.PersonInput, person=person, role=role, also_roles=also))
    return inputs, candidates


# The rows the intake page starts with (also the formset's initial on POST, so untouched rows stay empty).
# The applicant who is herself at risk takes the role "Applicant, and the person at risk" on one row.
INITIAL_PEOPLE = [{"role": PersonRole.APPLICANT}, {"role": PersonRole.SUBJECT}, {"role": PersonRole.AT_RISK}]


class IntakeView(TeamOnlyMixin, View):
    template_name = "disclosures/intake.html"

    def render(self, request, form, formset, candidates=None, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "disclosures",
                "form": form,
                "formset": formset,
                "candidates": candidates or {},
                "roles": PersonRole.choices,
            },
            status=status,
        )

    def get(self, request):
        if not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied
        return self.render(
            request, forms.ApplicationForm(), forms.PersonFormSet(initial=INITIAL_PEOPLE, prefix="people")
        )

    def post(self, request):
        if not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied
        form = forms.ApplicationForm(request.POST)
        formset = forms.PersonFormSet(request.POST, initial=INITIAL_PEOPLE, prefix="people")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(request, form, formset, status=400)
        chosen = {
            int(key.removeprefix("choose-")): value
            for key, value in request.POST.items()
            if key.startswith("choose-") and key.removeprefix("choose-").isdigit()
        }
        people, candidates = _person_inputs(request.user, formset, chosen)
        if candidates:
            # Someone typed in may already be known: show who, and let the administrator choose.
            return self.render(request, form, formset, candidates=candidates, status=200)
        data = form.cleaned_data
        try:
            application = services.application_create(
                by=request.user,
                scheme=data["scheme"],
                route=data["route"],
                received_at=data["received_at"],
                circumstances=data["circumstances"],
                applicant_relation=data["applicant_relation"],
                applicant_contact=data["applicant_contact"],
                people=people,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render(request, form, formset, status=400)
        messages.success(request, f"Application {application.reference} recorded; its clocks have started.")
        return redirect("disclosures:application", pk=application.pk)
