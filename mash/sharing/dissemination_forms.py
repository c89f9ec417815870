"""The forms of a request to share outside the MASH, and of an approver's decision on one item. Their
fields check what was typed; the rules are the service's (mash/sharing/dissemination_services.py),
shown on the form when it refuses."""

from django import forms

from mash.common.form_errors import GovukErrorsMixin
from mash.sharing.models import SHARING_BASIS_CHOICES, DisseminationMethod, ItemDecision


class DisseminationRequestForm(GovukErrorsMixin, forms.Form):
    items = forms.MultipleChoiceField(
        label="Items to share",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each item is approved by the agency that owns it. Choose only what the need requires.",
        error_messages={"required": "Choose at least one item to share."},
    )
    recipient_organisation = forms.CharField(label="Organisation", max_length=200)
    recipient_role = forms.CharField(label="Role", max_length=200, required=False)
    recipient_name = forms.CharField(label="Name of the person", max_length=200)
    recipient_contact = forms.CharField(
        label="Contact (optional)",
        max_length=200,
        required=False,
        help_text="A secure e-mail address or a phone number.",
    )
    method = forms.ChoiceField(
        label="Method of sending", choices=DisseminationMethod.choices, widget=forms.RadioSelect
    )
    need = forms.CharField(
        label="The need",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the recipient needs this information for, and why they need all of it.",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing", choices=SHARING_BASIS_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_choices = list(choices)
        self.fields["items"].choices = [(choice.key, choice.kind) for choice in self.item_choices]

    def rows(self):
        """The checkboxes with what an approver will see: each item's owner, grading and conditions."""
        chosen = set(self["items"].value() or [])
        return [
            {"choice": choice, "id": f"{self['items'].auto_id}_{index}", "checked": choice.key in chosen}
            for index, choice in enumerate(self.item_choices)
        ]


class ItemDecisionForm(GovukErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[(ItemDecision.RELEASE, "Release this item"), (ItemDecision.WITHHOLD, "Withhold this item")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to release or withhold the item."},
    )
    conditions_met = forms.BooleanField(
        label="I confirm the handling conditions are met",
        required=False,
        help_text="Handling code C: the item may be released only when its conditions are met.",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why it is withheld, or how the handling conditions are met.",
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and not item.is_code_c:
            del self.fields["conditions_met"]
