"""The records under a record, for its trail: a referral's information requests and their answers, a
disclosure application's research package, a missing episode's risk gradings...

Each domain app registers, in its ``AppConfig.ready()``, a function for each of its parent models
(the core never imports a domain app: tests/test_architecture.py). The function takes the parent and
returns every record under it, at any depth, as model instances or as ``(model, ids)`` pairs; it costs
a query or two per kind of child, never one per child (a referral with 40 answers is one query for the
answers). It is not applied again to the children: a parent's function names all its descendants.
"""

from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

ChildrenOf = Callable[[models.Model], Iterable]
_children: dict[type[models.Model], list[ChildrenOf]] = {}


def register_children(model: type[models.Model], fn: ChildrenOf) -> ChildrenOf:
    """``fn(obj)`` lists the records under an ``obj`` of ``model``, as instances or (model, ids) pairs."""
    registered = _children.setdefault(model._meta.concrete_model, [])
    if fn not in registered:
        registered.append(fn)
    return fn


def ids_of(queryset: models.QuerySet) -> tuple[type[models.Model], list]:
    """A ``(model, ids)`` pair for a children function: one query, the ids only."""
    return queryset.model, list(queryset.values_list("pk", flat=True))


def records_under(obj: models.Model) -> dict[int, set[str]]:
    """The record and every record registered under it: ids (as text, as the logs hold them) by
    content type id."""
    found: dict[int, set[str]] = {}

    def add(model, ids) -> None:
        content_type = ContentType.objects.get_for_model(model)
        found.setdefault(content_type.pk, set()).update(str(pk) for pk in ids)

    add(type(obj), [obj.pk])
    for fn in _children.get(type(obj)._meta.concrete_model, []):
        for child in fn(obj):
            if isinstance(child, models.Model):
                add(type(child), [child.pk])
            else:
                model, ids = child
                add(model, ids)
    return found


_references: list[tuple[type[models.Model], str]] = []


def register_reference(model: type[models.Model], field: str = "reference") -> None:
    """Records of ``model`` may be found for their trail by ``field``, a unique reference."""
    if (model, field) not in _references:
        _references.append((model, field))


def find_by_reference(reference: str) -> models.Model | None:
    """The record with this reference (any registered kind, the case ignored): a query a kind."""
    reference = reference.strip()
    for model, field in _references if reference else ():
        found = model._default_manager.filter(**{f"{field}__iexact": reference}).first()
        if found is not None:
            return found
    return None
