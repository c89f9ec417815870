from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.common.dates import GovukDateField, GovukDateTimeField, format_datetime
from mash.common.forms import VersionedForm
from referrals.models import Outcome
from strategy.models import Attendance, Mode, Section47Finding
from strategy.services import Invitee, RatingInput, rating_problems


class AnswersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return (
            f"{obj.agency.name}: answered {format_datetime(obj.answered_at)}"
            if obj.answered_at
            else obj.agency.name
        )


RATING_CHOICES = [("", "Not rated"), ("yes", "Sufficient"), ("no", "Not sufficient")]


class ThresholdForm(VersionedForm):
    required = forms.TypedChoiceField(
        label="Is a strategy discussion required?",
        choices=[("yes", "Yes: there is reasonable cause to suspect significant harm"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a strategy discussion is required."},
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the rationale for the threshold decision."},
    )
    answers = AnswersField(label="Partner answers relied on", queryset=None, required=False)
    information_relied_on = forms.CharField(
        label="Other information relied on",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example the referral itself, earlier referrals, a call with the school.",
    )
    outcome = forms.ChoiceField(
        label="Outcome, when no discussion is required", required=False, widget=forms.RadioSelect
    )
    outcome_rationale = forms.CharField(
        label="Rationale for the outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to use the rationale above.",
    )

    def __init__(self, *args, answers=None, outcomes=(), adult=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = answers
        if adult:
            self.fields["required"].choices = [
                (
                    "yes",
                    "Yes: an adult with care and support needs may be experiencing, or at risk of, "
                    "abuse or neglect",
                ),
                ("no", "No"),
            ]
        if answers is not None and not answers.exists():
            del self.fields["answers"]
        self.fields["outcome"].choices = [
            (o.value, o.label) for o in outcomes if o != Outcome.STRATEGY_DISCUSSION
        ]
        self.rated = list(answers) if "answers" in self.fields else []
        for answer in self.rated:
            self.fields[f"sufficient_{answer.pk}"] = forms.ChoiceField(
                label=f"Was {answer.agency.name}'s answer sufficient to decide on? (optional)",
                choices=RATING_CHOICES,
                required=False,
                initial="",
                widget=forms.RadioSelect,
                help_text="Only for an answer the decision relies on.",
            )
            self.fields[f"reason_{answer.pk}"] = forms.CharField(
                label=f"Why was {answer.agency.name}'s answer not sufficient?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=(
                    f"Needed when it was not sufficient. {answer.agency.name}'s MASH managers read it as "
                    "feedback on their answers: say what was missing, not what the family said."
                ),
            )
        rating_fields = [
            name for answer in self.rated for name in (f"sufficient_{answer.pk}", f"reason_{answer.pk}")
        ]
        self.order_fields(["version", "required", "rationale", "answers", *rating_fields])

    def clean(self):
        """The ratings given, as the service takes them, checked by the service's own rule so that each
        message shows beside the answer's fields."""
        data = super().clean()
        ratings = []
        for answer in self.rated:
            sufficient = data.pop(f"sufficient_{answer.pk}", "")
            reason = data.pop(f"reason_{answer.pk}", "")
            if sufficient:
                ratings.append(RatingInput(request=answer, sufficient=sufficient == "yes", reason=reason))
        if "answers" in data:
            for pk, field, message in rating_problems(ratings, data["answers"]):
                self.add_error(f"{field}_{pk}", message)
        data["ratings"] = ratings
        return data


def decision_makers():
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__roles__name=Role.DECISION_MAKER)
        # Who may chair (strategy.policy.may_chair): the lead agency's or the police's decision makers.
        .filter(Q(membership__agency__is_lead=True) | Q(membership__agency__kind=AgencyKind.POLICE))
        .select_related("membership__agency")
        .distinct()
        .order_by("last_name", "first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.get_username()} ({obj.membership.agency.name})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.get_username()} ({obj.membership.agency.name})"


def partner_people():
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__agency__is_active=True)
        .select_related("membership__agency")
        .order_by("membership__agency__name", "last_name", "first_name")
    )


class InviteesMixin:
    """The agencies and people ticked, as the services' ``invitees`` (as the API's serializers give them)."""

    def clean(self):
        data = super().clean()
        agencies, people = data.pop("agencies", ()), data.pop("people", ())
        data["invitees"] = [Invitee(agency=a) for a in agencies]
        data["invitees"] += [Invitee(agency=u.membership.agency, user=u) for u in people]
        return data


