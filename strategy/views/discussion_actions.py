"""Every change to a discussion from its page (mash/common/actions.py): a form, one service, back to
the page. The page is used during the meeting, its sections saved on their own: each section's form
posts with htmx and gets its section back (``partial_template``), so nothing typed in another is lost."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from mash.common.actions import RecordActionView
from strategy import forms, selectors, services
from strategy.views.discussion import DiscussionView


class DiscussionAction(RecordActionView):
    """One change to a discussion (mash/common/actions.py): a form, one service, back to the page at
    ``anchor`` (or the page again with the form's errors). A save made on an out-of-date copy shows
    the form as typed, at the version saved now, beside what is saved now (409)."""

    record_name = "discussion"
    anchor = ""

    def get_record(self, request, pk):
        return selectors.discussion_get_for(request.user, pk, request=request)

    def discussion_of(self, record):
        return record

    def success_url(self, discussion):
        return reverse("strategy:discussion", args=[discussion.pk]) + f"#{self.anchor}"

    def page_context(self, request, record, form, **extra):
        discussion = self.discussion_of(record)
        discussion.refresh_from_db()
        bound = {}
        if form is not None:
            if self.stale_refusal() and set(form.fields) - {"version"}:  # something was typed
                form = self.rebound(request, record, discussion.version)
            name = self.get_form_name().removesuffix("_form")
            bound = {name: form, "failed": name}
        context = DiscussionView().context(request, discussion, **bound)
        return {**context, "conflict": self.stale_refusal() is not None, **extra}

    def render_failure(self, request, record, form):
        context = self.page_context(request, record, form)
        status = 409 if context["conflict"] else 400
        return TemplateResponse(request, DiscussionView.template_name, context, status=status)

    def partial_context(self, request, record, form):
        return self.page_context(request, record, form, partial=True)


class AttendanceView(DiscussionAction):
    form_class, service, success = forms.AttendanceForm, services.attendance_record, "Attendance recorded."
    anchor, partial_template = "attendance", "strategy/_attendance.html"

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
    partial_template = "strategy/_record.html"


class DecisionsView(DiscussionAction):
    form_class, service, success = forms.DecisionsForm, services.decisions_record, "Decisions recorded."
    anchor, partial_template = "decisions", "strategy/_decisions.html"

    def form_kwargs(self, request, discussion):
        return {
            "subjects": services.decided_for(discussion.referral),
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
    success, partial_template = "Action added; its owner has been told.", "strategy/_actions.html"


class RescheduleView(DiscussionAction):
    form_class, service = forms.RescheduleForm, services.discussion_reschedule
    success = "Discussion re-scheduled; everyone invited has been told."


class CancelView(DiscussionAction):
    form_class, service = forms.CancelForm, services.discussion_cancel
    success = "Discussion cancelled; everyone invited has been told."


class KeepsTypedAttendance:
    """Inviting and withdrawing an invitation send the attendance section back: the attendance chosen
    and not yet saved comes with the request (each 'Withdraw' button is in the attendance form; the
    invite form includes its radios) and is shown again, still unsaved, at the version it was typed
    at, moved on by this save if nobody else saved in between (as static/js/sections.mjs does)."""

    def partial_context(self, request, record, form):
        context = super().partial_context(request, record, form)
        if context.get("failed") == "attendance":
            return context
        invitations = list(context["invitations"])
        typed = {
            f"attendance-{i.pk}": request.POST[f"attendance-{i.pk}"]
            for i in invitations
            if request.POST.get(f"attendance-{i.pk}", "") not in ("", i.attendance)
        }
        if typed:
            try:
                sent_at = int(request.POST.get("version", ""))
            except ValueError:
                sent_at = 0
            current = context["discussion"].version
            version = current if sent_at + 1 == current else sent_at
            context["attendance_form"] = forms.AttendanceForm(
                {"version": version, **typed, **self.saved_attendance(invitations, typed)},
                invitations=invitations,
                auto_id="attendance_%s",
            )
        return context

    @staticmethod
    def saved_attendance(invitations, typed) -> dict:
        return {
            f"attendance-{i.pk}": i.attendance
            for i in invitations
            if i.attendance and f"attendance-{i.pk}" not in typed
        }


class InviteView(KeepsTypedAttendance, DiscussionAction):
    form_class, service, anchor = forms.InviteForm, services.invitations_add, "attendance"
    success, partial_template = "Invited; they have been sent the invitation.", "strategy/_attendance.html"


class SignOffView(DiscussionAction):
    form_class, service = forms.SignOffForm, services.discussion_sign_off
    success = "Record signed off: the referral has its outcome."


class AddendumView(DiscussionAction):
    form_class, service, success = forms.AddendumForm, services.addendum_add, "Addendum added."
    anchor, partial_template = "addenda", "strategy/_addenda.html"


class RefusedByMessage:
    """An action from a list (a button per row): a refusal is a message on the page it came from (or,
    through htmx, in the section it came from)."""

    def render_failure(self, request, record, form):
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(self.success_url(record))


class FindingView(RefusedByMessage, DiscussionAction):
    record_name, form_class, service = "decision", forms.FindingForm, services.finding_record
    success, anchor = "Finding recorded.", "decisions"
    partial_template = "strategy/_decisions.html"

    def get_record(self, request, pk, decision_pk):
        discussion = super().get_record(request, pk)
        return get_object_or_404(discussion.decisions, pk=decision_pk)

    def discussion_of(self, decision):
        return decision.discussion

    def form_kwargs(self, request, decision):
        return {"auto_id": f"finding-{decision.pk}-%s"}  # as the page names each decision's radios

    def success_url(self, decision):
        return super().success_url(decision.discussion)


class UninviteView(KeepsTypedAttendance, RefusedByMessage, DiscussionAction):
    record_name, form_class, service = "invitation", forms.UninviteForm, services.invitation_remove
    success, anchor = "Invitation withdrawn.", "attendance"
    partial_template = "strategy/_attendance.html"

    def get_record(self, request, pk, invitation_pk):
        discussion = super().get_record(request, pk)
        return get_object_or_404(discussion.invitations, pk=invitation_pk)

    def discussion_of(self, invitation):
        return invitation.discussion

    def success_url(self, invitation):
        return super().success_url(invitation.discussion)
