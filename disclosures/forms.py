from collections import Counter

from django import forms
from django.contrib.auth import get_user_model

from disclosures.models import PersonRole, Route, Scheme, Stage
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from mash.common.dates import GovukDateTimeField
from mash.common.form_errors import GovukErrorsMixin, RowNamingFormSet, ordinal
from mash.common.forms import FixedFilterForm, VersionedForm
from mash.common.grading_forms import GradedEntryForm
from mash.people.forms import PersonChoiceForm


class QueueFilterForm(FixedFilterForm):
    stage = forms.ChoiceField(required=False, choices=[("", "Any open stage"), *Stage.choices])


class ApplicationForm(GovukErrorsMixin, forms.Form):
    scheme = forms.ChoiceField(
        label="Scheme",
        choices=Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the scheme.", "invalid_choice": "Choose the scheme."},
    )
    route = forms.ChoiceField(
        label="How it came in",
        choices=Route.choices,
        error_messages={
            "required": "Choose how the application came in.",
            "invalid_choice": "Choose how the application came in.",
        },
    )
    received_at = GovukDateTimeField(
        label="Received",
        called="The date and time received",
        required=False,
        help_text="Leave empty for now.",
    )
    circumstances = forms.CharField(
        label="Why the application is made",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the application is made."},
    )
    applicant_relation = forms.CharField(
        label="The applicant's relation to the person at risk or the child", max_length=200, required=False
    )
    applicant_contact = forms.CharField(
        label="How to contact the applicant safely", max_length=300, required=False
    )
    # Asked only when an open application about the same subject exists (the page shows it).
    not_a_duplicate = forms.BooleanField(
        label="This is a new application, not a duplicate of the open application shown", required=False
    )


# One person often holds two roles: the applicant who is herself at risk.
APPLICANT_AT_RISK = "applicant+at_risk"
ROLE_CHOICES = [(APPLICANT_AT_RISK, "Applicant, and the person at risk"), *PersonRole.choices]
# How a message names the person of a row, by their role ('Enter the given name of the subject').
ROLE_NOUNS = {
    APPLICANT_AT_RISK: "the applicant",
    PersonRole.APPLICANT: "the applicant",
    PersonRole.SUBJECT: "the subject",
    PersonRole.AT_RISK: "the person at risk",
    PersonRole.CHILD: "the child",
}


def split_role(value: str) -> tuple[str, tuple[str, ...]]:
    """The role a row gives, and any further role the same person holds."""
    if value == APPLICANT_AT_RISK:
        return PersonRole.APPLICANT, (PersonRole.AT_RISK,)
    return value, ()


class PersonForm(PersonChoiceForm):
    """Someone in the application, in a role: the details typed in, or a known person chosen from
    the matches shown once they were typed (``match``: a person's id, or "new"). Its messages name
    the person by their role (``row_name``, which the formset gives before validating:
    'Enter the given name of the subject', mash/common/form_errors.py)."""

    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=PersonRole.APPLICANT)
    match = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["role", "match"]
    name_missing = "Enter {the}."

    @property
    def who(self) -> str:
        return self.row_name or "the person"

    def chosen(self) -> int | None:
        match = self.cleaned_data.get("match", "")
        return int(match) if match.isdigit() else None

    def about(self, message: str) -> str:
        """A message about this person as a whole (a service's), saying whom it is about."""
        return f"{self.who[:1].upper()}{self.who[1:]}: {message}"


class BasePersonFormSet(RowNamingFormSet):
    row_noun = "person"

    def full_clean(self):
        self.name_people()
        super().full_clean()

    def name_people(self) -> None:
        """Name each typed-in row's person by their role, with 'first', 'second' when two share it
        ('the second child'), rather than by their place."""
        typed = [form for form in self.forms if form.has_changed()]
        nouns = [ROLE_NOUNS.get(form["role"].value(), "the person") for form in typed]
        counts, seen = Counter(nouns), Counter()
        for form, noun in zip(typed, nouns, strict=True):
            seen[noun] += 1
            if counts[noun] > 1:
                noun = noun.replace("the ", f"the {ordinal(seen[noun] - 1)} ", 1)
            form.row_name = noun


PersonFormSet = forms.formset_factory(
    PersonForm, formset=BasePersonFormSet, extra=4, max_num=12, validate_max=True
)


