from django import forms

from mash.common.grading_forms import GradedEntryForm


class AskAgencyForm(forms.Form):
    """One partner agency on the 'ask partner agencies' page."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    ask = forms.BooleanField(required=False)
    questions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


AskAgencyFormSet = forms.formset_factory(AskAgencyForm, extra=0)


class EntryForm(GradedEntryForm):
    """The graded-entry form of the core, about one of the referral's subjects."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.TypedChoiceField(label="About", coerce=int)
    nothing_known = forms.BooleanField(label="Nothing known about this person", required=False)
    field_order = ["version", "person", "nothing_known"]

    def __init__(self, *args, subjects=(), police=False, **kwargs):
        super().__init__(*args, police=police, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in subjects]


class AddendumForm(EntryForm):
    reason = forms.CharField(
        label="Why you are adding to the answer", widget=forms.Textarea(attrs={"rows": 2})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why the request is withdrawn", widget=forms.Textarea(attrs={"rows": 2}))
