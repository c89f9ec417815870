import datetime
import functools

from django import template
from django.template import defaultfilters
from django.urls import get_script_prefix, reverse

from mash.common.dates import formatted
from mash.common.form_errors import ordinal, summary_entries

register = template.Library()

_MARKER = 987654321987654321  # a key no record has: where the key goes in a reversed URL


@functools.lru_cache(maxsize=512)
def _around_key(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL of the pattern ``name`` on either side of its one integer argument."""
    url = reverse(name, args=[_MARKER])
    before, marker, after = url.partition(str(_MARKER))
    if not marker:
        raise template.TemplateSyntaxError(f"{name!r} does not take one record key: use {{% url %}}.")
    return before, after


@register.simple_tag
def record_url(name: str, pk) -> str:
    """``{% record_url 'referrals:detail' referral.pk %}``: what ``{% url %}`` gives for a page of one
    record, by its key. Reversed once per pattern (and script prefix), then the key is put in its place:
    ``{% url %}`` costs a list page of 50 rows a few milliseconds (each reverse asks the active
    language several times and checks the pattern again), this a tenth of it."""
    before, after = _around_key(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


@functools.lru_cache(maxsize=512)
def _page_url(name: str, script_prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def page_url(name: str) -> str:
    """``{% page_url 'referrals:queue' %}``: what ``{% url %}`` gives for a page that takes no argument,
    reversed once per pattern (and script prefix). Every page's header and footer link eight or more
    such pages, and each ``{% url %}`` reverses again: 3% of a web worker's time under the load figure
    (issue 19)."""
    return _page_url(name, get_script_prefix())


@register.filter(name="date", expects_localtime=True, is_safe=False)
def date_filter(value, arg=None):
    """Django's ``date`` filter, in the same words to the character (tests/common/test_dates.py), made
    by ``mash.common.dates.formatted``: Django's costs 40 µs a date, most of it reading the format and
    the month's name again, and a list of 50 rows shows 100 dates. This library is a builtin
    (settings.TEMPLATES), so ``{{ value|date }}`` and ``{{ value|date:"DATETIME_FORMAT" }}`` are this
    everywhere; what is not a date goes to Django's filter."""
    if isinstance(value, datetime.date):
        return formatted(value, arg or "DATE_FORMAT")
    return defaultfilters.date(value, arg)


@register.filter
def get_item(mapping, key):
    """``{{ counts|get_item:state }}``: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter(name="ordinal")
def ordinal_filter(index):
    """``{{ forloop.counter0|ordinal }}``: 'first' for 0, 'second' for 1 (the error messages' words)."""
    try:
        return ordinal(int(index))
    except (TypeError, ValueError):
        return ""


@register.filter
def get_index(sequence, index):
    """``{{ items|get_index:forloop.counter0 }}``."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return None


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*forms_or_formsets):
    """``{% error_summary form formset %}``: one GOV.UK error summary for every form and formset of
    a page, each message linking to its field's first input (mash/common/form_errors.py)."""
    return {"entries": summary_entries(*forms_or_formsets)}


@register.simple_tag
def error_entries(*forms_or_formsets):
    """``{% error_entries form as entries %}``: the error summary's lines, for a page that builds its
    own summary around them (each ``message``, and ``href`` when it links to a field)."""
    return summary_entries(*forms_or_formsets)
