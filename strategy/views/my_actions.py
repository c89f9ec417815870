"""'My actions': the actions of strategy discussions given to the user or to their agency, and marking
one done."""

from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionView
from mash.common.permissions import ActorRequiredMixin
from mash.common.views import query_without_page
from strategy import forms, policy, selectors, services
from strategy.views.discussion_actions import RefusedByMessage


class MyActionsView(ActorRequiredMixin, ListView):
    """The user's actions (with ``done=1`` the done ones too; a lead case worker's ``all=1``, every
    action), the earliest due first, 50 a page."""

    # An action is shown as part of its discussion: to those who may see a discussion.
    allowed = staticmethod(policy.may_list_discussions)
    template_name = "strategy/actions.html"
    context_object_name = "actions"
    paginate_by = 50
    extra_context = {"nav": "actions"}

    def get_queryset(self):
        self.may_see_all = is_lead_case_worker(actor_for(self.request.user))
        self.show_done = self.request.GET.get("done") == "1"
        self.everyone = self.request.GET.get("all") == "1" and self.may_see_all
        user, done, everyone = self.request.user, self.show_done, self.everyone
        # A row's columns only (strategy/actions.html): not the discussion's and the referral's texts.
        return selectors.actions_for(user, include_done=done, everyone=everyone).only(*selectors.ACTION_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            query=query_without_page(self.request),
            show_done=self.show_done,
            everyone=self.everyone,
            may_see_all=self.may_see_all,
            today=timezone.localdate(),
            form=forms.CompleteActionForm(),
        )
        return context


class CompleteActionView(RefusedByMessage, RecordActionView):
    record_name, form_class, service = "action", forms.CompleteActionForm, services.action_complete
    success = "Action marked as done."

    def get_record(self, request, pk):
        return selectors.action_get_for(request.user, pk)

    def success_url(self, action):
        return reverse("strategy:actions")
