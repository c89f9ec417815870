"""One application's page and its actions (mash/common/actions.py). Agencies at a multi-agency forum
see the application's summary only, and change nothing."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from disclosures import forms, policy, selectors, services
from mash.agencies.selectors import actor_for
from mash.common.actions import RecordActionView
from mash.sharing import policy as sharing_policy
from mash.sharing.models import AccessAction
from mash.sharing.services import access_log_write


class ApplicationView(LoginRequiredMixin, View):
    template_name = "disclosures/application.html"

    def context(self, request, application, **bound):
        actor = actor_for(request.user)
        version = {"version": application.version}
        built = {
            "check": lambda: forms.InitialCheckForm(initial=version, auto_id="check_%s"),
            "verify": lambda: forms.VerificationForm(initial=version, auto_id="verify_%s"),
            "assign": lambda: forms.AssignForm(
                initial={**version, "researcher": application.researcher_id},
                agency_id=actor.agency_id,
                auto_id="assign_%s",
            ),
            "withdraw": lambda: forms.WithdrawForm(initial=version, auto_id="withdraw_%s"),
            "forum": lambda: forms.ForumForm(initial=version, auto_id="forum_%s"),
            "decision": lambda: forms.DecisionForm(initial=version, auto_id="decision_%s"),
            "disclosure": lambda: forms.DisclosureForm(
                initial={
                    **version,
                    "recipient_name": getattr(getattr(application, "decision", None), "recipient_name", ""),
                    "wording_used": getattr(getattr(application, "decision", None), "wording", ""),
                    "disclosed_at": timezone.localtime().replace(second=0, microsecond=0),
                },
                auto_id="disclosure_%s",
            ),
        }
        context = {f"{name}_form": bound.get(name) or make() for name, make in built.items()}
        decision = getattr(application, "decision", None) if hasattr(application, "decision") else None
        context.update(
            {
                "nav": "disclosures",
                "application": application,
                "people": list(application.people.select_related("person")),
                "clocks": selectors.clock_texts(application),
                "packages": list(selectors.packages_of(request.user, application)),
                "decision": decision,
                "disclosure": getattr(application, "disclosure", None)
                if hasattr(application, "disclosure")
                else None,
                "may_administer": policy.may_administer(actor),
                "may_research": policy.may_research(actor),
                "may_decide": policy.may_decide(actor),
                "failed": bound.get("failed", ""),
                "failed_form": bound.get(bound.get("failed", "")),
            }
        )
        return context

    def get(self, request, pk: int):
        application = selectors.application_get_for(request.user, pk, request=request)
        if sharing_policy.audience_of(request.user, application) != sharing_policy.Audience.FULL:
            # A forum participant (the partner audience): the summary, never the research package.
            return TemplateResponse(
                request,
                "disclosures/summary.html",
                {
                    "application": application,
                    **selectors.application_detail_parts(request.user, application),
                    "clocks": selectors.clock_texts(application),
                },
            )
        return TemplateResponse(request, self.template_name, self.context(request, application))


def _team_only(request, record) -> None:
    """A forum participant may read the summary but change nothing: refuse as if it were not there."""
    if not policy.is_disclosure_team(actor_for(request.user)):
        access_log_write(user=request.user, obj=record, action=AccessAction.DENIED, request=request)
        raise Http404("No such record, or you may not see it.")


class ApplicationAction(RecordActionView):
    """One action on an application from its page (mash/common/actions.py): a form, one service. On a
    refusal the application page comes back with this form as typed (400)."""

    record_name = "application"

    def get_record(self, request, pk):
        application = selectors.application_get_for(request.user, pk, request=request)
        _team_only(request, application)
        return application

    def success_url(self, application):
        return reverse("disclosures:application", args=[application.pk])

    def render_failure(self, request, application, form):
        name = self.get_form_name().removesuffix("_form")
        application.refresh_from_db()
        view = ApplicationView()
        context = view.context(request, application, **{name: form, "failed": name})
        return TemplateResponse(request, view.template_name, context, status=400)


class InitialCheckView(ApplicationAction):
    form_class, service = forms.InitialCheckForm, services.initial_check_record
    success = "Initial checks recorded."


class VerificationView(ApplicationAction):
    form_class, service = forms.VerificationForm, services.verification_record
    success = "Identity verification and meeting recorded."


class AssignView(ApplicationAction):
    form_class, service = forms.AssignForm, services.researcher_assign
    success = "Researcher assigned; they have been told."

    def form_kwargs(self, request, application):
        return {"agency_id": actor_for(request.user).agency_id}


class WithdrawView(ApplicationAction):
    form_class, service = forms.WithdrawForm, services.application_withdraw
    success = "Application withdrawn and closed."


class ForumView(ApplicationAction):
    form_class, service = forms.ForumForm, services.forum_open
    success = "Forum opened: the agencies taking part can see the summary."


class DecisionView(ApplicationAction):
    form_class, service, success = forms.DecisionForm, services.decision_record, "Decision recorded."


class DisclosureView(ApplicationAction):
    form_class, service = forms.DisclosureForm, services.disclosure_record
    success = "Disclosure recorded, and entered in the dissemination log."
