from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from mash.agencies.selectors import actor_for


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = actor_for(self.request.user)
        context["actor"] = actor
        context["roles"] = sorted(actor.roles)
        return context
