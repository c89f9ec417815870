"""Small helpers of the disclosure page tests."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mash.sharing.models import AccessLog

WORDING = "Mark Taylor has a conviction for assaulting a former partner."


def application_url(application, name: str = "application") -> str:
    return reverse(f"disclosures:{name}", args=[application.pk])


def package_url(package, name: str = "package") -> str:
    return reverse(f"disclosures:{name}", args=[package.pk])


def access_rows(user, obj, action) -> int:
    return AccessLog.objects.filter(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    ).count()


def page(response) -> str:
    return response.content.decode()
