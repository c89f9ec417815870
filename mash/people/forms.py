from dataclasses import fields

from django import forms

from mash.common.dates import GovukDateField
from mash.common.form_errors import GovukErrorsMixin
from mash.people.models import Gender
from mash.people.services import PersonChoice
from mash.people.validators import person_detail_errors


def _check_details(form, data: dict) -> None:
    """The rules on a person's details the service applies (mash/people/validators.py), checked with
    the form's own so that every error shows at once; each on its field, unless it has one already."""
    details = {"date_of_birth": data.get("date_of_birth"), "nhs_number": data.get("nhs_number") or ""}
    for name, error in person_detail_errors(**details).items():
        if name not in form.errors:
            form.add_error(name, error)


class PersonForm(GovukErrorsMixin, forms.Form):
    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
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

    def clean(self):
        data = super().clean()
        _check_details(self, data)
        return data


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)


class MatchForm(forms.Form):
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(required=False, max_length=12)

    def clean(self):
        # A date of birth still being typed (a day but no year yet) is not matched on.
        if self.errors.pop("date_of_birth", None):
            self.cleaned_data["date_of_birth"] = None
        return super().clean()


class PersonChoiceForm(GovukErrorsMixin, forms.Form):
    """A person a case names: the details typed in, matched against the people already known
    (``match_details``), and the known person chosen from the matches, if any (``chosen``: each
    page names its own choice field). ``choice`` gives what the services take."""

    given_name = forms.CharField(max_length=100, required=False)
    family_name = forms.CharField(max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    approximate_age = forms.IntegerField(
        required=False, min_value=0, max_value=130, help_text="If the date of birth is not known."
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.UNKNOWN)
    nhs_number = forms.CharField(label="NHS number", max_length=12, required=False)

    MATCHED_ON = ("given_name", "family_name", "date_of_birth", "nhs_number")
    # What a missing name says (a new person needs both names), formatted with the name's label
    # (and ``the``: 'the given name', or on a row 'the given name of the second person').
    name_missing = "Enter a {}."

    def chosen(self) -> int | None:
        """The id of the known person chosen on this form; None for a new person."""
        return None

    def clean(self):
        data = super().clean()
        if self.has_changed() and self.chosen() is None:
            for name in ("given_name", "family_name"):
                if not data.get(name) and name not in self.errors:
                    message = self.name_missing.format(name.replace("_", " "), the=self.the_field(name))
                    self.add_error(name, forms.ValidationError(message, code="required"))
            _check_details(self, data)
        return data

    def match_details(self) -> dict:
        """What identity matching takes, from what was typed (mash.people.selectors)."""
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or (None if name == "date_of_birth" else "") for name in self.MATCHED_ON}

    def choice(self, choice_class=PersonChoice, *, person=None, **extra) -> PersonChoice:
        """The choice as the services take it (``choice_class``: PersonChoice or a case app's input
        with its ``extra`` fields): the known ``person`` (or the one chosen here), or the details."""
        person = person if person is not None else self.chosen()
        if person is not None:
            return choice_class(person=person, **extra)
        # What was left empty keeps the choice's default (a gender not given is not known).
        details = {
            f.name: self.cleaned_data[f.name]
            for f in fields(PersonChoice)
            if f.name != "person" and self.cleaned_data.get(f.name) not in (None, "")
        }
        return choice_class(**details, **extra)


ORDERS = [("oldest", "Oldest first"), ("newest", "Newest first")]


class ChronologyFilterForm(GovukErrorsMixin, forms.Form):
    """What of a person's chronology to show: the kinds of record (those it holds), a period, and
    the order."""

    category = forms.ChoiceField(label="Kind of record", required=False)
    date_from = GovukDateField(label="From", called="The first day", required=False)
    date_to = GovukDateField(
        label="To", called="The last day", required=False, help_text="The last day included."
    )
    order = forms.ChoiceField(label="Order", choices=ORDERS, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All"), *((c, c) for c in categories)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The last day must be on or after the first.")
        return data
