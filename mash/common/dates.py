"""Dates as people type and read them: the GOV.UK Design System's date input (day, month and year
fields, and for a time of day an 'hh:mm' field) and one display format ('7 December 2026',
'7 Dec 2026 10:00', mash/config/formats). The browser's own date input shows mm/dd/yyyy here.

A form field here takes the parts (``<name>-day``, ``<name>-month``, ``<name>-year``, ``<name>-time``)
or, when the parts are absent (scripts, tests), the plain ``<name>`` as an ISO string ('2014-03-27',
'2026-12-07T10:00'). What was typed is shown again as typed when the form comes back with an error.
The API takes ISO 8601 (its serializers) and does not use these."""

import functools
import re
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format

DATE_PARTS = ("day", "month", "year")
TIME_PART = "time"
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DATE_EXAMPLE = "For example, 27 3 2014."
DATETIME_EXAMPLE = "For example, 7 12 2026 and 10:00."


def format_date(value: date | None) -> str:
    """A date as people read it everywhere: '7 December 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formatted(value, "DATE_FORMAT")


def format_datetime(value: datetime | None) -> str:
    """A date and time as people read it everywhere, in local time: '7 Dec 2026 10:00'."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return formatted(local, "DATETIME_FORMAT")


# What Django's date format characters give (django.utils.dateformat, DateFormat and TimeFormat), for
# those the project's formats use; the names of months and days come in the active language.
_DATE_PARTS = {
    "j": lambda d, names: str(d.day),
    "d": lambda d, names: f"{d.day:02d}",
    "n": lambda d, names: str(d.month),
    "m": lambda d, names: f"{d.month:02d}",
    "Y": lambda d, names: f"{d.year:04d}",
    "y": lambda d, names: f"{d.year % 100:02d}",
    "M": lambda d, names: names["M"][d.month],
    "F": lambda d, names: names["F"][d.month],
    "b": lambda d, names: names["b"][d.month],
    "D": lambda d, names: names["D"][d.weekday()],
    "l": lambda d, names: names["l"][d.weekday()],
}
_TIME_PARTS = {
    "H": lambda d, names: f"{d.hour:02d}",
    "G": lambda d, names: str(d.hour),
    "i": lambda d, names: f"{d.minute:02d}",
    "s": lambda d, names: f"{d.second:02d}",
}


@functools.lru_cache(maxsize=256)
def _compiled(fmt: str, language: str | None) -> tuple[tuple, dict, bool] | None:
    """The format as literal text and parts, the names it needs in ``language``, and whether it has a
    time; None when it uses a character not in the tables above (Django formats it then)."""
    pieces, times = [], False
    for i, piece in enumerate(dateformat.re_formatchars.split(fmt)):
        if i % 2:
            part = _DATE_PARTS.get(piece) or _TIME_PARTS.get(piece)
            if part is None:
                return None
            times = times or piece in _TIME_PARTS
            pieces.append(part)
        elif piece:
            pieces.append(dateformat.re_escaped.sub(r"\1", piece))
    names = {
        "M": {n: str(name).title() for n, name in MONTHS_3.items()},
        "F": {n: str(name) for n, name in MONTHS.items()},
        "b": {n: str(name) for n, name in MONTHS_3.items()},
        "D": {n: str(name) for n, name in WEEKDAYS_ABBR.items()},
        "l": {n: str(name) for n, name in WEEKDAYS.items()},
    }
    return tuple(pieces), names, times


def formatted(value: date | datetime, format_name: str = "DATE_FORMAT") -> str:
    """What Django's ``dateformat.format(value, get_format(format_name))`` gives, a fifth of the cost:
    the format is read once per language, not character by character each time (a list of 50 rows
    shows 100 dates). A format name ('DATETIME_FORMAT') or a format ('j M'); the value as it is (the
    caller puts it in local time). tests/common/test_dates.py compares the two."""
    fmt = get_format(format_name)
    language = translation.get_language()
    compiled = _compiled(fmt, language) if isinstance(value, date) else None
    if compiled is None or (compiled[2] and not isinstance(value, datetime)):
        return dateformat.format(value, fmt)
    pieces, names, _ = compiled
    return "".join(piece if isinstance(piece, str) else piece(value, names) for piece in pieces)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class Problem(ValidationError):
    """What is wrong with the parts typed, and which parts are wrong (their inputs show the error).
    The message names the field through ``%(Field)s`` (a row of a page names itself there too:
    mash/common/form_errors.py)."""

    def __init__(self, message: str, code: str, parts, label: str):
        super().__init__(message, code=code, params={"Field": label})
        self.parts = tuple(parts)


def parse_date_parts(parts: dict, label: str) -> date | None:
    """The date the day, month and year typed give; None when none was typed. Raises ``Problem``."""
    given = {p: (parts.get(p) or "").strip() for p in DATE_PARTS}
    if not any(given.values()):
        return None
    missing = [p for p in DATE_PARTS if not given[p]]
    if missing:
        return _raise(f"%(Field)s must include a {_and(missing)}.", "incomplete", missing, label)
    not_numbers = tuple(p for p in DATE_PARTS if not given[p].isdigit())
    if not_numbers:
        return _raise("%(Field)s must be a real date.", "invalid", not_numbers, label)
    if len(given["year"]) != 4:
        return _raise("%(Field)s must include a year with 4 numbers.", "invalid_year", ["year"], label)
    try:
        return date(int(given["year"]), int(given["month"]), int(given["day"]))
    except ValueError:
        return _raise("%(Field)s must be a real date.", "invalid", DATE_PARTS, label)


