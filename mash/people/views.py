from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import ListView

from mash.agencies.selectors import actor_for
from mash.common.forms import apply_validation_error
from mash.people import selectors, services
from mash.people.chronology import chronology_for
from mash.people.forms import ChronologyFilterForm, MatchForm, PersonForm, PersonSearchForm
from mash.people.history import person_history_for
from mash.people.models import Person
from mash.people.policy import may_create_person
from mash.sharing import policy
from mash.sharing.models import AccessAction

# What a row of the people list shows (people/list.html).
PERSON_ROW = ("given_name", "family_name", "date_of_birth", "approximate_age", "nhs_number", "postcode")


class PersonListView(LoginRequiredMixin, ListView):
    template_name = "people/list.html"
    context_object_name = "people"
    paginate_by = 50
    extra_context = {"nav": "people"}

    def get_queryset(self):
        self.search_form = PersonSearchForm(self.request.GET or None)
        search = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        # A row's columns only (people/list.html): not the address, the aliases, the phonetic keys.
        return selectors.person_list_for(self.request.user, search=search).only(*PERSON_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shows_postcode"] = policy.shows(
            policy.list_audience(self.request.user, Person), Person, "postcode"
        )
        context["search_form"] = self.search_form
        context["may_create"] = may_create_person(actor_for(self.request.user))
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class PersonDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        person = selectors.person_get_for(request.user, pk, request=request)
        return TemplateResponse(
            request,
            "people/detail.html",
            {
                "person": person,
                # What this viewer's audience shows of the person (mash/people/policy.py).
                "shows": {
                    name: policy.shows(policy.audience_of(request.user, person), Person, name)
                    for name in ("address", "postcode")
                },
                "history": person_history_for(request.user, person),
                "nav": "people",
            },
        )


class PersonCreateView(LoginRequiredMixin, View):
    template_name = "people/create.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_create_person(actor_for(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return TemplateResponse(request, self.template_name, {"form": PersonForm(), "nav": "people"})

    def post(self, request):
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                person = services.person_create(**form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{person.full_name} added.")
                return redirect("people:detail", pk=person.pk)
        return TemplateResponse(request, self.template_name, {"form": form, "nav": "people"}, status=400)


class PersonMatchView(LoginRequiredMixin, View):
    """The people who may be the one being typed (an htmx partial)."""

    def get(self, request):
        form = MatchForm(request.GET)
        matches = []
        if form.is_valid():
            matches = selectors.person_matches_for(request.user, **form.cleaned_data)
        return TemplateResponse(
            request, "people/_matches.html", {"matches": matches, "searched": form.is_valid()}
        )


class PersonChronologyView(LoginRequiredMixin, View):
    """A person's chronology: every event about them that the viewer may see, in date order, filtered
    by kind of record and period (mash/people/chronology.py). Opened by whoever may see the person,
    as their page is; the read is logged (the printable version as a print)."""

    template_name = "people/chronology.html"

    action = AccessAction.VIEW

    def get_person(self, request, pk: int):
        return selectors.person_get_for(request.user, pk, request=request)

    def get(self, request, pk: int):
        person = self.get_person(request, pk)
        events = chronology_for(request.user, person)
        selectors.chronology_read(request.user, person, events, request=request, action=self.action)
        form = ChronologyFilterForm(request.GET or None, categories=selectors.chronology_categories(events))
        shown = events
        if form.is_bound and form.is_valid():
            shown = selectors.chronology_filtered(events, **form.cleaned_data)
        return TemplateResponse(
            request,
            self.template_name,
            {
                "person": person,
                "events": shown,
                "total": len(events),
                "filter_form": form,
                "query": request.GET.urlencode(),
                "nav": "people",
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )


class PersonChronologyPrintView(PersonChronologyView):
    """The chronology without the site's navigation, to print from the browser."""

    template_name = "people/chronology_print.html"
    action = AccessAction.PRINT

    def get_person(self, request, pk: int):
        return selectors.person_print_get_for(request.user, pk, request=request)
