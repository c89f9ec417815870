from django import forms

from mash.accounts.models import SignInEventKind
from mash.common.dates import GovukDateField


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows for this account."
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class SignInEventFilterForm(forms.Form):
    username = forms.CharField(label="User name", required=False)
    event = forms.ChoiceField(label="Event", required=False, choices=[("", "Any"), *SignInEventKind.choices])
    date_from = GovukDateField(label="From", called="The first day", required=False)
    date_to = GovukDateField(
        label="To", called="The last day", required=False, help_text="The last day included."
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The last day must be on or after the first.")
        return data
