from django import template

from referrals.models import Concern

register = template.Library()


@register.filter
def concern_label(code: str) -> str:
    try:
        return Concern(code).label
    except ValueError:
        return code
