"""The discussions list and the discussion page (usable during the meeting)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import describe_clock
from mash.common.permissions import ActorRequiredMixin
from mash.common.views import query_without_page
from mash.sharing import policy as sharing_policy
from strategy import forms, policy, selectors, services
from strategy.models import Attendance, Section47Finding, StrategyDiscussion

# The parts of the discussion page that are not for every audience (strategy/policy.py decides).
PAGE_SECTIONS = ("notes", "rationale", "addenda", "cancellation_reason", "strategy_clock")


class DiscussionListView(ActorRequiredMixin, ListView):
    """The discussions the user may see, the latest first, 50 a page."""

    allowed = staticmethod(policy.may_list_discussions)
    template_name = "strategy/discussions.html"
    context_object_name = "discussions"
    paginate_by = 50
    extra_context = {"nav": "discussions"}

    def get_queryset(self):
        # A row's columns only (strategy/_discussion_table.html): not the notes and the referral's texts.
        return selectors.discussions_for(self.request.user).only(*selectors.DISCUSSION_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = query_without_page(self.request)
        context["user_is_lead"] = is_lead_case_worker(actor_for(self.request.user))
        return context


class DiscussionView(LoginRequiredMixin, View):
    template_name = "strategy/discussion.html"

    def context(self, request, discussion, **bound):
        actor = actor_for(request.user)
        parts = selectors.discussion_parts(discussion)
        subjects = services.decided_for(discussion.referral)
        version = {"version": discussion.version}
        existing = {d.person_id: d for d in parts["decisions"]}
        built = {
            "attendance": lambda: forms.AttendanceForm(
                initial=version, invitations=parts["invitations"], auto_id="attendance_%s"
            ),
            "record": lambda: forms.RecordForm(
                initial={**version, "notes": discussion.notes, "rationale": discussion.rationale},
                auto_id="record_%s",
            ),
            "decisions": lambda: forms.DecisionsForm(
                initial=version,
                subjects=subjects,
                decisions=services.decisions_for(discussion.referral.kind),
                existing=existing,
                auto_id="decisions_%s",
            ),
            "action": lambda: forms.ActionForm(initial=version, auto_id="action_%s"),
            "reschedule": lambda: forms.RescheduleForm(
                initial={
                    **version,
                    "scheduled_at": timezone.localtime(discussion.scheduled_at),
                    "mode": discussion.mode,
                    "location": discussion.location,
                },
                auto_id="reschedule_%s",
            ),
            "cancel": lambda: forms.CancelForm(initial=version, auto_id="cancel_%s"),
            "invite": lambda: forms.InviteForm(initial=version, auto_id="invite_%s"),
            "addendum": lambda: forms.AddendumForm(auto_id="addendum_%s"),
        }
        context = {name + "_form": bound.get(name) or make() for name, make in built.items()}
        audience = sharing_policy.audience_of(request.user, discussion)
        context.update(
            {
                "nav": "discussions",
                "discussion": discussion,
                # What this viewer's audience shows of the record: an invited agency, the partner fields.
                "shows": {
                    name: sharing_policy.shows(audience, StrategyDiscussion, name) for name in PAGE_SECTIONS
                },
                "referral": discussion.referral,
                "is_lead": is_lead_case_worker(actor),
                "may_manage": policy.may_manage(actor, discussion),
                "answers": selectors.considered_answers(request.user, discussion, request=request),
                "subjects": parts["subjects"],
                "decisions": parts["decisions"],
                "invitations": parts["invitations"],
                "actions": parts["actions"],
                "addenda": parts["addenda"],
                "problems": services.sign_off_problems(discussion) if discussion.is_open else {},
                "clock": describe_clock(discussion.threshold_decision.strategy_clock)
                if sharing_policy.shows(audience, StrategyDiscussion, "strategy_clock")
                else "",
                "attendance_choices": [c for c in Attendance.choices if c[0]],
                "finding_choices": Section47Finding.choices,
                "failed": bound.get("failed", ""),
                "failed_form": bound.get(bound.get("failed", "")),
            }
        )
        return context

    def get(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        return TemplateResponse(request, self.template_name, self.context(request, discussion))
