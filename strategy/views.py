"""Pages: the decision makers' queue, the threshold decision, convening, the discussion page (usable
during the meeting), and 'my actions'. Views are thin: a form, one service, a redirect."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mash.agencies.policy import is_lead_case_worker
from mash.agencies.selectors import actor_for
from mash.clocks.calendar import Calendar, describe_clock
from mash.common.forms import apply_validation_error
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


class ThresholdView(LeadOnlyMixin, View):
    template_name = "strategy/threshold.html"

    def form(self, referral, data=None):
        return forms.ThresholdForm(
            data,
            initial={"version": referral.version},
            answers=_answered(referral),
            outcomes=referral_services.outcomes_for(referral.kind),
            adult=referral.kind == ReferralKind.ADULT,
        )

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
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        return self.render(request, referral, self.form(referral))

    def post(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        form = self.form(referral, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.threshold_decide(
                    referral=referral,
                    by=request.user,
                    required=data["required"],
                    rationale=data["rationale"],
                    information_relied_on=data["information_relied_on"],
                    answers=list(data.get("answers", [])),
                    outcome=data["outcome"],
                    outcome_rationale=data["outcome_rationale"],
                    expected_version=data["version"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if data["required"]:
                    messages.success(request, "Threshold decision recorded: convene the strategy discussion.")
                    return redirect("strategy:convene", pk=referral.pk)
                messages.success(request, "Threshold decision and outcome recorded.")
                return redirect("referrals:detail", pk=referral.pk)
        referral.refresh_from_db()
        return self.render(request, referral, form, status=400)


class ConveneView(LeadOnlyMixin, View):
    template_name = "strategy/convene.html"

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
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        if referral.state != State.STRATEGY_DISCUSSION:
            messages.info(request, "This referral is not waiting for a strategy discussion.")
            return redirect("referrals:detail", pk=referral.pk)
        answers = _answered(referral)
        form = forms.ConveneForm(
            answers=answers,
            initial={
                "chair": request.user if policy.may_chair(actor_for(request.user)) else None,
                "considered": list(answers),
                "scheduled_at": timezone.localtime().replace(second=0, microsecond=0),
            },
        )
        return self.render(request, referral, form)

    def post(self, request, pk: int):
        referral = referral_selectors.referral_get_for(request.user, pk, request=request)
        form = forms.ConveneForm(request.POST, answers=_answered(referral))
        if form.is_valid():
            data = form.cleaned_data
            invitees = [services.Invitee(agency=a) for a in data["agencies"]]
            invitees += [services.Invitee(agency=u.membership.agency, user=u) for u in data["people"]]
            try:
                discussion = services.discussion_convene(
                    referral=referral,
                    by=request.user,
                    scheduled_at=data["scheduled_at"],
                    duration_minutes=data["duration_minutes"],
                    mode=data["mode"],
                    location=data["location"],
                    chair=data["chair"],
                    invitees=invitees,
                    considered=list(data["considered"]),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Discussion convened; the invitations are on their way.")
                return redirect("strategy:discussion", pk=discussion.pk)
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


class DiscussionActionView(LoginRequiredMixin, View):
    """One change to a discussion: a form, one service, back to the page (or the page with errors)."""

    name = ""
    anchor = ""
    success = ""

    def get_form(self, request, discussion):
        raise NotImplementedError

    def perform(self, request, discussion, form):
        raise NotImplementedError

    def post(self, request, pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        form = self.get_form(request, discussion)
        if form.is_valid():
            try:
                self.perform(request, discussion, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(reverse("strategy:discussion", args=[discussion.pk]) + f"#{self.anchor}")
        discussion.refresh_from_db()
        view = DiscussionView()
        context = view.context(request, discussion, **{self.name: form, "failed": self.name})
        return TemplateResponse(request, view.template_name, context, status=400)


class AttendanceView(DiscussionActionView):
    name, anchor, success = "attendance", "attendance", "Attendance recorded."

    def get_form(self, request, discussion):
        return forms.AttendanceForm(
            request.POST,
            invitations=discussion.invitations.select_related("agency", "user"),
            auto_id="attendance_%s",
        )

    def perform(self, request, discussion, form):
        services.attendance_record(
            discussion=discussion,
            by=request.user,
            attendance=form.attendance(),
            expected_version=form.cleaned_data["version"],
        )


class RecordView(DiscussionActionView):
    name, anchor, success = "record", "record", "Notes saved."

    def get_form(self, request, discussion):
        return forms.RecordForm(request.POST, auto_id="record_%s")

    def perform(self, request, discussion, form):
        data = form.cleaned_data
        services.record_update(
            discussion=discussion,
            by=request.user,
            notes=data["notes"],
            rationale=data["rationale"],
            expected_version=data["version"],
        )


class DecisionsView(DiscussionActionView):
    name, anchor, success = "decisions", "decisions", "Decisions recorded."

    def get_form(self, request, discussion):
        return forms.DecisionsForm(
            request.POST,
            subjects=services.subjects_of(discussion),
            decisions=services.decisions_for(discussion.referral.kind),
            auto_id="decisions_%s",
        )

    def perform(self, request, discussion, form):
        services.decisions_record(
            discussion=discussion,
            by=request.user,
            decisions=[
                services.DecisionInput(person=person, decision=decision, rationale=rationale)
                for person, decision, rationale in form.chosen()
            ],
            expected_version=form.cleaned_data["version"],
        )


class ActionAddView(DiscussionActionView):
    name, anchor, success = "action", "actions", "Action added; its owner has been told."

    def get_form(self, request, discussion):
        return forms.ActionForm(request.POST, auto_id="action_%s")

    def perform(self, request, discussion, form):
        data = form.cleaned_data
        services.action_add(
            discussion=discussion,
            by=request.user,
            description=data["description"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_on=data["due_on"],
            expected_version=data["version"],
        )


class RescheduleView(DiscussionActionView):
    name, anchor, success = "reschedule", "", "Discussion re-scheduled; everyone invited has been told."

    def get_form(self, request, discussion):
        return forms.RescheduleForm(request.POST, auto_id="reschedule_%s")

    def perform(self, request, discussion, form):
        data = form.cleaned_data
        services.discussion_reschedule(
            discussion=discussion,
            by=request.user,
            scheduled_at=data["scheduled_at"],
            mode=data["mode"],
            location=data["location"],
            reason=data["reason"],
            expected_version=data["version"],
        )


class CancelView(DiscussionActionView):
    name, anchor, success = "cancel", "", "Discussion cancelled; everyone invited has been told."

    def get_form(self, request, discussion):
        return forms.CancelForm(request.POST, auto_id="cancel_%s")

    def perform(self, request, discussion, form):
        services.discussion_cancel(
            discussion=discussion,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )


class InviteView(DiscussionActionView):
    name, anchor, success = "invite", "attendance", "Invited; they have been sent the invitation."

    def get_form(self, request, discussion):
        return forms.InviteForm(request.POST, auto_id="invite_%s")

    def perform(self, request, discussion, form):
        data = form.cleaned_data
        invitees = [services.Invitee(agency=a) for a in data["agencies"]]
        invitees += [services.Invitee(agency=u.membership.agency, user=u) for u in data["people"]]
        services.invitations_add(
            discussion=discussion, by=request.user, invitees=invitees, expected_version=data["version"]
        )


class SignOffView(DiscussionActionView):
    name, anchor, success = "sign_off", "", "Record signed off: the referral has its outcome."

    def get_form(self, request, discussion):
        return forms.VersionedForm(request.POST)

    def perform(self, request, discussion, form):
        services.discussion_sign_off(
            discussion=discussion, by=request.user, expected_version=form.cleaned_data["version"]
        )


class AddendumView(DiscussionActionView):
    name, anchor, success = "addendum", "addenda", "Addendum added."

    def get_form(self, request, discussion):
        return forms.AddendumForm(request.POST, auto_id="addendum_%s")

    def perform(self, request, discussion, form):
        services.addendum_add(discussion=discussion, by=request.user, text=form.cleaned_data["text"])


class FindingView(LoginRequiredMixin, View):
    def post(self, request, pk: int, decision_pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        decision = get_object_or_404(SubjectDecision, pk=decision_pk, discussion=discussion)
        form = forms.FindingForm(request.POST)
        if form.is_valid():
            try:
                services.finding_record(
                    decision=decision, by=request.user, finding=form.cleaned_data["finding"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Finding recorded.")
        else:
            messages.error(request, "Choose the finding of the enquiry.")
        return redirect(reverse("strategy:discussion", args=[discussion.pk]) + "#decisions")


class UninviteView(LoginRequiredMixin, View):
    def post(self, request, pk: int, invitation_pk: int):
        discussion = selectors.discussion_get_for(request.user, pk, request=request)
        invitation = get_object_or_404(Invitation, pk=invitation_pk, discussion=discussion)
        try:
            services.invitation_remove(invitation=invitation, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Invitation withdrawn.")
        return redirect(reverse("strategy:discussion", args=[discussion.pk]) + "#attendance")


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


class CompleteActionView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        action = selectors.action_get_for(request.user, pk)
        form = forms.CompleteActionForm(request.POST)
        form.is_valid()
        try:
            services.action_complete(action=action, by=request.user, note=form.cleaned_data.get("note", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Action marked as done.")
        return redirect("strategy:actions")
