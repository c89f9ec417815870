from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(BoundField):
    """Gives every widget its GOV.UK Frontend classes, error state and error description."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # A date field's messages name it ('Date of birth must include a month'): by its label.
        if field.label is None and hasattr(field, "name_in_messages"):
            field.label = self.label

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        widget_type = widget.__class__.__name__.lower().removesuffix("widget").removesuffix("input") or "text"
        css = _CLASSES.get(widget_type, "govuk-input")
        classes = [css, attrs.get("class", "")]
        if self.errors and css in _ERROR_CLASSES:
            classes.append(_ERROR_CLASSES[css])
        attrs["class"] = " ".join(c for c in classes if c)
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}-hint")
        if self.errors:
            described.append(f"{self.auto_id}-error")
        if described and widget_type not in {"checkboxselectmultiple", "radioselect"}:
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
    bound_field_class = GovukBoundField


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a domain ValidationError raised by a service on the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class VersionedForm(forms.Form):
    """A change to a versioned record sends back the version it was read at (optimistic locking);
    ``RecordActionView`` hands it to the service as ``expected_version``."""

    version = forms.IntegerField(widget=forms.HiddenInput)
