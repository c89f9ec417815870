from django import forms
from django.core.exceptions import ValidationError

RETRY_SELECTED, RETRY_ALL = "selected", "all"


class RetryFailedForm(forms.Form):
    """'Retry selected' (the ticked rows, ``ids=1&ids=2``) or 'Retry all' (every failed e-mail, on
    every page). The rows are ticked in the table, so their errors are the form's own (the summary
    shows them)."""

    retry = forms.ChoiceField(choices=[(RETRY_SELECTED, "Retry selected"), (RETRY_ALL, "Retry all")])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("retry") != RETRY_SELECTED:
            return cleaned
        try:
            cleaned["ids"] = sorted({int(pk) for pk in self.data.getlist("ids")})
        except ValueError:
            cleaned["ids"] = None
        if cleaned["ids"] is None or not all(0 < pk < 2**63 for pk in cleaned["ids"]):
            raise ValidationError("Select e-mails from the list.", code="invalid")
        if not cleaned["ids"]:
            raise ValidationError("Select the e-mails to retry, or retry them all.", code="none_selected")
        return cleaned

    def ids_to_retry(self) -> list[int] | None:
        """The ids for ``services.retry_failed``: None retries every failed e-mail."""
        return self.cleaned_data.get("ids") if self.cleaned_data["retry"] == RETRY_SELECTED else None
