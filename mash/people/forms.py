from django import forms

from mash.people.models import Gender


class PersonForm(forms.Form):
    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="For example, 27 3 2014."
    )
    approximate_age = forms.IntegerField(
        required=False, min_value=0, max_value=130, help_text="In years, if the date of birth is not known."
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.UNKNOWN)
    nhs_number = forms.CharField(
        label="NHS number", max_length=12, required=False, help_text="10 digits, for example 943 476 5919."
    )
    aliases = forms.CharField(required=False, max_length=300, help_text="Other names, separated by commas.")
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(required=False, max_length=10)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)


class MatchForm(forms.Form):
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    date_of_birth = forms.DateField(required=False)
    nhs_number = forms.CharField(required=False, max_length=12)
