"""The police disclosure team's queue of applications (intake is intake.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from disclosures import forms, policy, selectors
from disclosures.models import Stage
from mash.agencies.selectors import actor_for
from mash.common.views import FilteredListView


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

    def get_queryset(self):
        # A row's columns only (selectors.APPLICATION_ROW): not the circumstances and the notes.
        return super().get_queryset().only(*selectors.APPLICATION_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["rows"] = [(a, selectors.clock_texts(a, now=now)) for a in context["object_list"]]
        context["counts"] = selectors.stage_counts(self.request.user)
        context["may_record"] = policy.may_administer(actor_for(self.request.user))
        return context
