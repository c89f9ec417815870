"""'My actions': the actions of strategy discussions given to the user or to their agency, and marking
one done."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionView
from mash.common.permissions import ActorRequiredMixin
from strategy import forms, policy, selectors, services
from strategy.views.discussion_actions import RefusedByMessage


class MyActionsView(ActorRequiredMixin, View):
    # An action is shown as part of its discussion: to those who may see a discussion.
    allowed = staticmethod(policy.may_list_discussions)

    def get(self, request):
        show_done = request.GET.get("done") == "1"
        everyone = request.GET.get("all") == "1" and is_lead_case_worker(actor_for(request.user))
        actions = list(selectors.actions_for(request.user, include_done=show_done, everyone=everyone)[:200])
        return TemplateResponse(
            request,
            "strategy/actions.html",
            {
                "nav": "actions",
                "actions": actions,
                "show_done": show_done,
                "everyone": everyone,
                "may_see_all": is_lead_case_worker(actor_for(request.user)),
                "today": timezone.localdate(),
                "form": forms.CompleteActionForm(),
            },
        )


class CompleteActionView(RefusedByMessage, RecordActionView):
    record_name, form_class, service = "action", forms.CompleteActionForm, services.action_complete
    success = "Action marked as done."

    def get_record(self, request, pk):
        return selectors.action_get_for(request.user, pk)

    def success_url(self, action):
        return reverse("strategy:actions")
