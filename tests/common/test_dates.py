"""The GOV.UK date input (mash/common/dates.py): day, month and year (and 'hh:mm'), the messages
naming the field, the ISO fallback for scripts, and what was typed shown again."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import timezone

from mash.common.dates import GovukDateField, GovukDateTimeField, format_date, format_datetime

LONDON = ZoneInfo("Europe/London")


class DatesForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth")
    held_at = GovukDateTimeField(label="Held", required=False)


def form(**data):
    f = DatesForm(data)
    f.is_valid()
    return f


def parts(name, day="", month="", year="", **more):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year, **more}


def test_the_parts_give_the_date_and_the_time_in_the_site_time_zone():
    f = form(
        **parts("date_of_birth", "27", "3", "2014"),
        **parts("held_at", "7", "12", "2026", **{"held_at-time": "10:00"}),
    )
    assert f.errors == {}
    assert f.cleaned_data["date_of_birth"] == date(2014, 3, 27)
    assert f.cleaned_data["held_at"] == datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter date of birth."),
        (("27", "", "2014"), "Date of birth must include a month."),
        (("", "", "2014"), "Date of birth must include a day and month."),
        (("31", "2", "2026"), "Date of birth must be a real date."),
        (("27", "March", "2014"), "Date of birth must be a real date."),
        (("27", "3", "14"), "Date of birth must include a year with 4 numbers."),
    ],
)
def test_a_date_not_typed_whole_says_what_is_missing(typed, message):
    assert form(**parts("date_of_birth", *typed)).errors["date_of_birth"] == [message]


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "Held must include a time, like 14:30."),
        ("10am", "Held must include a time, like 14:30."),
        ("25:00", "Held must be a real time, like 14:30."),
        ("9.05", None),
    ],
)
def test_the_time_is_hours_and_minutes(time, message):
    f = form(
        **parts("date_of_birth", "1", "1", "2000"),
        **parts("held_at", "7", "12", "2026", **{"held_at-time": time}),
    )
    assert f.errors.get("held_at") == ([message] if message else None)


def test_a_time_without_a_date_asks_for_the_date():
    f = form(**parts("date_of_birth", "1", "1", "2000"), **{"held_at-time": "10:00"})
    assert f.errors["held_at"] == ["Held must include a date."]


def test_scripts_may_send_the_plain_name_as_iso():
    f = form(date_of_birth="2014-03-27", held_at="2026-12-07T10:00")
    assert f.cleaned_data == {
        "date_of_birth": date(2014, 3, 27),
        "held_at": datetime(2026, 12, 7, 10, tzinfo=LONDON),
    }
    assert form(date_of_birth="27th March").errors["date_of_birth"] == ["Date of birth must be a real date."]


def test_what_was_typed_is_shown_again_with_the_wrong_part_in_error():
    html = str(form(**parts("date_of_birth", "31", "xx", "2026"))["date_of_birth"].as_field_group())
    assert 'name="date_of_birth-day"' in html and 'value="31"' in html and 'value="xx"' in html
    assert html.count("govuk-input--error") == 1  # the month only
    assert "<legend" in html and "For example, 27 3 2014." in html


def test_an_initial_value_fills_the_parts():
    f = DatesForm(
        initial={"date_of_birth": date(2014, 3, 27), "held_at": datetime(2026, 12, 7, 10, tzinfo=LONDON)}
    )
    html = str(f)
    for shown in ('value="27"', 'value="3"', 'value="2014"', 'value="10:00"'):
        assert shown in html


def test_one_display_format():
    assert format_date(date(2026, 12, 7)) == "7 December 2026"
    assert format_datetime(datetime(2026, 12, 7, 10, tzinfo=LONDON)) == "7 Dec 2026 10:00"


def test_every_date_field_in_the_project_forms_is_the_govuk_date_input():
    """Walks every form class of the project's forms modules: no browser date input (mm/dd/yyyy)."""
    import importlib
    from pathlib import Path

    from django.conf import settings

    found, wrong = 0, []
    for path in Path(settings.BASE_DIR).glob("**/*forms.py"):
        if ".venv" in path.parts or "node_modules" in path.parts or "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts))
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                for name, field in value.base_fields.items():
                    if isinstance(field, forms.DateField | forms.DateTimeField):
                        found += 1
                        if not isinstance(field, GovukDateField | GovukDateTimeField):
                            wrong.append(f"{module.__name__}.{value.__name__}.{name}")
    assert found >= 15
    assert wrong == []


def test_templates_show_dates_in_the_one_display_format():
    """A template names the format ('|date', '|date:"DATETIME_FORMAT"'); 'c' only for <time datetime>."""
    import re
    from pathlib import Path

    from django.conf import settings

    named = {"DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "c"}
    found = {
        (path.name, fmt)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text())
        if fmt not in named
    }
    assert found == set()


# mash.common.dates.formatted and the builtin ``date`` filter (mash/common/templatetags/mash.py): the same
# text as Django's date formatting, for every format the project names and each character they handle.
SAMPLES = [
    datetime(2026, 1, 5, 0, 0, tzinfo=LONDON),
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=LONDON),  # the hour before the clocks go forward
    datetime(2026, 3, 29, 3, 7, 9, tzinfo=LONDON),
    datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC")),  # the repeated hour, read in London
    datetime(1999, 12, 31, 23, 59, 58, tzinfo=LONDON),
    datetime(2026, 9, 7, 14, 5),  # naive
    date(2014, 3, 27),
    date(2026, 5, 1),
]
FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
    "j d n m Y y M F b D l H G i s",
    r"\d\a\y j, \Y Y",  # escaped characters are text
    "c",  # a character the table leaves to Django
    "N jS P",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", ["en-gb", "cy", "fr"])
def test_formatted_gives_what_django_gives(fmt, language):
    from django.template.defaultfilters import date as django_date
    from django.utils import dateformat, translation
    from django.utils.formats import get_format

    from mash.common.dates import formatted

    with translation.override(language):
        for value in SAMPLES:
            aware = isinstance(value, datetime) and timezone.is_aware(value)
            shown = timezone.localtime(value) if aware else value
            try:
                expected = dateformat.format(shown, get_format(fmt))
            except TypeError as refusal:  # a time asked of a date: refused the same way
                with pytest.raises(TypeError, match=str(refusal)[:30]):
                    formatted(shown, fmt)
                continue
            assert formatted(shown, fmt) == expected, (value, fmt)
            assert render("{{ value|date:fmt }}", value=value, fmt=fmt) == render_django(value, fmt)
            assert render_django(value, fmt) == django_date(shown, fmt)


def test_the_date_filter_takes_what_django_s_takes():
    assert render("{{ value|date }}", value=datetime(2026, 12, 7, 10, tzinfo=LONDON)) == "7 December 2026"
    assert render('{{ value|date:"DATETIME_FORMAT" }}', value=datetime(2026, 12, 7, 10, tzinfo=LONDON)) == (
        "7 Dec 2026 10:00"
    )
    assert render("{{ value|date }}", value=None) == ""
    assert render("{{ value|date }}", value="") == ""
    assert render("{{ value|date }}", value="not a date") == ""
    assert render("{{ value|date|default:'none' }}", value=None) == "none"


def render(source, **context):
    from django.template import engines

    return engines["django"].from_string(source).render(context)


def render_django(value, fmt):
    """The same through Django's own filter (not the builtin that replaces it)."""
    from django.template import Context, Engine

    return (
        Engine(libraries={}, builtins=[])
        .from_string("{{ value|date:fmt }}")
        .render(Context({"value": value, "fmt": fmt}))
    )
