from django import forms

from mash.common.forms import VersionedForm
from mash.common.grading_forms import GradedEntryForm
from referrals.requests.services import EntryInput


class AskAgencyForm(forms.Form):
    """One partner agency on the 'ask partner agencies' page."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    ask = forms.BooleanField(required=False)
    questions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


AskAgencyFormSet = forms.formset_factory(AskAgencyForm, extra=0)


class ClaimForm(forms.Form):
    """'Assign to me': a button, nothing to fill in."""


class EntryForm(VersionedForm, GradedEntryForm):
    """The graded-entry form of the core, about one of the referral's subjects."""

    form_name = "entry_form"
    person = forms.TypedChoiceField(label="About", coerce=int)
    nothing_known = forms.BooleanField(label="Nothing known about this person", required=False)
    field_order = ["version", "person", "nothing_known"]

    def __init__(self, *args, subjects=(), police=False, **kwargs):
        super().__init__(*args, police=police, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in subjects]

    def entry(self) -> EntryInput:
        return EntryInput(
            person_id=self.cleaned_data["person"],
            nothing_known=self.cleaned_data["nothing_known"],
            **self.grading_data(),
        )


class RemoveEntryForm(forms.Form):
    """'Remove' beside a draft entry: which entry."""

    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SubmitForm(VersionedForm):
    """'Submit answer': only the version the page was read at."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a page that was tampered with sends no version: there is nothing to correct but to reload.
        self.fields["version"].error_messages.update(
            required="Reload the page and submit again.", invalid="Reload the page and submit again."
        )


class AddendumForm(EntryForm):
    form_name = "addendum_form"
    reason = forms.CharField(
        label="Why you are adding to the answer", widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    form_name = "withdraw_form"
    reason = forms.CharField(label="Why the request is withdrawn", widget=forms.Textarea(attrs={"rows": 2}))
