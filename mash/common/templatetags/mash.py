from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ counts|get_item:state }}``: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def get_index(sequence, index):
    """``{{ items|get_index:forloop.counter0 }}``."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return None
