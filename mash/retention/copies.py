"""The people an erasure anonymises, and the copies of what it anonymised kept elsewhere: the audit
trail (django-auditlog's rows, their values and the record's name), the access log and break-glass
openings (the record's name, the reason given), notifications about the records (their text and
attachments) and the dissemination log's rows about them. None of these is a domain app's, so the core
removes them for every kind (docs/retention.md)."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Q, Value, When

from mash.notifications.models import Notification
from mash.people.models import Person
from mash.retention.models import Erasure
from mash.retention.registry import models_of_kinds
from mash.retention.scrub import ERASED, Scrub
from mash.sharing.models import AccessLog, BreakGlassAccess, Dissemination

# What an anonymised person keeps: their gender and approximate age (statistics); the rest is cleared.
PERSON_CLEARED = {
    "aliases": "",
    "date_of_birth": None,
    "nhs_number": "",
    "address": "",
    "postcode": "",
    "given_name_key": "",
    "family_name_key": "",
}


def has_live_records(person_id: int, *, record) -> bool:
    """Whether a record other than ``record`` that is not erased names the person."""
    for model, kinds in models_of_kinds().items():
        erased = Erasure.objects.filter(content_type=ContentType.objects.get_for_model(model)).values(
            "object_id"
        )
        others = kinds[0].of_people([person_id]).exclude(pk__in=erased)
        if isinstance(record, model):
            others = others.exclude(pk=record.pk)
        if others.exists():
            return True
    return False


def anonymise_people(scrub: Scrub, *, record) -> list[int]:
    """The people the record names whom no other live record names lose their identifying details."""
    gone = [pk for pk in sorted(scrub.people) if not has_live_records(pk, record=record)]
    if gone:
        Person.objects.filter(pk__in=gone).update(given_name=ERASED, family_name=ERASED, **PERSON_CLEARED)
        scrub.touched[Person].update(gone)
        scrub.counts[Person._meta.label_lower] += len(gone)
    return gone


def _children_in_trail(scrub: Scrub) -> None:
    """Rows of audited models that belong to a touched row and are deleted with it (the grants on a
    record, a referral's subjects): their trail names it, so it goes too."""
    for model, pks in list(scrub.touched.items()):
        for rel in model._meta.related_objects:
            child = rel.related_model
            if rel.many_to_many or not auditlog.contains(child):
                continue
            if rel.on_delete is not models.CASCADE:
                continue
            ids = child._base_manager.filter(**{f"{rel.field.name}__in": pks}).values_list("pk", flat=True)
            scrub.touched[child].update(ids)


def _by_record(model, pks, *, id_field="object_id"):
    return Q(
        content_type=ContentType.objects.get_for_model(model), **{f"{id_field}__in": [str(p) for p in pks]}
    )


def _erased_if_set(name: str):
    return Case(When(**{name: ""}, then=Value("")), default=Value(ERASED))


def _redact_changes(changes):
    if not isinstance(changes, dict):
        return {}
    return {name: [ERASED, ERASED] for name in changes}


def _generic_copies(scrub: Scrub) -> int:
    """Rows of any other model that name a touched row through a generic relation (a subject access
    request's items, for instance, hold copies of the records' text): their free text goes too."""
    handled = {LogEntry, AccessLog, BreakGlassAccess, Dissemination, Notification}
    count = 0
    for model in apps.get_models():
        if model in handled or model._meta.app_label == "retention":
            continue
        for gfk in (f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)):
            q = Q(pk__in=[])
            for touched, pks in list(scrub.touched.items()):
                q |= Q(
                    **{
                        gfk.ct_field: ContentType.objects.get_for_model(touched),
                        f"{gfk.fk_field}__in": [str(p) for p in pks],
                    }
                )
            count += scrub.rows(model._base_manager.filter(q), keep=(gfk.fk_field,))
    return count


