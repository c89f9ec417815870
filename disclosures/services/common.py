"""Helpers the disclosure services share."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from disclosures.models import Application, ReferenceCounter


def require(condition: bool, message) -> None:
    if not condition:
        raise ValidationError(message)


def stale(what: str) -> ValidationError:
    return ValidationError(
        f"Someone else changed this {what} since you opened it. Reload the page to see their change, "
        "then try again.",
        code="stale",
    )


def locked(application: Application, expected_version: int | None = None) -> Application:
    current = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and current.version != expected_version:
        raise stale("application")
    return current


def save(application: Application, fields: list[str]) -> None:
    application.version += 1
    application.full_clean()
    application.save(update_fields=[*fields, "version", "updated_at"])


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"DISC-{year}-{counter.last:06d}"


def application_url(application: Application) -> str:
    return reverse("disclosures:application", args=[application.pk])
