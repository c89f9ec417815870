"""Versioned writes (optimistic locking), written once for every case record.

A page or an API client reads a record with its ``version`` and sends that version back with a change.
The service locks the row (``lock_for_change``): if the version saved now is not the one the user read,
someone else changed the record meanwhile and the change is refused (``StaleVersion``), never silently
applied over theirs. A change that is made bumps the version (``save_change``, or ``bump`` for a change
to a record's parts). The pages show a ``StaleVersion`` beside the form, with the values saved now when
it carries them; the API answers it with a 409 (``mash/common/api.py``).
"""

from collections.abc import Callable
from typing import TypeVar

from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = "Someone else changed this {what} since you opened it. {then}"
RELOAD = "Reload the page to see their change, then try again."


class StaleVersion(ValidationError):
    """A change made on an out-of-date copy of a record. ``theirs`` holds the values saved now (or
    None), what the user's stale form is shown against so that nothing typed is lost.

    A ``ValidationError`` (code ``stale``): a page shows it beside its form like any refusal."""

    def __init__(self, message: str, *, theirs: dict | None = None):
        super().__init__(message, code="stale")
        self.theirs = theirs

    @classmethod
    def of(cls, what: str, *, then: str = RELOAD, theirs: dict | None = None) -> "StaleVersion":
        """The usual refusal, naming the record: 'Someone else changed this referral since ...'."""
        return cls(STALE_MESSAGE.format(what=what, then=then), theirs=theirs)


class VersionedModel(models.Model):
    """A record changed under optimistic locking: it has a ``version`` (a positive integer from 1) that
    every change bumps. Methods only: each model keeps its own ``version`` field where it is, because
    moving the field here would move it on the admin's pages and change its help text (a migration).
    The system check says when a model forgets the field."""

    #: What the refusal calls the record ("referral", "discussion"); by default its verbose name.
    stale_name = ""

    class Meta:
        abstract = True

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        field = next((f for f in cls._meta.concrete_fields if f.name == "version"), None)
        if not isinstance(field, models.PositiveIntegerField):
            errors.append(
                checks.Error(
                    "A VersionedModel needs a PositiveIntegerField named 'version' (default 1).",
                    obj=cls,
                    id="common.E001",
                )
            )
        return errors

    def stale(self, *, then: str = RELOAD, theirs: dict | None = None) -> StaleVersion:
        """The refusal of a change made on an out-of-date copy of this record."""
        return StaleVersion.of(self.stale_name or str(self._meta.verbose_name), then=then, theirs=theirs)


def lock_for_change(
    record: M,
    expected_version: int | None = None,
    *,
    queryset: models.QuerySet | None = None,
    version: Callable[[M], int] = lambda current: current.version,
    stale: Callable[[M], StaleVersion] | None = None,
) -> M:
    """Lock the record's row and return it as saved now; refuse (``StaleVersion``) if its version is
    not ``expected_version``, the one the caller read. ``None`` skips the check (a change that needs
    no version: a background task, an addendum). ``queryset`` adds joins; ``version`` reads another
    version than the record's own (a part with its own, such as a summary); ``stale`` builds the
    refusal (by default ``record.stale()``, or ``StaleVersion.of`` the model's verbose name)."""
    rows = queryset if queryset is not None else type(record)._default_manager
    current = rows.select_for_update().get(pk=record.pk)
    require_version(current, expected_version, version=version, stale=stale)
    return current


def require_version(
    current: M,
    expected_version: int | None,
    *,
    version: Callable[[M], int] = lambda current: current.version,
    stale: Callable[[M], StaleVersion] | None = None,
) -> None:
    """Refuse (``StaleVersion``) unless the record, already locked, is at ``expected_version`` (``None``
    skips the check): for a service that locks the record before it checks who may change it."""
    if expected_version is None or version(current) == expected_version:
        return
    if stale is not None:
        raise stale(current)
    if isinstance(current, VersionedModel):
        raise current.stale()
    raise StaleVersion.of(str(current._meta.verbose_name))


def save_change(record: models.Model, fields: list[str], *, clean: bool = True) -> None:
    """Save the changed ``fields`` of a record locked by ``lock_for_change``, with its version bumped
    (and its ``updated_at``, when it has one). ``full_clean`` first, as every service does."""
    record.version += 1
    if clean:
        record.full_clean()
    stamped = ["updated_at"] if any(f.name == "updated_at" for f in record._meta.concrete_fields) else []
    record.save(update_fields=[*fields, "version", *stamped])


def bump(record: models.Model, **changes) -> int:
    """Bump the version of a record in the database (with any other ``changes``) without loading it:
    a change to its parts (entries, sections, requests) is a change to the record. The instance in
    hand keeps the version it had. Returns the number of rows changed (0 if it is gone)."""
    return type(record)._default_manager.filter(pk=record.pk).update(version=F("version") + 1, **changes)
