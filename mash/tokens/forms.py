from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'nightly report'. You will see the token once, when it is made.",
        max_length=100,
    )
