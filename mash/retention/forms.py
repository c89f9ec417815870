from django import forms
from django.utils import timezone

from mash.common.dates import GovukDateField
from mash.common.form_errors import GovukErrorsMixin
from mash.retention.models import Decision
from mash.retention.registry import kinds

REASON_HELP = "Say why, without naming anyone: this reason is kept after an erasure."


class DecisionForm(GovukErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect, error_messages={}
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP)
    next_review_on = GovukDateField(
        label="Next review date", required=False, help_text="When keeping the record: a date in the future."
    )
    confirm = forms.BooleanField(
        label="I understand that erasing removes the personal data and free text of this record for good",
        required=False,
        help_text="When erasing the record.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.KEEP:
            review = data.get("next_review_on")
            if review is None and "next_review_on" not in self.errors:
                self.add_error("next_review_on", "Enter the next review date when keeping the record.")
            elif review is not None and review <= timezone.localdate():
                self.add_error("next_review_on", "The next review date must be in the future.")
        if data.get("decision") == Decision.ERASE and not data.get("confirm"):
            self.add_error("confirm", "Confirm that you understand the erasure cannot be undone.")
        return data


class HoldForm(GovukErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of record", choices=())
    reference = forms.CharField(
        label="Reference", max_length=40, help_text="The record's reference (for a consultation, its number)."
    )
    reason = forms.CharField(
        label="Reason for the hold", widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds()]


class PlaceForm(GovukErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for the hold", widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )


class LiftForm(GovukErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for lifting the hold", widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )
