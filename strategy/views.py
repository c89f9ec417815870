"""Pages: the decision makers' queue, the threshold decision, convening, the discussion page (usable
during the meeting), and 'my actions'. Views are thin: a form, one service, a redirect."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import Calendar, describe_clock
from mash.common.actions import RecordActionView
from mash.common.permissions import ActorRequiredMixin
from mash.sharing import policy as sharing_policy
from referrals import selectors as referral_selectors
from referrals import services as referral_services
from referrals.models import ReferralKind, RequestStatus, State
from referrals.requests.selectors import collation_for
from strategy import forms, policy, selectors, services
from strategy.models import (
    Attendance,
    DiscussionStatus,
    Invitation,
    Section47Finding,
    StrategyDiscussion,
    SubjectDecision,
)

# The parts of the discussion page that are not for every audience (strategy/policy.py decides).
PAGE_SECTIONS = ("notes", "rationale", "addenda", "cancellation_reason", "strategy_clock")


class LeadOnlyMixin(LoginRequiredMixin):
    """Pages of the lead agency's case workers (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_lead_case_worker(actor_for(request.user)):
            raise PermissionDenied("The strategy queue is for the lead agency's case workers.")
        return super().dispatch(request, *args, **kwargs)


class QueueView(LeadOnlyMixin, View):
    def get(self, request):
        awaiting = list(selectors.threshold_queue(request.user)[:200])
        strategy = list(selectors.awaiting_discussion(request.user)[:200])
        # One calendar for the page: each Calendar() reads the working pattern.
        calendar, now = Calendar(), timezone.now()
        due = referral_selectors.due_descriptions(awaiting, now=now, calendar=calendar)
        upcoming = list(
            selectors.discussions_for(request.user, status=DiscussionStatus.SCHEDULED).order_by(
                "scheduled_at"
            )[:50]
        )
        return TemplateResponse(
            request,
            "strategy/queue.html",
            {
                "nav": "strategy",
                "awaiting": [(r, due[r.pk]) for r in awaiting],
                "strategy": [
                    (d, describe_clock(d.strategy_clock, now=now, calendar=calendar)) for d in strategy
                ],
                "upcoming": upcoming,
            },
        )


def _answered(referral):
    return referral.information_requests.filter(status=RequestStatus.ANSWERED).select_related("agency")


class ThresholdView(LeadOnlyMixin, RecordActionView):
    """The threshold decision: required, on to convening; not required, the referral's outcome too."""

    template_name = "strategy/threshold.html"
    record_name, form_class, service = "referral", forms.ThresholdForm, services.threshold_decide

    def get_record(self, request, pk):
        return referral_selectors.referral_get_for(request.user, pk, request=request)

    def form_kwargs(self, request, referral):
        return {
            "answers": _answered(referral),
            "outcomes": referral_services.outcomes_for(referral.kind),
            "adult": referral.kind == ReferralKind.ADULT,
        }

    def render(self, request, referral, form, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "strategy",
                "referral": referral,
                "form": form,
                "subjects": referral_selectors.referral_detail_parts(referral)["subjects"],
                "collation": collation_for(request.user, referral),
                "due": referral_selectors.due_descriptions([referral])[referral.pk],
                "may_decide": policy.may_decide_threshold(actor_for(request.user)),
            },
            status=status,
        )

    def get(self, request, pk: int):
        referral = self.get_record(request, pk)
        form = self.form_class(initial={"version": referral.version}, **self.form_kwargs(request, referral))
        return self.render(request, referral, form)

    def get_success_message(self, referral, decision):
        if decision.required:
            return "Threshold decision recorded: convene the strategy discussion."
        return "Threshold decision and outcome recorded."

    def get_success_url(self, referral, decision):
        if decision.required:
            return reverse("strategy:convene", args=[referral.pk])
        return reverse("referrals:detail", args=[referral.pk])

    def render_failure(self, request, referral, form):
        referral.refresh_from_db()
        return self.render(request, referral, form, status=400)


class ConveneView(LeadOnlyMixin, RecordActionView):
    template_name = "strategy/convene.html"
    record_name, form_class, service = "referral", forms.ConveneForm, services.discussion_convene
    success = "Discussion convened; the invitations are on their way."

    def get_record(self, request, pk):
        return referral_selectors.referral_get_for(request.user, pk, request=request)

    def form_kwargs(self, request, referral):
        return {"answers": _answered(referral)}

    def render(self, request, referral, form, status=200):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "strategy",
                "referral": referral,
                "form": form,
                "threshold": services.latest_required(referral),
                "clock": describe_clock(getattr(services.latest_required(referral), "strategy_clock", None)),
            },
            status=status,
        )

    def get(self, request, pk: int):
        referral = self.get_record(request, pk)
        if referral.state != State.STRATEGY_DISCUSSION:
            messages.info(request, "This referral is not waiting for a strategy discussion.")
            return redirect("referrals:detail", pk=referral.pk)
        answers = _answered(referral)
        form = self.form_class(
            answers=answers,
            initial={
                "chair": request.user if policy.may_chair(actor_for(request.user)) else None,
                "considered": list(answers),
                "scheduled_at": timezone.localtime().replace(second=0, microsecond=0),
            },
        )
        return self.render(request, referral, form)

    def get_success_url(self, referral, discussion):
        return reverse("strategy:discussion", args=[discussion.pk])

    def render_failure(self, request, referral, form):
        return self.render(request, referral, form, status=400)