class ConveneForm(InviteesMixin, forms.Form):
    scheduled_at = GovukDateTimeField(label="When", called="The date and time of the discussion")
    duration_minutes = forms.IntegerField(label="Length in minutes", initial=60, min_value=5, max_value=480)
    mode = forms.ChoiceField(label="How", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.VIDEO)
    location = forms.CharField(
        label="Where",
        max_length=300,
        required=False,
        help_text="The room, the dial-in number or the video link.",
    )
    chair = PersonChoiceField(label="Chair", queryset=None)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies invited",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their decision makers and MASH managers are sent the invitation.",
    )
    people = PeopleChoiceField(
        label="People invited by name",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A person invited by name is sent the invitation themselves.",
    )
    considered = AnswersField(label="Answers the discussion will consider", queryset=None, required=False)

    def __init__(self, *args, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = decision_makers()
        self.fields["people"].queryset = partner_people()
        self.fields["considered"].queryset = answers

    def clean(self):
        if not self.cleaned_data.get("agencies") and not self.cleaned_data.get("people"):
            self.add_error("agencies", "Invite at least one partner agency or person.")
        return super().clean()


class RescheduleForm(VersionedForm):
    form_name = "reschedule_form"

    scheduled_at = GovukDateTimeField(label="New date and time", called="The new date and time")
    mode = forms.ChoiceField(label="How", choices=Mode.choices, widget=forms.RadioSelect)
    location = forms.CharField(label="Where", max_length=300, required=False)
    reason = forms.CharField(
        label="Why it moves",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the discussion is re-scheduled."},
    )


class CancelForm(VersionedForm):
    form_name = "cancel_form"

    reason = forms.CharField(
        label="Why it is cancelled",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the discussion is cancelled."},
    )


class InviteForm(InviteesMixin, VersionedForm):
    form_name = "invite_form"

    agencies = forms.ModelMultipleChoiceField(
        label="Agencies",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    people = PeopleChoiceField(
        label="People invited by name", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = partner_people()


class AttendanceForm(VersionedForm):
    """One radio group per invitation (attendance-<id>)."""

    form_name = "attendance_form"

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            self.fields[f"attendance-{invitation.pk}"] = forms.ChoiceField(
                label=str(invitation),
                choices=[c for c in Attendance.choices if c[0]],
                widget=forms.RadioSelect,
                required=False,
                initial=invitation.attendance or None,
            )

    def rows(self):
        """Each invitation with its radio group (as typed, after a refusal)."""
        return [(invitation, self[f"attendance-{invitation.pk}"]) for invitation in self.invitations]

    def attendance(self) -> dict[int, str]:
        return {
            invitation.pk: self.cleaned_data[f"attendance-{invitation.pk}"]
            for invitation in self.invitations
            if self.cleaned_data.get(f"attendance-{invitation.pk}")
        }


class RecordForm(VersionedForm):
    form_name = "record_form"

    notes = forms.CharField(
        label="Discussion notes", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rationale = forms.CharField(
        label="Rationale for the decisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionsForm(VersionedForm):
    """A decision and a rationale for each child of the referral (decision-<person id>,
    rationale-<person id>), in one form: ``subjects`` are the referral's links to them (their roles)
    from ``services.decided_for``. The service refuses, all at once, each child left without one."""

    form_name = "decisions_form"

    def __init__(self, *args, subjects=(), decisions=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        self.links = list(subjects)
        self.subjects = [link.person for link in self.links]
        for person in self.subjects:
            current = existing.get(person.pk)
            self.fields[f"decision-{person.pk}"] = forms.ChoiceField(
                label=f"Decision for {person.full_name}",
                choices=[(d.value, d.label) for d in decisions],
                widget=forms.RadioSelect,
                required=False,  # the service names every child without a decision, at once
                initial=current.decision if current else None,
            )
            self.fields[f"rationale-{person.pk}"] = forms.CharField(
                label=f"Why, for {person.full_name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.rationale if current else "",
            )

    def rows(self):
        """Each child, with their role, and their two fields."""
        return [
            (link, self[f"decision-{link.person.pk}"], self[f"rationale-{link.person.pk}"])
            for link in self.links
        ]

    def chosen(self):
        return [
            (
                person,
                self.cleaned_data[f"decision-{person.pk}"],
                self.cleaned_data.get(f"rationale-{person.pk}", ""),
            )
            for person in self.subjects
            if self.cleaned_data.get(f"decision-{person.pk}")
        ]


class ActionForm(VersionedForm):
    form_name = "action_form"

    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what is to be done."},
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        error_messages={"required": "Choose the agency that owns the action."},
    )
    owner = PersonChoiceField(label="Person (optional)", queryset=None, required=False)
    due_on = GovukDateField(label="Due by", called="The date the action is due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = partner_people()


class AddendumForm(forms.Form):
    form_name = "addendum_form"

    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the addendum."},
    )


class SignOffForm(VersionedForm):
    form_name = "sign_off_form"


class FindingForm(forms.Form):
    form_name = "finding_form"

    finding = forms.ChoiceField(
        label="Finding of the section 47 enquiry",
        choices=Section47Finding.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the finding of the enquiry.",
            "invalid_choice": "Choose the finding of the enquiry.",
        },
    )


class UninviteForm(forms.Form):
    """Nothing to fill in: the invitation is in the address."""

    form_name = "uninvite_form"


class CompleteActionForm(forms.Form):
    note = forms.CharField(label="What was done", required=False, widget=forms.Textarea(attrs={"rows": 2}))
