"""Helpers the disclosure services share."""

from django.db.models import F
from django.urls import reverse

from disclosures.models import Application, ReferenceCounter


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"DISC-{year}-{counter.last:06d}"


def application_url(application: Application) -> str:
    return reverse("disclosures:application", args=[application.pk])