class InitialCheckForm(VersionedForm):
    form_name = "check_form"

    immediate_risk = forms.TypedChoiceField(
        label="Is there an immediate risk of harm?",
        choices=[("yes", "Yes: start an urgent safeguarding response"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether there is an immediate risk."},
    )
    notes = forms.CharField(
        label="What was checked and found",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record what was checked and what was found."},
    )


class VerificationForm(VersionedForm):
    form_name = "verify_form"

    identity_method = forms.CharField(
        label="How the identity was verified",
        max_length=200,
        error_messages={"required": "Say how the identity was verified."},
    )
    meeting_at = GovukDateTimeField(
        label="Face-to-face meeting", called="The date and time of the face-to-face meeting"
    )
    notes = forms.CharField(
        label="Notes of the meeting", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResearcherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(VersionedForm):
    form_name = "assign_form"

    researcher = ResearcherChoiceField(label="Researcher", queryset=None)

    def __init__(self, *args, agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researcher"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                membership__agency_id=agency_id,
                membership__roles__name=Role.AGENCY_RESEARCHER,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class WithdrawForm(VersionedForm):
    form_name = "withdraw_form"

    reason = forms.CharField(
        label="Why the application is withdrawn",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the application is withdrawn."},
    )


class SectionForm(VersionedForm):
    form_name = "section_form"

    nothing_found = forms.BooleanField(label="Checked, nothing found", required=False)
    note = forms.CharField(label="What was checked", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(GradedEntryForm):
    """The core's graded-entry form (with the 3x5x2 for police systems)."""

    form_name = "entry_form"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SummaryForm(VersionedForm):
    form_name = "summary_form"

    summary = forms.CharField(
        label="Summary for the decision maker", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReturnForm(forms.Form):
    form_name = "return_form"

    comments = forms.CharField(
        label="What the researcher should look at again",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the researcher should look at again."},
    )


class ForumForm(VersionedForm):
    form_name = "forum_form"

    agencies = forms.ModelMultipleChoiceField(
        label="Agencies taking part",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the agencies taking part."},
        help_text="They see this application's summary (never the research package) until the decision.",
    )

    def clean_agencies(self):
        return list(self.cleaned_data["agencies"])


class DecisionForm(VersionedForm):
    form_name = "decision_form"

    disclose = forms.TypedChoiceField(
        label="Decision",
        choices=[("yes", "Disclose"), ("no", "Do not disclose")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to disclose."},
    )
    forum_held_at = GovukDateTimeField(
        label="When the multi-agency forum met", called="The date and time the forum met", required=False
    )
    forum_participants = forms.CharField(
        label="Who took part in the forum", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    forum_agencies = forms.ModelMultipleChoiceField(
        label="Agencies represented",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    marac_referral = forms.BooleanField(label="High risk: referred to MARAC", required=False)
    lawful = forms.CharField(label="Lawful: why", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    necessary = forms.CharField(
        label="Necessary: why", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    proportionate = forms.CharField(
        label="Proportionate: why", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    wording = forms.CharField(
        label="What will be disclosed (the words to be used)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recipient_name = forms.CharField(
        label="To whom: the person best placed to protect", max_length=200, required=False
    )
    recipient_relation = forms.CharField(label="Their relation", max_length=200, required=False)
    no_disclosure_reason = forms.CharField(
        label="No disclosure: the reason", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    applicant_told = forms.CharField(
        label="No disclosure: what the applicant was told",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_forum_agencies(self):
        return list(self.cleaned_data["forum_agencies"])


class DisclosureForm(VersionedForm):
    form_name = "disclosure_form"

    disclosed_at = GovukDateTimeField(label="When", called="The date and time of the disclosure")
    place = forms.CharField(label="Where", max_length=300, required=False)
    recipient_name = forms.CharField(label="Told to", max_length=200, required=False)
    recipient_relation = forms.CharField(label="Their relation", max_length=200, required=False)
    wording_used = forms.CharField(
        label="The words used", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    warning_given = forms.BooleanField(
        label="They were told the disclosure is confidential and may not be shared further", required=False
    )
    warning_acknowledged = forms.BooleanField(label="They acknowledged the warning", required=False)
    safety_plan = forms.CharField(
        label="Safety plan", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