def remove_copies(scrub: Scrub) -> dict[str, int]:
    copied = _generic_copies(scrub)
    _children_in_trail(scrub)
    counts = {"audit trail": 0, "access log": 0, "break-glass": 0, "notifications": 0, "disseminations": 0}
    for model, pks in scrub.touched.items():
        if not pks:
            continue
        label = f"{model._meta.verbose_name} (erased)"
        entries = LogEntry.objects.filter(_by_record(model, pks, id_field="object_pk"))
        counts["audit trail"] += entries.update(
            object_repr=label, changes_text="", serialized_data=None, additional_data=None
        )
        # Which fields changed, and when, stays in the trail; their values go.
        redacted = []
        for entry in entries.exclude(changes=None).only("pk", "changes"):
            entry.changes = _redact_changes(entry.changes)
            redacted.append(entry)
        LogEntry.objects.bulk_update(redacted, ["changes"], batch_size=500)

        reads = AccessLog.objects.filter(_by_record(model, pks))
        counts["access log"] += reads.update(object_repr=label, reason=_erased_if_set("reason"))
        # A page's query string may carry what was searched for (a name): the path alone stays.
        paths = [r for r in reads.filter(path__contains="?").only("pk", "path")]
        for read in paths:
            read.path = read.path.split("?", 1)[0]
        AccessLog.objects.bulk_update(paths, ["path"], batch_size=500)

        counts["break-glass"] += BreakGlassAccess.objects.filter(_by_record(model, pks)).update(
            object_repr=label, reason=ERASED, review_note=_erased_if_set("review_note")
        )
    # Second pass: the break-glass rows just redacted have their own trail.
    _redact_trail_of(BreakGlassAccess, _ids_of(BreakGlassAccess, scrub))
    counts["notifications"] = _scrub_notifications(scrub)
    counts["disseminations"] = _scrub_disseminations(scrub)
    counts["other copies"] = copied
    return counts


def _ids_of(model, scrub: Scrub) -> list[int]:
    q = Q(pk__in=[])
    for touched, pks in scrub.touched.items():
        if touched is not model:
            q |= _by_record(touched, pks)
    return list(model._base_manager.filter(q).values_list("pk", flat=True))


def _redact_trail_of(model, pks) -> None:
    if not pks:
        return
    entries = LogEntry.objects.filter(_by_record(model, pks, id_field="object_pk"))
    entries.update(object_repr=f"{model._meta.verbose_name} (erased)", changes_text="", serialized_data=None)
    redacted = []
    for entry in entries.exclude(changes=None).only("pk", "changes"):
        entry.changes = _redact_changes(entry.changes)
        redacted.append(entry)
    LogEntry.objects.bulk_update(redacted, ["changes"], batch_size=500)


def _scrub_notifications(scrub: Scrub) -> int:
    q = Q(pk__in=[])
    for model, pks in scrub.touched.items():
        q |= Q(subject_type=ContentType.objects.get_for_model(model), subject_id__in=[str(p) for p in pks])
    rows = Notification.objects.filter(q)
    return rows.update(
        title=ERASED,
        body=_erased_if_set("body"),
        attachments=[],
        last_error=_erased_if_set("last_error"),
        # An outside recipient (a referrer) is named by their address.
        address=_erased_if_set("address"),
    )


def _scrub_disseminations(scrub: Scrub) -> int:
    q = Q(person__in=scrub.touched_pks(Person))
    for model, pks in scrub.touched.items():
        q |= _by_record(model, pks)
    ids = list(Dissemination.objects.filter(q).values_list("pk", flat=True))
    if not ids:
        return 0
    # The recipient of a disclosure may be a member of the public: their name and contact go too; the
    # organisation, method, lawful basis and dates stay for the log's statistics.
    Dissemination.objects.filter(pk__in=ids).update(
        recipient_name=ERASED,
        recipient_contact=_erased_if_set("recipient_contact"),
        what=ERASED,
        need=ERASED,
        handling_conditions=_erased_if_set("handling_conditions"),
    )
    _redact_trail_of(Dissemination, ids)
    return len(ids)
