"""The kinds of record retention reviews, registered by the apps that own them (docs/retention.md).

The core never imports a domain app (tests/test_architecture.py): each app registers its kinds in its
``AppConfig.ready()``, saying which of its records are of the kind, from which date the period counts,
how to describe a record without personal data and how to erase it. An app whose records go with
another app's record (a referral's strategy discussions) registers a *part* of that record's model,
erased with it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils import timezone

from mash.sharing import policy


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str
    model: type[models.Model]
    # What the period counts from, in words ('the date the referral was closed').
    counted_from: str
    # The field holding that date.
    date_field: str
    # Every record of the kind, whatever its age.
    records: Callable[[], models.QuerySet]
    # Anonymise the record and the records under it: erase(record, scrub) (mash/retention/scrub.py).
    erase: Callable[..., None]
    # A short label with no personal data, after the record's name: its kind, state and outcome.
    describe: Callable[[models.Model], str]
    # The records of the kind's model (any state, any kind) that link any of these people.
    of_people: Callable[[Iterable[int]], models.QuerySet]
    # The record a reference names (for a legal hold), or None.
    lookup: Callable[[str], models.Model | None]

    # The field holding the record's reference, shown to those the sharing policy lets see it; others
    # (and a kind with none) see the model's name and the record's id.
    reference_field: str | None = None

    def name(self, record, user=None) -> str:
        """The record's reference, or its model and id where it has none or ``user`` may not see it."""
        field = self.reference_field
        if field and getattr(record, field) and (user is None or policy.may_see_field(user, record, field)):
            return getattr(record, field)
        return f"{record._meta.verbose_name.capitalize()} {record.pk}"

    def title(self, record, user=None) -> str:
        return f"{self.name(record, user)}: {self.describe(record)}"

    def cutoff(self, period_months: int, today: date) -> date:
        return today - relativedelta(months=period_months)

    def due(self, period_months: int, today: date) -> models.QuerySet:
        """The records whose retention period has run by ``today``."""
        cutoff = self.cutoff(period_months, today)
        field = self.model._meta.get_field(self.date_field)
        if isinstance(field, models.DateTimeField):
            cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
        return self.records().filter(**{f"{self.date_field}__lt": cutoff})

    def counted_date(self, record) -> date | None:
        value = getattr(record, self.date_field)
        if isinstance(value, datetime):
            return timezone.localdate(value)
        return value


_kinds: dict[str, RetentionKind] = {}
_parts: dict[type[models.Model], list[Callable[..., None]]] = {}


def register_kind(kind: RetentionKind) -> RetentionKind:
    _kinds[kind.key] = kind
    return kind


def register_part(model: type[models.Model], erase: Callable[..., None]) -> None:
    """``erase(record, scrub)`` runs whenever a record of ``model`` is erased, after its kind's own."""
    _parts.setdefault(model, []).append(erase)


def kinds() -> list[RetentionKind]:
    return list(_kinds.values())


def kind(key: str) -> RetentionKind | None:
    return _kinds.get(key)


def parts_of(model: type[models.Model]) -> list[Callable[..., None]]:
    return list(_parts.get(model, ()))


def models_of_kinds() -> dict[type[models.Model], list[RetentionKind]]:
    by_model: dict[type[models.Model], list[RetentionKind]] = {}
    for k in _kinds.values():
        by_model.setdefault(k.model, []).append(k)
    return by_model


def kind_of(record) -> RetentionKind | None:
    """The kind a record is of now (a referral reopened is of none until closed again)."""
    for k in _kinds.values():
        if isinstance(record, k.model) and k.records().filter(pk=record.pk).exists():
            return k
    return None
