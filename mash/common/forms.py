import threading
from collections import OrderedDict

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language

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


class FixedFilterForm(forms.Form):
    """A list page's filter form whose fields, labels and choices are fixed in code: no database
    read, nothing of the request but its query. Its HTML is then a function of the values submitted
    for its fields, its renderer and the language, and is rendered once per such key in a process and
    kept (the last ``RENDERED_KEPT``). Through the GOV.UK field templates the triage queue's four
    filters cost about 1.5 ms a page, 7% of a web worker's time under the load figure (bench/, figure 7).

    Only for forms like that: a form whose choices come from the database, or that is given
    ``initial`` values, a prefix or another renderer, must not use it.
    """

    RENDERED_KEPT = 128
    _rendered: "OrderedDict[tuple, str]" = OrderedDict()
    _lock = threading.Lock()

    def _render_key(self) -> tuple:
        data = self.data
        values = tuple(
            (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name))
            for name in self.fields
        )
        return (type(self), type(self.renderer), get_language(), self.is_bound, values)

    def render(self, template_name=None, context=None, renderer=None):
        if template_name or context or renderer or self.initial or self.prefix:
            return super().render(template_name, context, renderer)
        key = self._render_key()
        cls = FixedFilterForm
        with cls._lock:
            html = cls._rendered.get(key)
            if html is not None:
                cls._rendered.move_to_end(key)
                return html
        html = super().render()
        with cls._lock:
            cls._rendered[key] = html
            while len(cls._rendered) > cls.RENDERED_KEPT:
                cls._rendered.popitem(last=False)
        return html

    __str__ = render
    __html__ = render
