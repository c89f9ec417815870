"""The filters of information governance's trails (mash/sharing/trails)."""

from django import forms

from mash.agencies.models import Agency
from mash.common.dates import GovukDateField
from mash.common.form_errors import GovukErrorsMixin
from mash.sharing.trails import Action


class RecordTrailFilterForm(GovukErrorsMixin, forms.Form):
    since = GovukDateField(label="From", called="The first day", required=False)
    until = GovukDateField(
        label="To", called="The last day", required=False, help_text="The last day included."
    )
    action = forms.ChoiceField(label="Show", required=False, choices=Action.CHOICES)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The last day must be the same as or after the first.")
        return data


class UserTrailFilterForm(RecordTrailFilterForm):
    """The period is the last 30 days unless given, a year at most (the selector says so)."""

    agency = forms.ModelChoiceField(
        label="Acting for",
        required=False,
        queryset=Agency.objects.order_by("name"),
        empty_label="Any agency",
        help_text="The agency the user acted for when they read or were refused a record. The change "
        "log and the dissemination log do not record it: with an agency chosen they are left out.",
    )

    field_order = ["since", "until", "agency", "action"]


class UserSearchForm(GovukErrorsMixin, forms.Form):
    q = forms.CharField(label="Name or user name", required=False, max_length=150)
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.order_by("name"), empty_label="Any agency"
    )


class RecordFindForm(GovukErrorsMixin, forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=40, help_text="A referral's or a disclosure application's reference."
    )