def parse_time_part(value: str, label: str) -> time:
    """The time of day typed as 'hh:mm' (or 'hh.mm'). Raises ``Problem``."""
    match = _TIME.match((value or "").strip())
    if not match:
        return _raise("%(Field)s must include a time, like 14:30.", "invalid_time", [TIME_PART], label)
    try:
        return time(int(match[1]), int(match[2]))
    except ValueError:
        return _raise("%(Field)s must be a real time, like 14:30.", "invalid_time", [TIME_PART], label)


def _raise(message, code, parts, label):
    raise Problem(message, code, parts, label)


def wrong_parts(value, with_time: bool) -> tuple[str, ...]:
    """The parts to show in error when the field has an error: those at fault, or all of them (a rule
    about the whole date, such as one in the future)."""
    every = (*DATE_PARTS, TIME_PART) if with_time else DATE_PARTS
    if isinstance(value, dict):
        try:
            if parse_date_parts(value, "") is None and with_time and value.get(TIME_PART):
                return DATE_PARTS
            if with_time and any(value.get(p) for p in DATE_PARTS):
                parse_time_part(value.get(TIME_PART, ""), "")
        except Problem as problem:
            return problem.parts
    return every


class GovukDateInput(forms.Widget):
    """Day, month and year inputs (the GOV.UK date input); ``with_time`` adds an 'hh:mm' input."""

    template_name = "govuk/date_input.html"
    with_time = False
    labels = {"day": "Day", "month": "Month", "year": "Year", "time": "Time"}
    widths = {"day": 2, "month": 2, "year": 4, "time": 5}

    @property
    def parts(self) -> tuple[str, ...]:
        return (*DATE_PARTS, TIME_PART) if self.with_time else DATE_PARTS

    def value_from_datadict(self, data, files, name):
        if any(f"{name}-{p}" in data for p in self.parts):
            return {p: data.get(f"{name}-{p}", "") for p in self.parts}
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{p}" in data for p in self.parts)

    def format_value(self, value) -> dict:
        """The parts to show: as typed, or from the date (or ISO string) given."""
        if isinstance(value, dict):
            return {p: value.get(p) or "" for p in self.parts}
        if isinstance(value, str):
            value = _from_iso(value, self.with_time)
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        shown = dict.fromkeys(self.parts, "")
        if isinstance(value, date):
            shown.update(day=str(value.day), month=str(value.month), year=str(value.year))
        if isinstance(value, datetime) and self.with_time:
            shown[TIME_PART] = f"{value:%H:%M}"
        return shown

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        in_error = "govuk-input--error" in attrs.pop("class", "") or attrs.pop("aria-invalid", None)
        attrs.pop("aria-describedby", None)
        field_id = attrs.pop("id", None) or f"id_{name}"
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        wrong = wrong_parts(value, self.with_time) if in_error else ()
        context["widget"]["parts"] = [
            {
                "name": f"{name}-{p}",
                # The first input takes the field's id: an error summary's link lands on it.
                "id": field_id if i == 0 else f"{field_id}-{p}",
                "label": self.labels[p],
                "value": shown[p],
                "width": self.widths[p],
                "error": p in wrong,
                "numeric": p != TIME_PART,
            }
            for i, p in enumerate(self.parts)
        ]
        return context

    def id_for_label(self, id_):
        return id_


class GovukDateTimeInput(GovukDateInput):
    with_time = True


def _from_iso(value: str, with_time: bool):
    try:
        return datetime.fromisoformat(value.strip()) if with_time else date.fromisoformat(value.strip())
    except ValueError:
        return None


class _PartsField:
    """What the two fields share: the field named in the messages (``called``, else its label), the
    hint, 'Enter <label>'."""

    example = DATE_EXAMPLE

    def __init__(self, *args, help_text="", called="", **kwargs):
        self.called = called
        self.required_message = (kwargs.get("error_messages") or {}).get("required")
        help_text = f"{self.example} {help_text}".strip()
        super().__init__(*args, help_text=help_text, **kwargs)

    @property
    def name_in_messages(self) -> str:
        return str(self.called or self.label or "The date")

    def validate(self, value):
        if value in self.empty_values and self.required:
            label = self.name_in_messages
            raise ValidationError(
                self.required_message or f"Enter {label[:1].lower()}{label[1:]}.", code="required"
            )
        super().validate(value)

    def iso(self, value):
        """The plain ISO string fallback, with a message naming the field when it is not one."""
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "%(Field)s must be a real date.", code="invalid", params={"Field": self.name_in_messages}
            ) from None


class GovukDateField(_PartsField, forms.DateField):
    """A date typed as day, month and year."""

    widget = GovukDateInput

    def to_python(self, value):
        if isinstance(value, dict):
            return parse_date_parts(value, self.name_in_messages)
        return self.iso(value)


class GovukDateTimeField(_PartsField, forms.DateTimeField):
    """A date typed as day, month and year, and a time as 'hh:mm', in the site's time zone."""

    widget = GovukDateTimeInput
    example = DATETIME_EXAMPLE

    def to_python(self, value):
        if not isinstance(value, dict):
            return self.iso(value)
        label = self.name_in_messages
        day = parse_date_parts(value, label)
        typed_time = (value.get(TIME_PART) or "").strip()
        if day is None:
            if typed_time:
                raise Problem("%(Field)s must include a date.", "incomplete", DATE_PARTS, label)
            return None
        return from_current_timezone(datetime.combine(day, parse_time_part(typed_time, label)))
