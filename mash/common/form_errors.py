"""Error messages in GOV.UK wording, naming the field (and, on a form that is one row of several,
the row: 'Enter the given name of the second person'), and the one error summary a page shows for
all its forms (``{% error_summary form formset %}``, mash/common/templatetags/mash.py).

A rule that may be broken on a row names its field through the params ``%(Field)s`` (at the start of
a sentence) and ``%(field)s``, with the plain field name as their default ('The NHS number is not
valid: ...'); the row's form replaces them ('The NHS number of the second person is not valid: ...'),
so the sentence for the rule is the same through every way in (docs/style.md)."""

import re

from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name
from django.utils.text import capfirst

ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]

_CHOOSE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)


def ordinal(index: int) -> str:
    """'first' for 0, 'second' for 1, ...; '21st' past the words."""
    if index < len(ORDINALS):
        return ORDINALS[index]
    n = index + 1
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def noun(label: str) -> str:
    """A label as it reads inside a sentence: 'Date of birth' -> 'date of birth', 'NHS number' kept."""
    label = str(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


_VALIDATORS = {
    "max_length": validators.MaxLengthValidator,
    "min_length": validators.MinLengthValidator,
    "max_value": validators.MaxValueValidator,
    "min_value": validators.MinValueValidator,
}


def _django_defaults(field, code) -> set[str]:
    """Django's own messages for ``code`` on a field of this class (not one the form or a rule gave)."""
    found = set()
    for cls in type(field).__mro__:
        message = getattr(cls, "default_error_messages", {}).get(code)
        if message is not None:
            found.add(str(message))
            break
    if code in _VALIDATORS:
        found.add(str(_VALIDATORS[code].message))
    if code == "invalid" and isinstance(field, forms.EmailField):
        found.add(str(validators.EmailValidator.message))
    return found


class GovukErrorsMixin:
    """A form whose every error names its field in GOV.UK wording, and its row when ``row_name`` is
    given ('the second person': ``RowNamingFormSet`` gives it). Every error goes through
    ``add_error`` (the form's own checks and a service's, by ``apply_validation_error``), so each is
    worded once, the same beside the field and in the error summary."""

    row_name = ""

    def __init__(self, *args, row_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if row_name:
            self.row_name = row_name

    def the_field(self, name: str) -> str:
        """'the NHS number', or 'the NHS number of the second person' on a row."""
        field = self.fields.get(name)
        label = noun(field.label if field is not None and field.label else pretty_name(name))
        the = label if label.startswith("the ") else f"the {label}"
        return f"{the} of {self.row_name}" if self.row_name else the

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is not None:
                raise TypeError("The error dictionary names its own fields.")
            for name, errors in error.error_dict.items():
                self.add_error(None if name == NON_FIELD_ERRORS else name, ValidationError(errors))
            return
        if field is None or field not in self.fields:
            super().add_error(field, error)
            return
        super().add_error(field, ValidationError([self.worded(field, e) for e in error.error_list]))

    def worded(self, name: str, error: ValidationError) -> ValidationError:
        """``error`` on the field ``name``, in words that name the field (and the row)."""
        field = self.fields[name]
        params = dict(error.params or {})
        the = self.the_field(name)
        message = str(error.message)
        if "Field" in params or "field" in params:
            if self.row_name:
                params.update(Field=capfirst(the), field=the)
            return ValidationError(message, code=error.code, params=params)
        if message not in _django_defaults(field, error.code):
            # A page's or a rule's own message is kept; on a row it names the row.
            text = message % params if params else message
            if self.row_name and self.row_name not in text:
                text = self._on_the_row(name, text)
            return ValidationError(text, code=error.code)
        if error.code == "required":
            verb = "Choose" if isinstance(field.widget, _CHOOSE_WIDGETS) else "Enter"
            return ValidationError(f"{verb} {the}.", code="required")
        if error.code == "invalid_choice":
            return ValidationError(f"Choose {the} from the list.", code="invalid_choice")
        if error.code == "max_length" and "limit_value" in params:
            return ValidationError(
                f"{capfirst(the)} must be {params['limit_value']} characters or fewer.", code="max_length"
            )
        if error.code in ("max_value", "min_value") and "limit_value" in params:
            bound = "or less" if error.code == "max_value" else "or more"
            return ValidationError(
                f"{capfirst(the)} must be {params['limit_value']} {bound}.", code=error.code
            )
        if error.code == "invalid" and isinstance(field, forms.EmailField):
            return ValidationError(
                f"Enter {the} in the correct format, like name@example.com.", code="invalid"
            )
        text = message % params if params else message
        if self.row_name and self.row_name not in text:
            return ValidationError(self._on_the_row(name, text), code=error.code)
        return ValidationError(text, code=error.code)

    def _on_the_row(self, name: str, text: str) -> str:
        """A rule's own sentence that does not name the row: where it names the field ('Date of birth
        must include a month', 'Enter date of birth'), the field of this row instead; else the
        field of this row first."""
        the = self.the_field(name)
        field = self.fields[name]
        label = noun(field.label or pretty_name(name))
        found = re.search(rf"\b(?:the |an? )?{re.escape(label)}\b", text, flags=re.IGNORECASE)
        if found is None:
            return f"{capfirst(the)}: {text[:1].lower()}{text[1:]}"
        named = capfirst(the) if found.start() == 0 else the
        return f"{text[: found.start()]}{named}{text[found.end() :]}"


class RowNamingFormSet(forms.BaseFormSet):
    """A formset whose rows name themselves in their errors: 'the second person' (``row_noun``)."""

    row_noun = "row"

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["row_name"] = f"the {ordinal(index)} {self.row_noun}"
        return kwargs


def summary_entries(*forms_or_formsets) -> list[dict]:
    """The error summary's lines for the forms and formsets of one page, in page order: each with the
    message and, for a visible field, the id of its first input (``href``). A page whose form is
    shown in parts, a formset between them, gives each part as ``(form, field names)`` (its
    non-field errors with the part naming ``NON_FIELD_ERRORS``), and may give them as one list."""
    entries = []
    for item in forms_or_formsets:
        if item is None or isinstance(item, str):
            continue
        if isinstance(item, list):
            entries += summary_entries(*item)
        elif isinstance(item, tuple):
            entries += _form_entries(*item)
        elif isinstance(item, forms.BaseFormSet):
            entries += [{"message": e, "href": ""} for e in item.non_form_errors()]
            for form in item.forms:
                entries += _form_entries(form)
        else:
            entries += _form_entries(item)
    return entries


def _form_entries(form, names=None) -> list[dict]:
    if not form.is_bound or not form.errors:
        return []
    worded = isinstance(form, GovukErrorsMixin)
    entries = []
    if names is None or NON_FIELD_ERRORS in names:
        entries += [{"message": e, "href": ""} for e in form.non_field_errors()]
    for field in form:
        if names is not None and field.name not in names:
            continue
        for error in field.errors:
            if field.is_hidden:
                entries.append({"message": error, "href": ""})
                continue
            message = error if worded else f"{field.label}: {error}"
            entries.append({"message": message, "href": f"#{first_input_id(field)}"})
    return entries


def first_input_id(field) -> str:
    """The id of a field's first input: a group of radios or checkboxes, or a field of several inputs
    (a date's day, month and year), is linked to its first."""
    if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id
