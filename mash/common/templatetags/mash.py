from django import template

from mash.common.form_errors import ordinal, summary_entries

register = template.Library()


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
