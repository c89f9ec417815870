"""Every change to a discussion from its page (mash/common/actions.py): a form, one service, back to
the page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from mash.common.actions import RecordActionView
from strategy import forms, selectors, services
from strategy.views.discussion import DiscussionView


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
    form_class, service, success = forms.AddendumForm, services.addendum_add, "Addendum added."
    anchor = "addenda"


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
        return get_object_or_404(discussion.decisions, pk=decision_pk)

    def success_url(self, decision):
        return super().success_url(decision.discussion)


class UninviteView(RefusedByMessage, DiscussionAction):
    record_name, form_class, service = "invitation", forms.UninviteForm, services.invitation_remove
    success, anchor = "Invitation withdrawn.", "attendance"

    def get_record(self, request, pk, invitation_pk):
        discussion = super().get_record(request, pk)
        return get_object_or_404(discussion.invitations, pk=invitation_pk)

    def success_url(self, invitation):
        return super().success_url(invitation.discussion)