class DiscussionListView(ActorRequiredMixin, View):
    allowed = staticmethod(policy.may_list_discussions)

    def get(self, request):
        discussions = list(selectors.discussions_for(request.user)[:100])
        return TemplateResponse(
            request,
            "strategy/discussions.html",
            {
                "nav": "discussions",
                "discussions": discussions,
                "user_is_lead": is_lead_case_worker(actor_for(request.user)),
            },
        )


class DiscussionView(LoginRequiredMixin, View):
    template_name = "strategy/discussion.html"

    def context(self, request, discussion, **bound):
        actor = actor_for(request.user)
        parts = selectors.discussion_parts(discussion)
        subjects = services.subjects_of(discussion)
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


class DiscussionAction(RecordActionView):
    """One change to a discussion (mash/common/actions.py): a form, one service, back to the page at
    ``anchor`` (or the page again with the form's errors)."""

    record_name = "discussion"
    anchor = ""

    def get_record(self, request, pk):
        return selectors.discussion_get_for(request.user, pk, request=request)

    def success_url(self, discussion):
        return reverse("strategy:discussion", args=[discussion.pk]) + f"#{self.anchor}"

    def render_failure(self, request, discussion, form):
        name = self.get_form_name().removesuffix("_form")
        discussion.refresh_from_db()
        view = DiscussionView()
        context = view.context(request, discussion, **{name: form, "failed": name})
        return TemplateResponse(request, view.template_name, context, status=400)


class AttendanceView(DiscussionAction):
    form_class, service, success = forms.AttendanceForm, services.attendance_record, "Attendance recorded."
    anchor = "attendance"

    def form_kwargs(self, request, discussion):
        return {"invitations": discussion.invitations.select_related("agency", "user")}

    def service_kwargs(self, request, discussion, form):
        return {
            "discussion": discussion,
            "by": request.user,
            "attendance": form.attendance(),
            "expected_version": form.cleaned_data["version"],
        }


class RecordView(DiscussionAction):
    form_class, service, success, anchor = forms.RecordForm, services.record_update, "Notes saved.", "record"


class DecisionsView(DiscussionAction):
    form_class, service, success = forms.DecisionsForm, services.decisions_record, "Decisions recorded."
    anchor = "decisions"

    def form_kwargs(self, request, discussion):
        return {
            "subjects": services.subjects_of(discussion),
            "decisions": services.decisions_for(discussion.referral.kind),
        }

    def service_kwargs(self, request, discussion, form):
        decisions = [
            services.DecisionInput(person=person, decision=decision, rationale=rationale)
            for person, decision, rationale in form.chosen()
        ]
        return {
            "discussion": discussion,
            "by": request.user,
            "decisions": decisions,
            "expected_version": form.cleaned_data["version"],
        }


class ActionAddView(DiscussionAction):
    form_class, service, anchor = forms.ActionForm, services.action_add, "actions"
    success = "Action added; its owner has been told."


class RescheduleView(DiscussionAction):
    form_class, service = forms.RescheduleForm, services.discussion_reschedule
    success = "Discussion re-scheduled; everyone invited has been told."


class CancelView(DiscussionAction):
    form_class, service = forms.CancelForm, services.discussion_cancel
    success = "Discussion cancelled; everyone invited has been told."


class InviteView(DiscussionAction):
    form_class, service, anchor = forms.InviteForm, services.invitations_add, "attendance"
    success = "Invited; they have been sent the invitation."


class SignOffView(DiscussionAction):
    form_class, service = forms.SignOffForm, services.discussion_sign_off
    success = "Record signed off: the referral has its outcome."


class AddendumView(DiscussionAction):
    form_class, service, success, anchor = (
        forms.AddendumForm,
        services.addendum_add,
        "Addendum added.",
        "addenda",
    )


class RefusedByMessage:
    """An action from a list (a button per row): a refusal is a message on the page it came from."""

    def render_failure(self, request, record, form):
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(self.success_url(record))


class FindingView(RefusedByMessage, DiscussionAction):
    record_name, form_class, service = "decision", forms.FindingForm, services.finding_record
    success, anchor = "Finding recorded.", "decisions"

    def get_record(self, request, pk, decision_pk):
        discussion = super().get_record(request, pk)
        return get_object_or_404(SubjectDecision, pk=decision_pk, discussion=discussion)

    def success_url(self, decision):
        return super().success_url(decision.discussion)


class UninviteView(RefusedByMessage, DiscussionAction):
    record_name, form_class, service = "invitation", forms.UninviteForm, services.invitation_remove
    success, anchor = "Invitation withdrawn.", "attendance"

    def get_record(self, request, pk, invitation_pk):
        discussion = super().get_record(request, pk)
        return get_object_or_404(Invitation, pk=invitation_pk, discussion=discussion)

    def success_url(self, invitation):
        return super().success_url(invitation.discussion)


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
