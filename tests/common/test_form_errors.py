"""GOV.UK wording for every error, naming the field and, on a row of several, the row by its place
(mash/common/form_errors.py). No database."""

from django import forms
from django.core.exceptions import ValidationError

from mash.common.form_errors import GovukErrorsMixin, RowNamingFormSet, ordinal, summary_entries
from mash.people.identifiers import NHS_NUMBER_CHECK


class PersonRow(GovukErrorsMixin, forms.Form):
    given_name = forms.CharField(max_length=5)
    nhs_number = forms.CharField(label="NHS number", required=False)
    date_of_birth = forms.CharField(label="Date of birth", required=False)
    gender = forms.ChoiceField(choices=[("female", "Female")], widget=forms.RadioSelect)


class People(RowNamingFormSet):
    row_noun = "person"


Rows = forms.formset_factory(PersonRow, formset=People, extra=0)


def _rows(*rows):
    data = {"p-TOTAL_FORMS": str(len(rows)), "p-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"p-{i}-{k}": v for k, v in row.items()})
    return Rows(data, prefix="p")


def test_each_error_names_its_field_and_row_whoever_wrote_the_rule():
    formset = _rows({"given_name": "Ann", "gender": "female"}, {"given_name": "Benedict"})
    assert not formset.is_valid()
    second = formset.forms[1]
    # A rule naming its field through %(Field)s, as the API and the import say it but for the row.
    second.add_error("nhs_number", ValidationError(NHS_NUMBER_CHECK, params={"Field": "The NHS number"}))
    # A rule whose sentence starts with the field's name (the day/month/year fields' own).
    second.add_error("date_of_birth", "Date of birth must include a month.")
    assert second.errors == {
        "given_name": ["The given name of the second person must be 5 characters or fewer."],
        "gender": ["Choose the gender of the second person."],
        "nhs_number": ["The NHS number of the second person is not valid: its check digit does not match."],
        "date_of_birth": ["The date of birth of the second person must include a month."],
    }
    entries = summary_entries(formset)
    assert [e["href"] for e in entries] == [
        "#id_p-1-given_name",
        "#id_p-1-nhs_number",
        "#id_p-1-date_of_birth",
        "#id_p-1-gender_0",  # a group of radios: its first
    ]
    assert ordinal(0) == "first" and ordinal(21) == "22nd"
