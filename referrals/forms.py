from django import forms
from django.utils import timezone

from mash.common.dates import GovukDateTimeField
from mash.common.form_errors import GovukErrorsMixin, RowNamingFormSet
from mash.common.forms import FixedFilterForm, VersionedForm
from mash.people.forms import PersonChoiceForm
from referrals.models import Channel, Concern, Consent, Outcome, Rag, ReferralKind, State, SubjectRole
from referrals.services.intake import (
    CONCERNS_MISSING,
    NO_SUBJECT_ROLE,
    NO_SUBJECTS,
    REFERRAL_FIELDS,
    referral_errors,
)


class ReferralForm(GovukErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Is the referral about a child or an adult?",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        initial=ReferralKind.CHILD,
    )
    received_at = GovukDateTimeField(
        label="Received",
        called="The date and time received",
        required=False,
        help_text="Leave empty for now.",
    )
    channel = forms.ChoiceField(
        label="How it came in",
        choices=Channel.choices,
        error_messages={"required": "Choose how the referral came in."},
    )
    referrer_name = forms.CharField(
        label="Referrer's name", max_length=200, error_messages={"required": "Enter the referrer's name."}
    )
    referrer_organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    referrer_role = forms.CharField(label="Role", max_length=200, required=False)
    referrer_email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="The outcome is e-mailed here when the referral closes.",
    )
    referrer_phone = forms.CharField(label="Phone", max_length=40, required=False)
    referrer_relationship = forms.CharField(
        label="Relationship to the subject", max_length=200, required=False
    )
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CONCERNS_MISSING},
    )
    account = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The account of the concern, in the referrer's words where possible.",
        error_messages={"required": "Enter what happened."},
    )
    consent = forms.ChoiceField(
        label="Consent to share",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether there is consent to share."},
    )
    consent_reason = forms.CharField(
        label="Why consent was not sought or was overridden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_decided_by = forms.CharField(
        label="Who decided to override consent", required=False, max_length=200
    )
    adult_wishes = forms.CharField(
        label="The adult's own wishes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For an adult: what they want to happen (Making Safeguarding Personal).",
    )
    not_a_duplicate = forms.BooleanField(
        label="This is a new referral, not a duplicate of the open referral shown", required=False
    )

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError("The time received cannot be in the future.")
        return value

    def clean(self):
        data = super().clean()
        # The service's rules on the referral itself, with the form's own: every error at once.
        fields = {k: v for k, v in data.items() if k in REFERRAL_FIELDS}
        for name, errors in referral_errors(**fields).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, errors)
        return data


class SubjectForm(PersonChoiceForm):
    """A subject of the referral: a person chosen from the matches shown as the details are typed
    (the radios of templates/people/_choose.html send ``person``), or a new one; in a role."""

    role = forms.ChoiceField(choices=SubjectRole.choices, initial=SubjectRole.SUBJECT)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    postcode = forms.CharField(max_length=10, required=False)

    field_order = ["role", "person"]
    name_missing = "Enter {the}, or choose a matching person."

    def chosen(self) -> int | None:
        return self.cleaned_data.get("person")


class BaseSubjectFormSet(RowNamingFormSet):
    row_noun = "person"

    def clean(self):
        if any(self.errors):
            return
        chosen = [f.cleaned_data for f in self.forms if f.cleaned_data and f.has_changed()]
        if not chosen:
            raise forms.ValidationError(NO_SUBJECTS)
        if not any(c.get("role") == SubjectRole.SUBJECT for c in chosen):
            raise forms.ValidationError(NO_SUBJECT_ROLE)


SubjectFormSet = forms.formset_factory(
    SubjectForm, formset=BaseSubjectFormSet, extra=2, max_num=12, validate_max=True
)


class QueueFilterForm(FixedFilterForm):
    state = forms.ChoiceField(
        required=False,
        choices=[("", "Any open state"), *[(s.value, s.label) for s in State if s != State.CLOSED]],
    )
    rag = forms.ChoiceField(label="RAG", required=False, choices=[("", "Any rating"), *Rag.choices])
    assigned_to_me = forms.BooleanField(label="Assigned to me", required=False)
    breached = forms.BooleanField(label="Past the decision deadline", required=False)


class RateForm(VersionedForm):
    form_name = "rate_form"
    rating = forms.ChoiceField(label="RAG rating", choices=Rag.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the rationale for this rating."},
    )


class TransitionForm(VersionedForm):
    form_name = "transition_form"
    to_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(VersionedForm):
    form_name = "outcome_form"
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the rationale for the outcome."},
    )

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]


class CloseForm(VersionedForm):
    form_name = "close_form"
    feedback_note = forms.CharField(
        label="How the referrer was told",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only needed when there is no e-mail address for the referrer.",
    )


class ReopenForm(VersionedForm):
    form_name = "reopen_form"
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the referral is being reopened."},
    )


class AssignToMeForm(VersionedForm):
    form_name = "assign_form"


class ConsultationForm(GovukErrorsMixin, forms.Form):
    caller_name = forms.CharField(label="Caller's name", max_length=200)
    caller_organisation = forms.CharField(label="Organisation", max_length=200)
    caller_role = forms.CharField(label="Role", max_length=200, required=False)
    caller_phone = forms.CharField(label="Phone", max_length=40, required=False)
    caller_email = forms.EmailField(label="E-mail address", required=False)
    kind = forms.ChoiceField(
        label="About a child or an adult?",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        initial=ReferralKind.CHILD,
    )
    anonymous_description = forms.CharField(
        label="Who was discussed",
        max_length=200,
        required=False,
        help_text="When the person is not named, for example 'boy, 9, Year 4'.",
    )
    question = forms.CharField(label="The caller's question", widget=forms.Textarea(attrs={"rows": 4}))
    advice = forms.CharField(label="Advice given", widget=forms.Textarea(attrs={"rows": 4}))
    referral_advised = forms.BooleanField(label="A referral was advised", required=False)


class ConsultationFilterForm(FixedFilterForm):
    search = forms.CharField(label="Caller or organisation", required=False, max_length=100)
    referral_advised = forms.BooleanField(label="Referral advised", required=False)
    not_converted = forms.BooleanField(label="Not yet a referral", required=False)


class ConvertForm(GovukErrorsMixin, forms.Form):
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CONCERNS_MISSING},
    )
