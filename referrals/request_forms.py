from django import forms

from referrals.models import HandlingCode, IntelligenceAssessment, SecurityMarking, SourceEvaluation


class AskAgencyForm(forms.Form):
    """One partner agency on the 'ask partner agencies' page."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    ask = forms.BooleanField(required=False)
    questions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


AskAgencyFormSet = forms.formset_factory(AskAgencyForm, extra=0)


class EntryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.TypedChoiceField(label="About", coerce=int)
    nothing_known = forms.BooleanField(label="Nothing known about this person", required=False)
    source_system = forms.CharField(label="Source system or record", max_length=200, required=False)
    information_date = forms.DateField(
        label="Date of the information", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(max_length=300, required=False)
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", required=False, choices=[("", "Not graded"), *SourceEvaluation.choices]
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment",
        required=False,
        choices=[("", "Not graded"), *IntelligenceAssessment.choices],
    )
    handling_code = forms.ChoiceField(
        label="Handling code", required=False, choices=[("", "Not graded"), *HandlingCode.choices]
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required with handling code C.",
    )
    security_marking = forms.ChoiceField(
        label="Security marking", choices=SecurityMarking.choices, initial=SecurityMarking.OFFICIAL_SENSITIVE
    )

    def __init__(self, *args, subjects=(), police=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in subjects]
        if not police:
            for name in (
                "source_evaluation",
                "intelligence_assessment",
                "handling_code",
                "handling_conditions",
            ):
                del self.fields[name]


class AddendumForm(EntryForm):
    reason = forms.CharField(
        label="Why you are adding to the answer", widget=forms.Textarea(attrs={"rows": 2})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why the request is withdrawn", widget=forms.Textarea(attrs={"rows": 2}))
