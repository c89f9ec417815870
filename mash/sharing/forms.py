from django import forms

from mash.sharing.models import LawfulBasis, ReviewStatus


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why you need this record now. Information governance will review it.",
        error_messages={"required": "Give the reason for opening this record."},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class BreakGlassReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Was the access justified?",
        choices=[(ReviewStatus.JUSTIFIED, "Justified"), (ReviewStatus.NOT_JUSTIFIED, "Not justified")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Review note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the access was not justified.",
    )


class AccessLogFilterForm(forms.Form):
    username = forms.CharField(label="User name", required=False)
    object_repr = forms.CharField(label="Record", required=False, help_text="The start of the record's name.")


__all__ = ["AccessLogFilterForm", "BreakGlassForm", "BreakGlassReviewForm", "LawfulBasis"]
