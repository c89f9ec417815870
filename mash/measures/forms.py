from django import forms
from django.core.exceptions import ValidationError

from mash.common.dates import GovukDateField
from mash.common.form_errors import GovukErrorsMixin
from mash.common.forms import apply_validation_error
from mash.measures import periods


class PeriodForm(GovukErrorsMixin, forms.Form):
    """The period and breakdown of a dashboard (GET). The rules are ``periods.period_of``'s."""

    period = forms.ChoiceField(
        label="Period",
        choices=periods.CHOICES,
        required=False,
        initial=periods.DEFAULT,
        widget=forms.RadioSelect,
    )
    since = GovukDateField(label="From", called="The first day", required=False)
    until = GovukDateField(
        label="To", called="The last day", required=False, help_text="The last day included."
    )
    by = forms.ChoiceField(
        label="Show by", choices=periods.BY_CHOICES, required=False, widget=forms.RadioSelect
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period_obj"] = periods.period_of(data.get("period"), data.get("since"), data.get("until"))
        except ValidationError as exc:
            apply_validation_error(self, exc)
        return data

    def chosen(self) -> tuple[periods.Period, str]:
        """The valid choice, or this month by the whole period when the form is unbound or wrong."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period_obj"], self.cleaned_data.get("by") or periods.BY_NONE
        return periods.period_of(periods.DEFAULT), periods.BY_NONE
