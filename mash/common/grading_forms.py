from django import forms

from mash.common.dates import GovukDateField
from mash.common.grading import HandlingCode, IntelligenceAssessment, SecurityMarking, SourceEvaluation

GRADING_FIELDS = ("source_evaluation", "intelligence_assessment", "handling_code", "handling_conditions")


class GradedEntryForm(forms.Form):
    """The graded-entry form every app uses. ``police=False`` leaves out the 3x5x2 fields."""

    source_system = forms.CharField(label="Source system or record", max_length=200, required=False)
    information_date = GovukDateField(label="Date of the information", required=False)
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

    def __init__(self, *args, police=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not police:
            for name in GRADING_FIELDS:
                del self.fields[name]

    def grading_data(self) -> dict:
        """The cleaned grading fields, with blanks for those left out."""
        fields = (
            "source_system",
            "information_date",
            "summary",
            "detail",
            *GRADING_FIELDS,
            "security_marking",
        )
        return {
            name: self.cleaned_data.get(name, "" if name != "information_date" else None) for name in fields
        }
