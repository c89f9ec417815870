"""``{% share_outside_button record %}``: the record page's 'Share outside the MASH' button, shown to
whoever may ask to share items of it (mash/sharing/dissemination.py decides)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html

from mash.sharing import dissemination

register = template.Library()


@register.simple_tag(takes_context=True)
def share_outside_button(context, record):
    request = context.get("request")
    if request is None or record is None or not dissemination.may_request(request.user, record):
        return ""
    content_type = ContentType.objects.get_for_model(record)
    url = reverse("sharing:dissemination_new", args=[content_type.pk, record.pk])
    return format_html(
        '<a class="govuk-button govuk-button--secondary" data-module="govuk-button" href="{}">'
        "Share outside the MASH</a>",
        url,
    )
