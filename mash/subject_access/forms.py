from django import forms

from mash.common.dates import GovukDateField, format_date
from mash.common.form_errors import GovukErrorsMixin
from mash.subject_access.models import Decision, Exemption, IdentityMethod, Relationship, State
from mash.subject_access.services import request_errors


class VersionedForm(GovukErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class FindPersonForm(forms.Form):
    """Who the request is about: matched against every person held (GET)."""

    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=12)


def _person_label(match) -> str:
    person = match.person
    born = f", born {format_date(person.date_of_birth)}" if person.date_of_birth else ""
    nhs = f", NHS number {person.nhs_number}" if person.nhs_number else ""
    return f"{person.full_name}{born}{nhs} ({'; '.join(match.reasons)})"


class RequestForm(GovukErrorsMixin, forms.Form):
    person = forms.TypedChoiceField(
        label="The person the request is about",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person the request is about (find them first)."},
    )
    requester_name = forms.CharField(label="Name of the person asking", max_length=200)
    relationship = forms.ChoiceField(
        label="Who is asking", choices=Relationship.choices, widget=forms.RadioSelect
    )
    requester_contact = forms.CharField(
        label="Where the response goes",
        help_text="Address, e-mail or telephone.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_on = GovukDateField(
        label="Date received", help_text="The day the request reached the MASH: the month starts on it."
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(m.person.pk, _person_label(m)) for m in candidates]

    def clean(self):
        data = super().clean()
        if data.get("received_on") and "received_on" not in self.errors:
            error = request_errors(received_on=data["received_on"]).get("received_on")
            if error:
                self.add_error("received_on", error)
        return data


class VerifyForm(VersionedForm):
    form_name = "verify_form"
    method = forms.ChoiceField(
        label="How was the identity verified?", choices=IdentityMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="What was seen."
    )


class ExtendForm(VersionedForm):
    form_name = "extend_form"
    reason = forms.CharField(
        label="Reason for the extension",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the request is complex or numerous. Tell the person within the first month.",
    )


class CompileForm(VersionedForm):
    form_name = "compile_form"


class RespondForm(VersionedForm):
    form_name = "respond_form"


class CloseForm(VersionedForm):
    form_name = "close_form"
    state = forms.ChoiceField(
        label="How does the request end?",
        choices=[(State.REFUSED, "Refused"), (State.WITHDRAWN, "Withdrawn by the person asking")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(VersionedForm):
    form_name = "decide_form"
    decision = forms.ChoiceField(
        label="Decision",
        choices=[c for c in Decision.choices if c[0] != Decision.PENDING],
        widget=forms.RadioSelect,
    )
    exemption = forms.ChoiceField(
        label="Exemption", required=False, choices=[("", "None (released in full)"), *Exemption.choices]
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when redacting or withholding.",
    )
    redacted_text = forms.CharField(
        label="Text as released",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="When redacting: the text with the redacted parts taken out (empty: redacted whole).",
    )


STATE_FILTERS = [("", "Any"), ("open", "Open"), *State.choices]


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(label="State", choices=STATE_FILTERS, required=False)
    reference = forms.CharField(label="Reference", required=False, max_length=20)
