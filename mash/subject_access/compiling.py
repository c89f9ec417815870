"""What a subject access request compiles: everything held about the person, as items.

- Each event of the person's unfiltered chronology (``mash.people.chronology.chronology_unfiltered``,
  the apps' sources: the core imports none of them), with its release flags.
- Each record those events are about, once, rendered from its own fields, and the person's own record;
  flagged when any of its events is (the record holds what the event says).
- Who has looked at those records (the access log): the agencies and the dates, never the staff's
  names (the person is entitled to the recipients or categories of recipients, UK GDPR Article 15(1)(c);
  docs/subject-access.md). One item per record, agency, day and action.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import TruncDate
from django.utils import timezone

from mash.clocks.models import Clock
from mash.common.dates import format_date, format_datetime
from mash.people.chronology import chronology_unfiltered
from mash.sharing.models import AccessAction, AccessLog
from mash.subject_access.models import Source

# Fields no reader needs (keys kept for searching, the optimistic-locking counter).
HIDDEN_FIELDS = {"id", "version", "given_name_key", "family_name_key", "created_at", "updated_at"}
# What counts as looking at a record: refusals are not, and the subject access exports themselves are
# this request's own.
LOOKED = (AccessAction.VIEW, AccessAction.BREAK_GLASS, AccessAction.EXPORT, AccessAction.PRINT)
SAR_REASON = "subject access"


@dataclass
class Draft:
    source: str
    kind: str
    title: str
    text: str = ""
    at: datetime | None = None
    record: models.Model | None = None
    agency: object = None
    release_flags: list[str] = field(default_factory=list)


def _value(record: models.Model, f: models.Field) -> str:
    value = getattr(record, f.name)
    if value in (None, "", [], {}):
        return ""
    if f.choices:
        return str(getattr(record, f"get_{f.name}_display")())
    if isinstance(value, list | tuple):
        labels = dict(getattr(getattr(f, "base_field", None), "choices", None) or ())
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def render_record(record: models.Model) -> str:
    """The record's own fields, one 'Label: value' line each (empty ones left out)."""
    lines = []
    for f in record._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.primary_key or isinstance(f, models.FileField):
            continue
        if f.is_relation and f.related_model in (ContentType, Clock):
            continue  # the record's deadlines are the MASH's own workings, not information about them
        if f.name.endswith("_id") or f.name == "object_id":
            continue
        text = _value(record, f)
        if text:
            lines.append(f"{str(f.verbose_name).capitalize()}: {text}")
    return "\n".join(lines)


def _key(record: models.Model) -> tuple[int, str]:
    return ContentType.objects.get_for_model(record).pk, str(record.pk)


def gather(person) -> list[Draft]:
    events = chronology_unfiltered(person)
    drafts: list[Draft] = []
    records: dict[tuple[int, str], Draft] = {}
    person_draft = Draft(
        source=Source.RECORD,
        kind="Person record",
        title=str(person),
        text=render_record(person),
        at=person.created_at,
        record=person,
    )
    records[_key(person)] = person_draft
    for event in events:
        drafts.append(
            Draft(
                source=Source.EVENT,
                kind=event.kind,
                title=event.title,
                text=event.summary,
                at=event.at,
                record=event.record,
                agency=event.agency,
                release_flags=list(event.release_flags),
            )
        )
        if event.record is None:
            continue
        draft = records.get(_key(event.record))
        if draft is None:
            draft = records[_key(event.record)] = Draft(
                source=Source.RECORD,
                kind=str(event.record._meta.verbose_name).capitalize(),
                title=str(event.record),
                text=render_record(event.record),
                at=getattr(event.record, "created_at", None) or event.at,
                record=event.record,
                agency=event.agency,
            )
        draft.release_flags.extend(f for f in event.release_flags if f not in draft.release_flags)
    drafts.extend(records.values())
    drafts.extend(_who_looked(records))
    return drafts


def _who_looked(records: dict[tuple[int, str], Draft]) -> list[Draft]:
    by_type: dict[int, list[str]] = defaultdict(list)
    for content_type_id, object_id in records:
        by_type[content_type_id].append(object_id)
    query = models.Q()
    for content_type_id, ids in by_type.items():
        query |= models.Q(content_type_id=content_type_id, object_id__in=ids)
    rows = (
        AccessLog.objects.filter(query, action__in=LOOKED)
        .exclude(reason__startswith=SAR_REASON)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("content_type_id", "object_id", "agency__name", "day", "action")
        .annotate(times=models.Count("pk"), last=models.Max("at"))
        .order_by("day", "content_type_id", "object_id", "agency__name", "action")
    )
    labels = dict(AccessAction.choices)
    looked = []
    for row in rows:
        draft = records[(row["content_type_id"], row["object_id"])]
        agency = row["agency__name"] or "The MASH"
        times = f" ({row['times']} times)" if row["times"] > 1 else ""
        looked.append(
            Draft(
                source=Source.ACCESS,
                kind=labels[row["action"]],
                title=f"{draft.kind}: {draft.title}",
                text=f"{labels[row['action']]} by {agency} on {format_date(row['day'])}{times}",
                at=row["last"],
                record=draft.record,
            )
        )
    return looked
