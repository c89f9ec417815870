from django import forms

from mash.agencies.models import Agency
from mash.common.dates import GovukDateTimeField
from mash.common.files import too_large_message
from mash.common.forms import VersionedForm
from mash.people.forms import PersonChoiceForm
from missing_persons.models import EpisodeStatus, Indicator, InterviewStatus, ReporterKind, Risk
from missing_persons.services.episodes import EPISODE_MISSING, EpisodeInput, episode_errors
from missing_persons.services.importer import MAX_BYTES


class EpisodeForm(PersonChoiceForm):
    """An episode and who is missing: the names are always typed (they are matched against the
    people already known; the page's ``person`` radios then choose)."""

    police_reference = forms.CharField(label="Police report reference", max_length=40, required=False)
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    reported_at = GovukDateTimeField(
        label="Reported missing", called="The date and time they were reported missing"
    )
    reported_by = forms.CharField(label="Reported by", max_length=200)
    reporter_kind = forms.ChoiceField(label="Who reported", choices=ReporterKind.choices)
    last_seen_at = GovukDateTimeField(label="Last seen", called="The date and time they were last seen")
    last_seen_place = forms.CharField(label="Last seen where", max_length=300)
    risk = forms.ChoiceField(label="Risk", choices=Risk.choices, widget=forms.RadioSelect)
    risk_rationale = forms.CharField(label="Why this risk", widget=forms.Textarea(attrs={"rows": 2}))
    circumstances = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    indicators = forms.MultipleChoiceField(
        label="Exploitation indicators",
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    field_order = ["police_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, each says what the service says (and the API).
        for name, message in EPISODE_MISSING.items():
            self.fields[name].error_messages["required"] = message

    def clean(self):
        data = super().clean()
        # The service's rules on an episode (last seen after the report...), with the form's own:
        # every error at once, each on a field that has none yet.
        texts = ("reported_by", "reporter_kind", "last_seen_place", "risk", "risk_rationale")
        episode = EpisodeInput(
            person=None,
            reported_at=data.get("reported_at"),
            last_seen_at=data.get("last_seen_at"),
            indicators=tuple(data.get("indicators") or ()),
            **{name: data.get(name) or "" for name in texts},
        )
        for name, error in episode_errors(episode).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, error)
        return data


class RegradeForm(VersionedForm):
    form_name = "regrade_form"
    risk = forms.ChoiceField(label="New risk", choices=Risk.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the rationale for the re-grading."},
    )


class UpdateForm(VersionedForm):
    form_name = "update_form"
    indicators = forms.MultipleChoiceField(
        label="Exploitation indicators",
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    places = forms.CharField(
        label="Linked places (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    associates = forms.CharField(
        label="Linked associates (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    circumstances = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(VersionedForm):
    form_name = "return_form"
    found_at = GovukDateTimeField(
        label="Found or returned", called="The date and time they were found or returned"
    )
    found_place = forms.CharField(label="Where", max_length=300, required=False)
    found_by = forms.CharField(label="Found by, or returned to", max_length=200, required=False)
    wellbeing_confirmed = forms.BooleanField(label="Their well-being is confirmed", required=False)
    wellbeing_note = forms.CharField(
        label="Well-being notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterviewForm(forms.Form):
    form_name = "interview_form"
    status = forms.ChoiceField(
        label="Interview",
        choices=[(s.value, s.label) for s in InterviewStatus if s != InterviewStatus.DUE],
        widget=forms.RadioSelect,
    )
    agency = forms.ModelChoiceField(
        label="By which agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    at = GovukDateTimeField(label="When", called="The date and time of the interview", required=False)
    where_they_were = forms.CharField(
        label="Where they were", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    with_whom = forms.CharField(label="With whom", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    push_factors = forms.CharField(
        label="Push factors", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pull_factors = forms.CharField(
        label="Pull factors", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file of missing-person reports")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Known from the upload without reading it (the upload is cut one byte past the limit).
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message(f"The {self.fields['file'].label}", MAX_BYTES))
        return upload


class DismissForm(forms.Form):
    reason = forms.CharField(label="Why no referral is needed", widget=forms.Textarea(attrs={"rows": 2}))


class EpisodeFilterForm(forms.Form):
    """The episodes page's filter (its links set ``status``); an unknown status lists every episode."""

    status = forms.ChoiceField(required=False, choices=[("", "All"), *EpisodeStatus.choices])
