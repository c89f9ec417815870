"""What an erasure anonymises, collected as it goes.

A kind's ``erase`` calls ``scrub.rows(queryset)`` for the record and every record under it: every free
text of those rows (a ``CharField`` or ``TextField`` without choices: names, contact details, accounts,
notes, rationales, answers) is replaced by ``ERASED`` (an empty one stays empty, so a reader can tell
what was there), and everything else is kept: dates, states, outcomes, codes, numbers and the links
between rows, which is what the statistics need. It calls ``scrub.link_people(ids)`` with the people
the record names; the service anonymises those no other live record names. The rows touched are then
the list of whose copies (the audit trail, the access log, notifications...) the service removes.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import models
from django.db.models import Case, F, Value, When

ERASED = "[erased]"


def _in_unique_constraints(model) -> set[str]:
    names = {name for together in model._meta.unique_together for name in together}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    return names


def free_text_fields(model, keep: Iterable[str] = ()) -> list[models.Field]:
    """The free text of a model, but what identifies a row (a unique reference, a key in a unique
    constraint): one marker for every row would break them, and they are not personal data."""
    keep = set(keep) | _in_unique_constraints(model)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.primary_key
        and not f.unique
        and f.name not in keep
    ]


def erased_value(field: models.Field):
    """What a non-empty free text becomes: the marker, or empty where the marker does not fit."""
    if field.max_length and field.max_length < len(ERASED):
        return ""
    return ERASED


class Scrub:
    def __init__(self) -> None:
        self.touched: dict[type[models.Model], set[int]] = defaultdict(set)
        self.people: set[int] = set()
        self.counts: Counter = Counter()

    def rows(self, queryset: models.QuerySet, *, keep: Iterable[str] = ()) -> int:
        """Anonymise the free text of these rows (but ``keep``), and note them as erased."""
        model = queryset.model
        pks = [pk for pk in queryset.values_list("pk", flat=True) if pk not in self.touched[model]]
        if not pks:
            return 0
        values = {
            f.attname: Case(When(**{f.attname: ""}, then=Value("")), default=Value(erased_value(f)))
            for f in free_text_fields(model, keep)
        }
        if any(f.name == "version" for f in model._meta.concrete_fields):
            values["version"] = F("version") + 1  # an edit form opened before is now stale
        if values:
            model._base_manager.filter(pk__in=pks).update(**values)
        self.touched[model].update(pks)
        self.counts[model._meta.label_lower] += len(pks)
        return len(pks)

    def link_people(self, ids: Iterable[int | None]) -> None:
        self.people.update(i for i in ids if i is not None)

    def touched_pks(self, model) -> set[int]:
        return self.touched.get(model, set())
